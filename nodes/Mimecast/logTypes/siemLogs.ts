import type { SiemLogDefinition } from './types';

/**
 * SIEM logs (seeds/audit-get-siem-logs.txt; mimecast-api.md "SIEM logs").
 *
 * API 1.0: POST /api/audit/get-siem-logs, one file (or one zip of files) per call, the next
 * token in the `mc-siem-token` header, `meta.isLastToken` when caught up.
 * API 2.0: GET /siem/v1/batch/events/cg per type, `@nextPage` paging, gzip NDJSON files at
 * pre-signed, expiring URLs. Cloud Integrated (Mimecast's Microsoft 365 product, API 2.0
 * only): GET /siem/v1/batch/events/ci, the same batch reading (mimecast-api-more.md §5).
 */
export const siemLogs: SiemLogDefinition = {
	kind: 'siem',
	key: 'siemLogs',
	displayName: 'SIEM Logs',
	recordNoun: 'SIEM event',
	description:
		'Get Mimecast SIEM (MTA) logs: receipt, process, delivery, AV, spam, TTP and journal events',
	retentionDays: 7,
	permission: 'Gateway | Tracking | Read',
	v1: { path: '/api/audit/get-siem-logs', type: 'MTA' },
	v2: {
		path: '/siem/v1/batch/events/cg',
		// The largest page the batch endpoint is known to accept; each entry is one file link.
		pageSize: 100,
		types: [
			{ value: 'receipt', name: 'Receipt', api: 'receipt' },
			{ value: 'process', name: 'Process', api: 'process' },
			{ value: 'delivery', name: 'Delivery', api: 'delivery' },
			{ value: 'av', name: 'AV', api: 'av' },
			{ value: 'spam', name: 'Spam', api: 'spam' },
			{
				value: 'internalEmailProtect',
				name: 'Internal Email Protect',
				api: 'internal email protect',
			},
			{
				value: 'impersonationProtect',
				name: 'Impersonation Protect',
				api: 'impersonation protect',
			},
			{ value: 'urlProtect', name: 'URL Protect', api: 'url protect' },
			{ value: 'attachmentProtect', name: 'Attachment Protect', api: 'attachment protect' },
			{ value: 'journal', name: 'Journal', api: 'journal' },
		],
		cloudIntegrated: {
			path: '/siem/v1/batch/events/ci',
			types: [
				{ value: 'entities', name: 'Entities', api: 'entities' },
				{ value: 'mailflow', name: 'Mailflow', api: 'mailflow' },
				{ value: 'urlclick', name: 'URL Click', api: 'urlclick' },
			],
		},
	},
};
