import type { IDataObject } from 'n8n-workflow';

import type { ActionEndpoint } from '../types';

const EDIT = 'Services | Targeted Threat Protection | URL Protect | Edit';

export const CREATE: ActionEndpoint = {
	path: '/api/ttp/url/create-managed-url',
	permission: EDIT,
	label: 'Create Managed URL',
	// A second identical create answers err_managed_url_exists_code and adds nothing
	// (mimecast-api-more.md idempotency table): the create operation treats that as success.
	repeat: 'repeatable',
};

export const LIST: ActionEndpoint = {
	path: '/api/ttp/url/get-all-managed-urls',
	permission: 'Services | Targeted Threat Protection | URL Protect | Read',
	label: 'Get Many Managed URLs',
	repeat: 'read',
};

export const DELETE: ActionEndpoint = {
	path: '/api/ttp/url/delete-managed-url',
	permission: EDIT,
	label: 'Delete Managed URL',
	// A repeated delete answers err_managed_url_not_found: done (the delete operation says so).
	repeat: 'repeatable',
};

export const SETTINGS = [
	'action',
	'matchType',
	'disableLogClick',
	'disableRewrite',
	'disableUserAwareness',
] as const;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The URL a managed URL record stands for, rebuilt from Mimecast's parts. */
export function urlOf(record: IDataObject): string {
	const port = typeof record.port === 'number' && record.port > 0 ? `:${record.port}` : '';
	const query = text(record.queryString) ? `?${text(record.queryString).replace(/^\?/, '')}` : '';
	return `${text(record.scheme) || 'https'}://${text(record.domain)}${port}${text(record.path)}${query}`;
}

/** One output item per managed URL, in the user's terms (the URL whole, settings by name). */
export function managedUrlItem(record: IDataObject): IDataObject {
	return {
		id: record.id,
		url: urlOf(record),
		domain: record.domain,
		action: record.action,
		matchType: record.matchType,
		comment: record.comment ?? '',
		disableLogClick: record.disableLogClick === true,
		disableRewrite: record.disableRewrite === true,
		disableUserAwareness: record.disableUserAwareness === true,
	};
}

/** Whether a record is the entry Mimecast keeps for `url` with this match type. */
export function isEntryFor(record: IDataObject, url: string, matchType: string): boolean {
	const wanted = new URL(url);
	if (
		text(record.domain).toLowerCase() !== wanted.hostname.toLowerCase() ||
		record.matchType !== matchType
	)
		return false;
	if (matchType === 'domain') return true;
	const path = (p: string) => (p === '' ? '/' : p);
	return (
		text(record.scheme || 'https') === wanted.protocol.replace(':', '') &&
		path(text(record.path)) === path(wanted.pathname) &&
		text(record.queryString).replace(/^\?/, '') === wanted.search.replace(/^\?/, '')
	);
}
