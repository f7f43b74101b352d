/**
 * Blocked-sender policies (mimecast-api-more.md §14). Create has no natural key: two identical
 * creates make two policies, which is why the node never repeats one. An unknown id answers
 * `meta.status: 404` with empty `data` and `fail` inside an HTTP 200 (R7 fixture).
 */
import { formatMcDate, parseMcDate } from '../clock';
import { CODES, jsonReply, type Reply } from '../envelope';
import { firstItem, requiredString } from './body';
import { fieldFail, isObj, isReply, itemsOf, pageOfList, ok, type Obj } from './common';
import type { ActionEndpoints } from './endpoints';

export interface BlockedSenderPolicy {
	id: string;
	option: 'block_sender' | 'no_action';
	policy: Obj;
}

const OPTIONS = ['block_sender', 'no_action'];
const FROM_PARTS = ['envelope_from', 'header_from', 'both'];
const TYPES = [
	'everyone',
	'internal_addresses',
	'external_addresses',
	'email_domain',
	'profile_group',
	'individual_email_address',
];
/** Which key of the `from`/`to` object carries the value, per type (XS). */
const VALUE_KEY: Readonly<Record<string, string>> = {
	email_domain: 'emailDomain',
	profile_group: 'groupId',
	individual_email_address: 'emailAddress',
};
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/;
const ETERNAL_FROM = '1900-01-01T00:00:00+0000';
const ETERNAL_TO = '2100-01-01T23:59:59+0000';

export class BlockedSenderPolicies {
	readonly policies: BlockedSenderPolicy[] = [];
	private nextId = 1;

	constructor(private readonly now: () => number) {
		this.store('block_sender', {
			description: 'Known payroll scam domain',
			fromType: 'email_domain',
			fromValue: 'northwind-payroll.test',
		});
		this.store('block_sender', {
			description: 'Spoofed DocuSign sender',
			fromType: 'individual_email_address',
			fromValue: 'notify@docu-sign-secure.test',
			fromPart: 'both',
		});
	}

	endpoints(): ActionEndpoints {
		return {
			'/api/policy/blockedsenders/create-policy': {
				permission: 'Gateway | Policies | Edit',
				write: true,
				handle: (json) => this.create(json),
			},
			'/api/policy/blockedsenders/get-policy': {
				permission: 'Gateway | Policies | Read',
				write: false,
				handle: (json) => this.get(json),
			},
			'/api/policy/blockedsenders/delete-policy': {
				permission: 'Gateway | Policies | Edit',
				write: true,
				handle: (json) => this.remove(json),
			},
		};
	}

	private create(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const option = item.option;
		if (typeof option !== 'string' || !OPTIONS.includes(option))
			return fieldFail(
				CODES.invalidValue,
				`option must be one of ${OPTIONS.join(', ')}`,
				item,
				'option',
			);
		if (!isObj(item.policy))
			return fieldFail(CODES.validationNull, 'policy must not be null', item, 'policy');
		const checked = checkPolicy(item.policy, item);
		if (isReply(checked)) return checked;
		if (item.id !== undefined) {
			const existing = this.policies.find((p) => p.id === item.id);
			if (!existing) return notFound();
			existing.option = option as BlockedSenderPolicy['option'];
			existing.policy = {
				...policyRecord(item.policy, this.now()),
				createTime: existing.policy.createTime,
			};
			return ok([existing]);
		}
		return ok([this.store(option as BlockedSenderPolicy['option'], item.policy)]);
	}

	private store(option: BlockedSenderPolicy['option'], policy: Obj): BlockedSenderPolicy {
		const id = `eNo1jrsOgjAAAP${Buffer.from(`policy:${this.nextId++}`).toString('base64url')}`;
		const stored: BlockedSenderPolicy = { option, id, policy: policyRecord(policy, this.now()) };
		this.policies.push(stored);
		return stored;
	}

	private get(json: unknown): Reply {
		// `data: []` lists every policy; `[{id}]` reads one (XSOAR list_policies_command).
		const items = itemsOf(json, { allowEmpty: true });
		if (isReply(items)) return items;
		if (items[0]?.id !== undefined) {
			const one = this.policies.find((p) => p.id === items[0].id);
			return one ? ok([one]) : notFound();
		}
		const page = pageOfList(json, this.policies);
		if (isReply(page)) return page;
		return ok(page.page, page.meta);
	}

	private remove(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const id = requiredString(item, 'id');
		if (isReply(id)) return id;
		const index = this.policies.findIndex((p) => p.id === id);
		if (index < 0) return notFound();
		this.policies.splice(index, 1);
		return ok([{ id }]);
	}
}

function notFound(): Reply {
	return jsonReply(200, { meta: { status: 404 }, data: [], fail: [] });
}

function checkPolicy(policy: Obj, item: Obj): true | Reply {
	const description = requiredString(policy, 'description');
	if (isReply(description)) return description;
	if (policy.fromPart !== undefined && !FROM_PARTS.includes(String(policy.fromPart)))
		return fieldFail(
			CODES.invalidValue,
			`fromPart must be one of ${FROM_PARTS.join(', ')}`,
			item,
			'fromPart',
		);
	for (const side of ['from', 'to']) {
		const type = policy[`${side}Type`] ?? 'everyone';
		if (!TYPES.includes(String(type)))
			return fieldFail(
				CODES.invalidValue,
				`${side}Type must be one of ${TYPES.join(', ')}`,
				item,
				`${side}Type`,
			);
		const value = policy[`${side}Value`];
		if (VALUE_KEY[String(type)] && (typeof value !== 'string' || value === ''))
			return fieldFail(
				CODES.validationBlank,
				`${side}Value must not be blank for ${String(type)}`,
				item,
				`${side}Value`,
			);
	}
	const conditions = isObj(policy.conditions) ? policy.conditions : {};
	const ips = conditions.sourceIPs;
	if (ips !== undefined && (!Array.isArray(ips) || ips.some((ip) => !CIDR.test(String(ip)))))
		return fieldFail(
			CODES.invalidValue,
			'sourceIPs must be a list of IPv4 CIDR ranges such as 192.0.2.0/24',
			item,
			'sourceIPs',
		);
	for (const field of ['fromDate', 'toDate']) {
		const value = policy[field];
		if (value !== undefined && (typeof value !== 'string' || parseMcDate(value) === undefined))
			return fieldFail(
				CODES.dateFormat,
				`${field} must be a date time such as 2024-06-06T08:18:34+00:00`,
				item,
				field,
			);
	}
	return true;
}

/** What Mimecast stores and answers for a policy (XS-td/create_block_sender_policy_response.json). */
function policyRecord(policy: Obj, now: number): Obj {
	const side = (name: 'from' | 'to'): Obj => {
		const type = String(policy[`${name}Type`] ?? 'everyone');
		const key = VALUE_KEY[type];
		return key ? { type, [key]: policy[`${name}Value`] } : { type };
	};
	const date = (field: string, eternal: string) => {
		const ms = typeof policy[field] === 'string' ? parseMcDate(policy[field]) : undefined;
		return ms === undefined ? eternal : formatMcDate(ms);
	};
	const at = formatMcDate(now);
	const record: Obj = {
		description: policy.description,
		fromPart: policy.fromPart ?? 'envelope_from',
		from: side('from'),
		to: side('to'),
		fromType: policy.fromType ?? 'everyone',
		...(policy.fromValue !== undefined ? { fromValue: policy.fromValue } : {}),
		toType: policy.toType ?? 'everyone',
		...(policy.toValue !== undefined ? { toValue: policy.toValue } : {}),
		fromEternal: policy.fromDate === undefined,
		toEternal: policy.toDate === undefined,
		fromDate: date('fromDate', ETERNAL_FROM),
		toDate: date('toDate', ETERNAL_TO),
		override: policy.override === true,
		bidirectional: policy.bidirectional === true,
		conditions: isObj(policy.conditions) ? policy.conditions : {},
		enabled: policy.enabled !== false,
		enforced: policy.enforced === true,
		createTime: at,
		lastUpdated: at,
	};
	if (typeof policy.comment === 'string') record.comment = policy.comment;
	return record;
}
