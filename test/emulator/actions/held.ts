/**
 * Held messages (api-more §10): the hold list (paged, windowed, searchable), the per-policy
 * summary, release and reject. Releasing or rejecting takes the message off the hold list and
 * writes a release-log record (ActionState.settleHeld).
 */
import { parseMcDate } from '../clock';
import { CODES } from '../envelope';
import {
	type ActionHandler,
	fieldFail,
	isObj,
	isReply,
	itemsOf,
	missing,
	ok,
	pageOfList,
} from './common';
import type { ActionState, HeldMessage } from './state';

export const REJECT_REASONS = [
	'MESSAGE CONTAINS UNDESIRABLE CONTENT',
	'MESSAGE CONTAINS CONFIDENTIAL INFORMATION',
	'REVIEWER DISAPPROVES OF CONTENT',
	'INAPPROPRIATE COMMUNICATION',
	'MESSAGE GOES AGAINST EMAIL POLICIES',
];

const contains = (text: string, value: string) => text.toLowerCase().includes(value.toLowerCase());

function searchMatches(held: HeldMessage, fieldName: unknown, value: string): boolean {
	switch (fieldName) {
		case 'subject':
			return contains(held.subject, value);
		case 'sender':
			return (
				contains(held.from.emailAddress, value) || contains(held.fromHeader.emailAddress, value)
			);
		case 'recipient':
			return contains(held.to.emailAddress, value);
		case 'reason_code':
			return held.reasonCode === value;
		default:
			return [held.subject, held.from.emailAddress, held.to.emailAddress, held.reason].some((t) =>
				contains(t, value),
			);
	}
}

export function heldRoutes(state: ActionState): Record<string, ActionHandler> {
	return {
		'/api/gateway/get-hold-message-list': (json) => {
			const items = itemsOf(json, { allowEmpty: true });
			if (isReply(items)) return items;
			const item = items[0] ?? {};
			const window: Record<string, number> = {};
			for (const field of ['start', 'end'] as const) {
				if (item[field] === undefined) continue;
				const ms = typeof item[field] === 'string' ? parseMcDate(item[field]) : undefined;
				if (ms === undefined)
					return fieldFail(
						CODES.dateFormat,
						`${field} must be an ISO 8601 date time such as 2011-12-03T10:15:30+0000`,
						item,
						field,
					);
				window[field] = ms;
			}
			const search = isObj(item.searchBy) ? item.searchBy : undefined;
			if (
				search &&
				!['all', 'subject', 'sender', 'recipient', 'reason_code'].includes(String(search.fieldName))
			) {
				return fieldFail(
					CODES.invalidValue,
					'searchBy.fieldName must be all, subject, sender, recipient or reason_code',
					item,
					'fieldName',
				);
			}
			const selected = state.heldMessages.filter((h) => {
				const at = parseMcDate(h.dateReceived) ?? 0;
				if (
					(window.start !== undefined && at < window.start) ||
					(window.end !== undefined && at > window.end)
				)
					return false;
				return (
					!search ||
					typeof search.value !== 'string' ||
					searchMatches(h, search.fieldName, search.value)
				);
			});
			const page = pageOfList(json, selected);
			return isReply(page) ? page : ok(page.page, page.meta);
		},
		'/api/gateway/get-hold-summary-list': () => {
			const counts = new Map<string, number>();
			for (const held of state.heldMessages)
				counts.set(held.policyInfo, (counts.get(held.policyInfo) ?? 0) + 1);
			return ok([...counts].map(([policyInfo, numberOfItems]) => ({ policyInfo, numberOfItems })));
		},
		'/api/gateway/hold-release': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const out = [];
			for (const item of items) {
				if (typeof item.id !== 'string' || item.id === '') return missing('id', item);
				// A message no longer held (released, rejected, unknown) answers release:false.
				out.push({ id: item.id, release: state.settleHeld(item.id, { status: 'released' }) });
			}
			return ok(out);
		},
		'/api/gateway/hold-reject': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const item = items[0];
			if (!Array.isArray(item.ids) || item.ids.length === 0) return missing('ids', item);
			if (item.reasonType !== undefined && !REJECT_REASONS.includes(String(item.reasonType))) {
				return fieldFail(
					CODES.invalidValue,
					`reasonType must be one of ${REJECT_REASONS.join(', ')}`,
					item,
					'reasonType',
				);
			}
			const reason = String(item.reasonType ?? REJECT_REASONS[4]);
			// The release log spells the reason in sentence case ("Message goes against email policies").
			const rejectReason = reason.charAt(0) + reason.slice(1).toLowerCase();
			return ok(
				item.ids.map((id) => ({
					id,
					reject: state.settleHeld(String(id), { status: 'rejected', rejectReason }),
				})),
			);
		},
	};
}
