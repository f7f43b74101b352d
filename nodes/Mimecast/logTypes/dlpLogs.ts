import type { PagedLogDefinition } from './types';
import { clientFiltered } from './clientFilters';
import { oldestFirstBody, oldestFirstOption } from './sharedParameters';

/**
 * POST /api/dlp/get-logs (mimecast-api-more.md §1): messages that hit a Data Leak Prevention
 * policy. The body takes only the window (`from`/`to`) and `oldestFirst`; no source documents a
 * filter, so Action and Route are applied by the node to the records.
 */
export const dlpLogs: PagedLogDefinition = {
	kind: 'paged',
	key: 'dlpLogs',
	displayName: 'DLP Logs',
	recordNoun: 'DLP log',
	description:
		'Get Data Leak Prevention logs: messages that hit a DLP policy and were held or notified',
	endpoint: () => ({
		path: '/api/dlp/get-logs',
		recordsKey: 'dlpLogs',
		timeField: 'eventTime',
		permission: 'Monitoring | Data Leak Prevention | Read',
		simplifiedFields: [
			'eventTime',
			'action',
			'policy',
			'route',
			'senderAddress',
			'recipientAddress',
			'subject',
			'messageId',
		],
		simplifyByDefault: false,
		supportsOldestFirst: true,
	}),
	dateFields: { start: 'from', end: 'to' },
	...clientFiltered('DLP logs', [
		{ name: 'action', displayName: 'Action', values: ['hold', 'notification'] },
		{ name: 'route', displayName: 'Route', values: ['inbound', 'outbound'] },
	]),
	options: [oldestFirstOption],
	buildFilters: ({ options }) => oldestFirstBody(options),
};
