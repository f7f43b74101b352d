/**
 * The one table of paged log operations, read by the unit, integration and e2e suites: each row
 * is a log (or one variant of it) as a user and Mimecast's documentation see it.
 *
 * Written independently of nodes/Mimecast/logTypes, so the suites check the definitions rather
 * than repeat them: the endpoint, the request body Mimecast documents, where the records are,
 * which field holds their time, the permission and what each filter keeps are stated here again
 * from Mimecast's documentation (and ../shared/mimecast-api*.md). test/unit/registry.test.ts
 * fails when a registered paged log type has no row here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LogKind, LogRecord } from '../emulator/types';

export const PACKAGE = 'n8n-nodes-mimecast';

export interface FilterCase {
	label: string;
	/** The node's Filters collection. */
	filters: Record<string, unknown>;
	/** Which of the emulator's records Mimecast (or the node, for client-side filters) keeps. */
	keep: (record: LogRecord) => boolean;
	/** Mimecast has no such filter: the node applies it and sends nothing for it. */
	clientSide?: true;
}

export interface LogCase {
	name: string;
	/** n8n node type without the package prefix; the trigger twin is `${node}Trigger`. */
	node: string;
	/** Parameters selecting this log on the node (e.g. logType). */
	params: IDataObject;
	kind: LogKind;
	path: string;
	dateFields: [string, string];
	/** What the body's data[0] holds besides the dates when no filter is set. */
	defaultBody: IDataObject;
	timeField: string;
	/** Records sit in data[0][recordsKey] rather than data[]. */
	recordsKey?: string;
	permission: string;
	/** Filter scenarios (e2e runs each; the first is also run by the integration suite). */
	filters: FilterCase[];
	/** The trigger's Filters when the defaults would drop some records (impersonation). */
	triggerFilters?: FilterCase;
}

export const LOG_CASES: LogCase[] = [
	{
		name: 'Audit Events',
		node: 'mimecastAuditEvents',
		params: {},
		kind: 'auditEvents',
		path: '/api/audit/get-audit-events',
		dateFields: ['startDateTime', 'endDateTime'],
		defaultBody: {},
		timeField: 'eventTime',
		permission: 'Account | Logs | Read',
		filters: [
			{
				label: 'categories = authentication_logs, user_logs',
				filters: { categories: ['authentication_logs', 'user_logs'] },
				keep: (r) => r.category === 'authentication_logs' || r.category === 'user_logs',
			},
			{
				label: 'query "logged on"',
				filters: { query: 'logged on' },
				keep: (r) =>
					['user', 'eventInfo', 'auditType'].some((f) =>
						String(r[f] ?? '')
							.toLowerCase()
							.includes('logged on'),
					),
			},
		],
	},
	{
		name: 'Archive View Logs',
		node: 'mimecastArchiveViewLogs',
		params: {},
		kind: 'viewLogs',
		path: '/api/archive/get-view-logs',
		dateFields: ['start', 'end'],
		defaultBody: {},
		timeField: 'viewed',
		permission: 'Archive | View Logs | Read',
		filters: [
			{
				label: 'query "invoice"',
				filters: { query: 'invoice' },
				keep: (r) =>
					['viewer', 'from', 'to', 'subject'].some((f) =>
						String(r[f] ?? '')
							.toLowerCase()
							.includes('invoice'),
					),
			},
		],
	},
	{
		name: 'TTP URL Logs',
		node: 'mimecastTtpLogs',
		params: { logType: 'url' },
		kind: 'ttpUrl',
		path: '/api/ttp/url/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false, route: 'all', scanResult: 'all' },
		timeField: 'date',
		recordsKey: 'clickLogs',
		permission: 'Monitoring | URL Protection | Read',
		filters: [
			{
				label: 'scanResult = malicious',
				filters: { scanResult: 'malicious' },
				keep: (r) => r.scanResult === 'malicious',
			},
			{
				label: 'route = outbound, scanResult = clean',
				filters: { route: 'outbound', scanResult: 'clean' },
				keep: (r) => r.route === 'outbound' && r.scanResult === 'clean',
			},
		],
	},
	{
		name: 'TTP Attachment Logs',
		node: 'mimecastTtpLogs',
		params: { logType: 'attachment' },
		kind: 'ttpAttachment',
		path: '/api/ttp/attachment/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false, route: 'all', result: 'all' },
		timeField: 'date',
		recordsKey: 'attachmentLogs',
		permission: 'Monitoring | Attachment Protection | Read',
		filters: [
			{
				label: 'result = malicious',
				filters: { result: 'malicious' },
				keep: (r) => r.result === 'malicious',
			},
		],
	},
	{
		name: 'TTP Impersonation Logs',
		node: 'mimecastTtpLogs',
		params: { logType: 'impersonation' },
		kind: 'ttpImpersonation',
		path: '/api/ttp/impersonation/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false },
		timeField: 'eventTime',
		recordsKey: 'impersonationLogs',
		permission: 'Monitoring | Impersonation Protection | Read',
		filters: [
			{
				label: 'tagged malicious',
				filters: { taggedMalicious: true },
				keep: (r) => r.taggedMalicious === true,
			},
		],
		// Impersonation defaults to tagged-malicious only; this takes the others.
		triggerFilters: {
			label: 'not tagged malicious',
			filters: { taggedMalicious: false },
			keep: (r) => r.taggedMalicious === false,
		},
	},
	{
		// mimecast-api-more.md §1. Action and Route are not Mimecast filters: the node applies them.
		name: 'DLP Logs',
		node: 'mimecastDlpLogs',
		params: {},
		kind: 'dlpLogs',
		path: '/api/dlp/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false },
		timeField: 'eventTime',
		recordsKey: 'dlpLogs',
		permission: 'Monitoring | Data Leak Prevention | Read',
		filters: [
			{
				label: 'action = hold (client side)',
				filters: { action: 'hold' },
				keep: (r) => r.action === 'hold',
				clientSide: true,
			},
			{
				label: 'route = inbound, action = notification (client side)',
				filters: { route: 'inbound', action: 'notification' },
				keep: (r) => r.route === 'inbound' && r.action === 'notification',
				clientSide: true,
			},
		],
	},
	{
		// §2: records in data[0].logs[], the user in `emailAddr`.
		name: 'Archive Search Logs',
		node: 'mimecastArchiveSearchLogs',
		params: {},
		kind: 'archiveSearchLogs',
		path: '/api/archive/get-archive-search-logs',
		dateFields: ['start', 'end'],
		defaultBody: {},
		timeField: 'createTime',
		recordsKey: 'logs',
		permission: 'Archive | Search Logs | Read',
		filters: [
			{
				label: 'query "audit"',
				filters: { query: 'audit' },
				keep: (r) =>
					['searchText', 'emailAddr', 'description'].some((f) =>
						String(r[f] ?? '')
							.toLowerCase()
							.includes('audit'),
					),
			},
		],
	},
	{
		// §3: records in data[0].heldReleaseLogs[], timed by `released`. Status is applied by the node.
		name: 'Message Release Logs',
		node: 'mimecastMessageReleaseLogs',
		params: {},
		kind: 'releaseLogs',
		path: '/api/gateway/get-held-release-logs',
		dateFields: ['start', 'end'],
		defaultBody: {},
		timeField: 'released',
		recordsKey: 'heldReleaseLogs',
		permission: 'Monitoring | Held | Read',
		filters: [
			{
				label: 'status = rejected (client side)',
				filters: { status: 'rejected' },
				keep: (r) => r.status === 'rejected',
				clientSide: true,
			},
		],
	},
];

/** `2011-12-03T10:15:30+0000`, computed here without the package's date code. */
export function mimecastDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+0000');
}

/** `2011-12-03T10:15:30+0000` (Mimecast) → epoch ms. */
export function recordTime(record: IDataObject | LogRecord, field: string): number {
	return Date.parse(String(record[field]).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Records as sorted lists of their sorted fields: equal sets compare equal whatever the order. */
export function canonical(records: IDataObject[]): string[] {
	return records
		.map((r) =>
			JSON.stringify(
				Object.keys(r)
					.sort()
					.map((k) => [k, r[k]]),
			),
		)
		.sort();
}
