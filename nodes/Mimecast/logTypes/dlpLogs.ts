import type { PagedLogType } from './types';
import { clientFilterProperty } from './clientFilters';

const ACTIONS = [
	{ name: 'Hold', value: 'hold' },
	{ name: 'Notification', value: 'notification' },
];
const ROUTES = [
	{ name: 'Inbound', value: 'inbound' },
	{ name: 'Outbound', value: 'outbound' },
];

/**
 * POST /api/dlp/get-logs (mimecast-api-more.md §1): messages that hit a Data Leak Prevention
 * policy. The body takes only the window (`from`/`to`) and `oldestFirst`; no source documents a
 * filter, so Action and Route are applied by the node to the records.
 */
export const dlpLogs: PagedLogType = {
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
	filters: [
		clientFilterProperty({
			name: 'action',
			field: 'action',
			displayName: 'Action',
			values: ACTIONS,
			noun: 'DLP logs',
		}),
		clientFilterProperty({
			name: 'route',
			field: 'route',
			displayName: 'Route',
			values: ROUTES,
			noun: 'DLP logs',
		}),
	],
	clientFilters: [
		{ name: 'action', field: 'action' },
		{ name: 'route', field: 'route' },
	],
	options: [
		{
			displayName: 'Oldest First',
			name: 'oldestFirst',
			type: 'boolean',
			default: false,
			description: 'Whether to return the oldest records first instead of the newest',
		},
	],
	allowedValues: {
		action: { label: 'Action', values: ['all', ...ACTIONS.map((a) => a.value)] },
		route: { label: 'Route', values: ['all', ...ROUTES.map((r) => r.value)] },
	},
	buildFilters: ({ options }) => ({ oldestFirst: options.oldestFirst === true }),
};
