import type { IDataObject } from 'n8n-workflow';

/**
 * Option values are stable camelCase identifiers (saved in workflows); Mimecast's are
 * snake_case. One table per field maps between them, both ways.
 */
export const ACTIONS = { blockSender: 'block_sender', noAction: 'no_action' } as const;
export const FROM_PARTS = {
	envelopeFrom: 'envelope_from',
	headerFrom: 'header_from',
	both: 'both',
} as const;
export const ADDRESS_TYPES = {
	everyone: 'everyone',
	internalAddresses: 'internal_addresses',
	externalAddresses: 'external_addresses',
	emailDomain: 'email_domain',
	profileGroup: 'profile_group',
	individualEmailAddress: 'individual_email_address',
} as const;

export type AddressType = keyof typeof ADDRESS_TYPES;

/** The types whose policy needs a value, and what that value is. */
export const VALUE_OF: Partial<Record<AddressType, 'domain' | 'groupId' | 'email'>> = {
	emailDomain: 'domain',
	profileGroup: 'groupId',
	individualEmailAddress: 'email',
};

function camelOf<T extends Record<string, string>>(table: T, value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	return Object.keys(table).find((key) => table[key] === value) ?? value;
}

/**
 * A policy as users read it: `action` for Mimecast's `option`, the camelCase values they chose,
 * `created`/`lastUpdated` as dates; Mimecast's nested `from`/`to` objects repeat the type and
 * value fields and are left out.
 */
export function policyOutput(record: IDataObject): IDataObject {
	const policy = (
		record.policy && typeof record.policy === 'object' ? record.policy : {}
	) as IDataObject;
	const out: IDataObject = {
		id: record.id,
		action: camelOf(ACTIONS, record.option),
		description: policy.description,
		fromPart: camelOf(FROM_PARTS, policy.fromPart),
		fromType: camelOf(ADDRESS_TYPES, policy.fromType),
		fromValue: policy.fromValue,
		toType: camelOf(ADDRESS_TYPES, policy.toType),
		toValue: policy.toValue,
		conditions: policy.conditions,
		bidirectional: policy.bidirectional,
		override: policy.override,
		enabled: policy.enabled,
		enforced: policy.enforced,
		fromDate: policy.fromEternal === true ? undefined : policy.fromDate,
		toDate: policy.toEternal === true ? undefined : policy.toDate,
		comment: policy.comment,
		created: policy.createTime,
		lastUpdated: policy.lastUpdated,
	};
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}
