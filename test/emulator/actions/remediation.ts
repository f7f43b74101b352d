/**
 * Threat remediation (mimecast-api-more.md §12): create an incident that pulls messages out of
 * the mailboxes (by attachment hash or Message-ID), read it back, and ask whether hashes were
 * seen. Every create makes a new incident, as Mimecast presumably does: a blind repeat acts twice.
 */
import { formatMcDate } from '../clock';
import { ACCOUNT_CODE } from '../data/vocab';
import { CODES, type Reply } from '../envelope';
import { firstItem, requiredString } from './body';
import { dateField, fieldFail, isReply, ok, type Obj } from './common';
import type { ActionEndpoints } from './endpoints';
import { hasHash, type Mailbox, type TrackedMessage } from './mailbox';

export interface Incident {
	id: string;
	code: string;
	type: 'manual';
	reason: string;
	identified: number;
	successful: number;
	failed: number;
	restored: number;
	create: string;
	modified: string;
	searchCriteria: Obj;
}

const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i;
const MAX_HASHES = 100;

export class Remediations {
	readonly incidents: Incident[] = [];

	constructor(
		readonly mailbox: Mailbox,
		private readonly now: () => number,
	) {}

	endpoints(): ActionEndpoints {
		return {
			'/api/ttp/remediation/create': {
				permission: 'Monitoring | Threat Remediation | Edit',
				write: true,
				handle: (json) => this.create(json),
			},
			'/api/ttp/remediation/get-incident': {
				permission: 'Monitoring | Threat Remediation | Read',
				write: false,
				handle: (json) => this.get(json),
			},
			'/api/ttp/remediation/search-hash': {
				permission: 'Monitoring | Threat Remediation | Read',
				write: false,
				handle: (json) => this.searchHash(json),
			},
		};
	}

	private create(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const reason = requiredString(item, 'reason');
		if (isReply(reason)) return reason;
		const target = requiredString(item, 'hashOrMessageId');
		if (isReply(target)) return target;
		const searchBy = item.searchBy ?? 'hash';
		if (searchBy !== 'hash' && searchBy !== 'messageId')
			return fieldFail(CODES.invalidValue, 'searchBy must be hash or messageId', item, 'searchBy');
		if (searchBy === 'hash' && !HASH.test(target))
			return fieldFail(
				'err_validation_invalid_hash',
				'The hash must be MD5, SHA-1 or SHA-256 hex',
				item,
				'hashOrMessageId',
			);
		if (searchBy === 'messageId' && !/^<[^<>\s]+>$/.test(target))
			return fieldFail(
				CODES.invalidValue,
				'A Message-ID must be enclosed in < >',
				item,
				'hashOrMessageId',
			);
		const window = this.window(item);
		if (isReply(window)) return window;

		const match = (m: TrackedMessage) =>
			searchBy === 'hash' ? hasHash(m, target) : m.messageId === target;
		const hits = this.mailbox
			.all()
			.filter(
				(m) => !m.remediatedBy && m.received >= window.from && m.received <= window.to && match(m),
			);
		const n = this.incidents.length + 1;
		const code = `TR-${ACCOUNT_CODE}-${String(n).padStart(5, '0')}-M`;
		for (const m of hits) m.remediatedBy = code;
		const copies = hits.reduce((sum, m) => sum + m.to.length, 0);
		const at = formatMcDate(this.now());
		const incident: Incident = {
			id: `eNo1jrsOg${Buffer.from(`incident:${n}`).toString('base64url')}`,
			code,
			type: 'manual',
			reason,
			identified: copies,
			successful: copies,
			failed: 0,
			restored: 0,
			create: at,
			modified: at,
			searchCriteria: {
				start: formatMcDate(window.from),
				end: formatMcDate(window.to),
				...(searchBy === 'hash' ? { fileHash: target } : { messageId: target }),
			},
		};
		this.incidents.push(incident);
		return ok([incident]);
	}

	/** Defaults as Mimecast documents them: from a month ago to the end of today. */
	private window(item: Obj): { from: number; to: number } | Reply {
		const now = this.now();
		const endOfDay = new Date(now).setUTCHours(23, 59, 59, 0);
		const read = (field: 'start' | 'end', fallback: number) => dateField(item, field, fallback);
		const from = read('start', now - 31 * 86_400_000);
		if (isReply(from)) return from;
		const to = read('end', endOfDay);
		if (isReply(to)) return to;
		if (to < from) return fieldFail(CODES.dateRange, 'end must not be before start', item, 'end');
		return { from, to };
	}

	private get(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const id = requiredString(item, 'id');
		if (isReply(id)) return id;
		const incident = this.incidents.find((i) => i.id === id);
		if (!incident)
			return fieldFail(
				'err_remediation_incident_not_found',
				'No remediation incident with this id',
				item,
				'id',
			);
		return ok([incident]);
	}

	private searchHash(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const hashes = item.hashes;
		if (!Array.isArray(hashes) || hashes.length === 0)
			return fieldFail(CODES.validationBlank, 'hashes must hold at least one hash', item, 'hashes');
		if (hashes.length > MAX_HASHES)
			return fieldFail(
				CODES.maxValue,
				`hashes must not hold more than ${MAX_HASHES} hashes`,
				item,
				'hashes',
			);
		const messages = this.mailbox.all();
		const hashStatus: Obj[] = [];
		const failedHashes: Obj[] = [];
		for (const raw of hashes) {
			const hash = String(raw);
			if (!HASH.test(hash))
				failedHashes.push({
					hash,
					code: 'err_validation_invalid_hash',
					message: 'Not an MD5, SHA-1 or SHA-256 hash',
				});
			// Ours: an all-zero hash stands for one Mimecast cannot search, to exercise failedHashes.
			else if (/^0+$/.test(hash))
				failedHashes.push({
					hash,
					code: 'err_hash_not_searchable',
					message: 'Not a hash Mimecast can search',
				});
			else hashStatus.push({ hash, detected: messages.some((m) => hasHash(m, hash)) });
		}
		return ok([{ hashStatus, failedHashes }]);
	}
}
