import { toStringList } from '../core/values';
import { queryBody, queryFilter } from './sharedParameters';
import type { PagedLogDefinition } from './types';

/** POST /api/audit/get-audit-events (seeds/audit-get-audit-events.txt). */
export const auditEvents: PagedLogDefinition = {
	kind: 'paged',
	key: 'auditEvents',
	displayName: 'Audit Events',
	recordNoun: 'audit event',
	description: 'Get audit events of the Mimecast account (logins, policy and admin changes)',
	retentionDays: 60,
	endpoint: () => ({
		path: '/api/audit/get-audit-events',
		timeField: 'eventTime',
		permission: 'Account | Logs | Read',
		simplifiedFields: ['id', 'eventTime', 'auditType', 'category', 'user', 'eventInfo'],
		simplifyByDefault: false,
		supportsOldestFirst: false,
	}),
	dateFields: { start: 'startDateTime', end: 'endDateTime' },
	filters: [
		{
			displayName: 'Categories Names or IDs',
			name: 'categories',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getAuditCategories' },
			default: [],
			description:
				'Only events of these audit categories; none means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		queryFilter({
			placeholder: 'admin@example.com',
			description: 'Text to search for in the audit events',
		}),
	],
	options: [],
	allowedValues: {},
	buildFilters: ({ filters }) => {
		const data = queryBody(filters);
		const categories = toStringList(filters.categories);
		if (categories.length > 0) data.categories = categories;
		return data;
	},
	loadOptions: {
		getAuditCategories: {
			path: '/api/audit/get-categories',
			permission: 'Account | Logs | Read',
			// A record without a string code gives an empty value, which the loader reports.
			toOption: (record) => ({
				name: String(record.name ?? record.code),
				value: typeof record.code === 'string' ? record.code : '',
			}),
		},
	},
};
