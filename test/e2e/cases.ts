/**
 * The nodes the e2e suite drives through a real n8n, one row each. A new log type is a new
 * row here; rows whose node is not built (not in package.json's n8n.nodes or not in dist/)
 * are skipped with that reason, so rows may be written before their node lands.
 *
 * Written from Mimecast's documented behaviour and the emulator's records, not from the
 * package's own definitions, so a wrong definition fails here.
 */
import type { Emulator, LogKind, LogRecord } from '../emulator/types';

export const PACKAGE = 'n8n-nodes-mimecast';

export interface FilterCase {
	label: string;
	/** The node's Filters collection. */
	filters: Record<string, unknown>;
	/** Which of the emulator's records Mimecast would return for it. */
	keep: (record: LogRecord) => boolean;
}

/** A paged action node (or one variant of it), checked against the emulator's records. */
export interface PagedActionCase {
	name: string;
	/** n8n node type without the package prefix. */
	node: string;
	/** Parameters selecting this log on the node (e.g. logType). */
	params: Record<string, unknown>;
	kind: LogKind;
	/** The Mimecast endpoint, to aim faults at. */
	path: string;
	timeField: string;
	filters: FilterCase[];
}

export const PAGED_ACTIONS: PagedActionCase[] = [
	{
		name: 'Audit Events',
		node: 'mimecastAuditEvents',
		params: {},
		kind: 'auditEvents',
		path: '/api/audit/get-audit-events',
		timeField: 'eventTime',
		filters: [
			{
				label: 'categories = authentication_logs, user_logs',
				filters: { categories: ['authentication_logs', 'user_logs'] },
				keep: (r) => r.category === 'authentication_logs' || r.category === 'user_logs',
			},
			{
				label: 'query "logged on"',
				filters: { query: 'logged on' },
				keep: (r) => ['user', 'eventInfo', 'auditType'].some((f) => String(r[f] ?? '').toLowerCase().includes('logged on')),
			},
		],
	},
	{
		name: 'Archive View Logs',
		node: 'mimecastArchiveViewLogs',
		params: {},
		kind: 'viewLogs',
		path: '/api/archive/get-view-logs',
		timeField: 'viewed',
		filters: [
			{
				label: 'query "invoice"',
				filters: { query: 'invoice' },
				keep: (r) => ['viewer', 'from', 'to', 'subject'].some((f) => String(r[f] ?? '').toLowerCase().includes('invoice')),
			},
		],
	},
	{
		name: 'TTP URL Logs',
		node: 'mimecastTtpLogs',
		params: { logType: 'url' },
		kind: 'ttpUrl',
		path: '/api/ttp/url/get-logs',
		timeField: 'date',
		filters: [
			{ label: 'scanResult = malicious', filters: { scanResult: 'malicious' }, keep: (r) => r.scanResult === 'malicious' },
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
		timeField: 'date',
		filters: [{ label: 'result = malicious', filters: { result: 'malicious' }, keep: (r) => r.result === 'malicious' }],
	},
	{
		name: 'TTP Impersonation Logs',
		node: 'mimecastTtpLogs',
		params: { logType: 'impersonation' },
		kind: 'ttpImpersonation',
		path: '/api/ttp/impersonation/get-logs',
		timeField: 'eventTime',
		filters: [{ label: 'tagged malicious', filters: { taggedMalicious: true }, keep: (r) => r.taggedMalicious === true }],
	},
];

/** A polling trigger (or one variant), fed by records the emulator adds while n8n runs. */
export interface TriggerCase {
	name: string;
	node: string;
	params: Record<string, unknown>;
	/** Adds n new records "now" and returns them as Mimecast will serve them. */
	add: (emu: Emulator, n: number) => LogRecord[];
	/** What identifies a record in the trigger's items (default: all its fields). */
	identity?: (record: Record<string, unknown>) => string;
}

/**
 * One record now, then two in one second (records sharing the boundary second are the hard
 * case for a time cursor). Each add is given the current time: the emulator otherwise spreads
 * several records back to its newest one, which a poller may already have read past.
 */
const pagedAdd = (kind: LogKind) => (emu: Emulator, n: number) => {
	const out: LogRecord[] = [];
	while (out.length < n) {
		const count = out.length % 3 === 0 ? 1 : Math.min(2, n - out.length);
		out.push(...emu.data.add(kind, count, { at: Date.now(), sameTimestamp: true }));
	}
	return out;
};

export const TRIGGERS: TriggerCase[] = [
	{ name: 'Audit Events Trigger', node: 'mimecastAuditEventsTrigger', params: {}, add: pagedAdd('auditEvents') },
	{ name: 'Archive View Logs Trigger', node: 'mimecastArchiveViewLogsTrigger', params: {}, add: pagedAdd('viewLogs') },
	{ name: 'TTP URL Logs Trigger', node: 'mimecastTtpLogsTrigger', params: { logType: 'url' }, add: pagedAdd('ttpUrl') },
	{ name: 'TTP Attachment Logs Trigger', node: 'mimecastTtpLogsTrigger', params: { logType: 'attachment' }, add: pagedAdd('ttpAttachment') },
	{
		name: 'TTP Impersonation Logs Trigger',
		node: 'mimecastTtpLogsTrigger',
		params: { logType: 'impersonation', filters: { taggedMalicious: false } },
		// Impersonation defaults to tagged-malicious only; the filter above takes the others.
		add: (emu, n) => pagedAdd('ttpImpersonation')(emu, n).filter((r) => r.taggedMalicious === false),
	},
	{
		name: 'SIEM Logs Trigger (API 2.0 batch)',
		node: 'mimecastSiemLogsTrigger',
		params: { authentication: 'oAuth2', output: 'events', startFrom: 'now' },
		add: (emu, n) => emu.data.addBatchFiles('url protect', 1, { events: n, at: Date.now() }).flatMap((f) => f.events),
		identity: (item) => canonical(siemEventOf(item)),
	},
];

/** SIEM items are `{ logType, fileName, resumeToken, event }`: the Mimecast event is `event`. */
export function siemEventOf(item: Record<string, unknown>): Record<string, unknown> {
	return (item.event ?? item) as Record<string, unknown>;
}

/** Stable identity of a record or item: its fields, sorted. */
export function canonical(record: Record<string, unknown>): string {
	const sort = (v: unknown): unknown =>
		Array.isArray(v)
			? v.map(sort)
			: v && typeof v === 'object'
				? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
				: v;
	return JSON.stringify(sort(record));
}

/** `2011-12-03T10:15:30+0000` (Mimecast) → epoch ms. */
export function recordTime(record: LogRecord, field: string): number {
	return Date.parse(String(record[field]).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
