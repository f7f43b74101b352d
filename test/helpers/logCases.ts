/**
 * The paged log operations as a user and Mimecast's documentation see them, written
 * independently of nodes/Mimecast/logTypes so the suites check the definitions rather than
 * repeat them: node, parameters, endpoint, the request body Mimecast documents, where the
 * records are and which field holds their time.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { MimecastArchiveViewLogs } from '../../nodes/Mimecast/MimecastArchiveViewLogs.node.ts';
import { MimecastArchiveViewLogsTrigger } from '../../nodes/Mimecast/MimecastArchiveViewLogsTrigger.node.ts';
import { MimecastAuditEvents } from '../../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { MimecastAuditEventsTrigger } from '../../nodes/Mimecast/MimecastAuditEventsTrigger.node.ts';
import { MimecastTtpLogs } from '../../nodes/Mimecast/MimecastTtpLogs.node.ts';
import { MimecastTtpLogsTrigger } from '../../nodes/Mimecast/MimecastTtpLogsTrigger.node.ts';
import type { LogKind } from '../emulator/types';

export interface LogCase {
	name: string;
	action: () => INodeType;
	trigger: () => INodeType;
	/** Parameters selecting this log on the node. */
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
}

export const LOG_CASES: LogCase[] = [
	{
		name: 'Audit Events',
		action: () => new MimecastAuditEvents(),
		trigger: () => new MimecastAuditEventsTrigger(),
		params: {},
		kind: 'auditEvents',
		path: '/api/audit/get-audit-events',
		dateFields: ['startDateTime', 'endDateTime'],
		defaultBody: {},
		timeField: 'eventTime',
		permission: 'Account | Logs | Read',
	},
	{
		name: 'Archive View Logs',
		action: () => new MimecastArchiveViewLogs(),
		trigger: () => new MimecastArchiveViewLogsTrigger(),
		params: {},
		kind: 'viewLogs',
		path: '/api/archive/get-view-logs',
		dateFields: ['start', 'end'],
		defaultBody: {},
		timeField: 'viewed',
		permission: 'Archive | View Logs | Read',
	},
	{
		name: 'TTP URL Logs',
		action: () => new MimecastTtpLogs(),
		trigger: () => new MimecastTtpLogsTrigger(),
		params: { logType: 'url' },
		kind: 'ttpUrl',
		path: '/api/ttp/url/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false, route: 'all', scanResult: 'all' },
		timeField: 'date',
		recordsKey: 'clickLogs',
		permission: 'Monitoring | URL Protection | Read',
	},
	{
		name: 'TTP Attachment Logs',
		action: () => new MimecastTtpLogs(),
		trigger: () => new MimecastTtpLogsTrigger(),
		params: { logType: 'attachment' },
		kind: 'ttpAttachment',
		path: '/api/ttp/attachment/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false, route: 'all', result: 'all' },
		timeField: 'date',
		recordsKey: 'attachmentLogs',
		permission: 'Monitoring | Attachment Protection | Read',
	},
	{
		name: 'TTP Impersonation Logs',
		action: () => new MimecastTtpLogs(),
		trigger: () => new MimecastTtpLogsTrigger(),
		params: { logType: 'impersonation' },
		kind: 'ttpImpersonation',
		path: '/api/ttp/impersonation/get-logs',
		dateFields: ['from', 'to'],
		defaultBody: { oldestFirst: false },
		timeField: 'eventTime',
		recordsKey: 'impersonationLogs',
		permission: 'Monitoring | Impersonation Protection | Read',
	},
];

/** `2011-12-03T10:15:30+0000`, computed here without the package's date code. */
export function mimecastDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+0000');
}

export function recordTime(record: IDataObject, field: string): number {
	return Date.parse(String(record[field]).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export function canonical(records: IDataObject[]): string[] {
	return records.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
}
