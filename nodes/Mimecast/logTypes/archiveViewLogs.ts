import { queryBody, queryFilter } from './sharedParameters';
import type { PagedLogDefinition } from './types';

/** POST /api/archive/get-view-logs (seeds/archive-get-view-logs.txt): who opened archived mail. */
export const archiveViewLogs: PagedLogDefinition = {
	kind: 'paged',
	key: 'archiveViewLogs',
	displayName: 'Archive View Logs',
	recordNoun: 'archive view log',
	description: 'Get the logs of archived messages viewed by administrators',
	endpoint: () => ({
		path: '/api/archive/get-view-logs',
		timeField: 'viewed',
		permission: 'Archive | View Logs | Read',
		simplifiedFields: ['viewed', 'viewer', 'subject', 'from', 'to', 'contentViewed'],
		simplifyByDefault: false,
		supportsOldestFirst: false,
	}),
	dateFields: { start: 'start', end: 'end' },
	filters: [
		queryFilter({
			placeholder: 'viewer@example.com',
			description: 'Text to search for in the view logs (viewer, sender, recipient or subject)',
		}),
	],
	options: [],
	allowedValues: {},
	buildFilters: ({ filters }) => queryBody(filters),
};
