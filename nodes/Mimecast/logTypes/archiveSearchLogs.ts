import { queryBody, queryFilter } from './sharedParameters';
import type { PagedLogDefinition } from './types';

/**
 * POST /api/archive/get-archive-search-logs (mimecast-api-more.md §2): who searched the archive,
 * for what and why. Body `start`, `end`, `query`, all optional; records in `data[0].logs[]`.
 */
export const archiveSearchLogs: PagedLogDefinition = {
	kind: 'paged',
	key: 'archiveSearchLogs',
	displayName: 'Archive Search Logs',
	recordNoun: 'archive search log',
	description: 'Get the logs of archive searches run by administrators and users',
	endpoint: () => ({
		path: '/api/archive/get-archive-search-logs',
		recordsKey: 'logs',
		timeField: 'createTime',
		// Mimecast documents this for /api/archive/get-search-logs, which serves the same logs.
		permission: 'Archive | Search Logs | Read',
		simplifiedFields: [
			'createTime',
			'emailAddr',
			'source',
			'description',
			'searchText',
			'searchReason',
		],
		simplifyByDefault: false,
		supportsOldestFirst: false,
	}),
	dateFields: { start: 'start', end: 'end' },
	filters: [
		queryFilter({
			placeholder: 'admin@example.com',
			description: 'Text to search for in the search logs (sent to Mimecast)',
		}),
	],
	options: [],
	allowedValues: {},
	buildFilters: ({ filters }) => queryBody(filters),
};
