import type { IDataObject } from 'n8n-workflow';

import type { PagedLogType } from './types';

/** POST /api/archive/get-view-logs (seeds/archive-get-view-logs.txt): who opened archived mail. */
export const archiveViewLogs: PagedLogType = {
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
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			default: '',
			placeholder: 'viewer@example.com',
			description: 'Text to search for in the view logs (viewer, sender, recipient or subject)',
		},
	],
	options: [],
	allowedValues: {},
	buildFilters: ({ filters }) => {
		const data: IDataObject = {};
		if (typeof filters.query === 'string' && filters.query.trim() !== '')
			data.query = filters.query.trim();
		return data;
	},
};
