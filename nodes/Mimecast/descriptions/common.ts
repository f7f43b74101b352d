import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { PagedLogDefinition } from '../logTypes/types';

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'API 2.0 (OAuth2 Client Credentials)', value: 'oAuth2' },
		{ name: 'API 1.0 (Access and Secret Keys)', value: 'apiKeys' },
	],
	default: 'oAuth2',
	description: 'Which Mimecast API keys to use. Mimecast issues only API 2.0 keys since 2025.',
};

export const oAuth2Credential: INodeCredentialDescription = {
	name: 'mimecastOAuth2Api',
	required: true,
	displayOptions: { show: { authentication: ['oAuth2'] } },
};

export const apiKeysCredential: INodeCredentialDescription = {
	name: 'mimecastApi',
	required: true,
	displayOptions: { show: { authentication: ['apiKeys'] } },
};

/**
 * The credentials of every node. One node (MimecastAuditEvents.node.ts) writes the API 1.0
 * entry out with `testedBy` and has the matching `methods.credentialTest`: n8n uses the first
 * node declaring a test for a credential, so one is enough.
 */
export const credentials: INodeCredentialDescription[] = [oAuth2Credential, apiKeysCredential];

export function windowProperties(
	definition: Pick<PagedLogDefinition, 'recordNoun' | 'retentionDays'>,
): INodeProperties[] {
	const retention = definition.retentionDays
		? ` Mimecast keeps ${definition.retentionDays} days.`
		: '';
	return [
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			default: '',
			required: true,
			description: `Oldest ${definition.recordNoun} time to return.${retention}`,
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			default: '',
			description: `Newest ${definition.recordNoun} time to return; empty means now`,
		},
	];
}

const SIMPLIFY_ON: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

const SIMPLIFY_OFF: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export function simplifyProperty(
	defaultOn: boolean,
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		...(defaultOn ? SIMPLIFY_ON : SIMPLIFY_OFF),
		...(displayOptions ? { displayOptions } : {}),
	};
}

/**
 * Simplify defaults per variant (TTP logs have many fields; audit events few), so one
 * property per distinct default, shown for the variants that share it.
 */
export function simplifyProperties(definition: PagedLogDefinition): INodeProperties[] {
	const variants = definition.variant?.values ?? [''];
	const byDefault = new Map<boolean, string[]>();
	for (const variant of variants) {
		const on = definition.endpoint(variant).simplifyByDefault;
		byDefault.set(on, [...(byDefault.get(on) ?? []), variant]);
	}
	if (byDefault.size === 1 || !definition.variant)
		return [simplifyProperty([...byDefault.keys()][0])];
	const name = definition.variant.parameter.name;
	return [...byDefault.entries()].map(([on, values]) =>
		simplifyProperty(on, { show: { [name]: values } }),
	);
}

export function filtersProperty(
	definition: Pick<PagedLogDefinition, 'filters'>,
): INodeProperties[] {
	if (definition.filters.length === 0) return [];
	return [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: definition.filters,
		},
	];
}

export function optionsProperty(
	definition: Pick<PagedLogDefinition, 'options'>,
	extra: INodeProperties[] = [],
): INodeProperties[] {
	const options = [...definition.options, ...extra].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
	if (options.length === 0) return [];
	return [
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options,
		},
	];
}
