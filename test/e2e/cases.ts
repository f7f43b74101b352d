/**
 * What the e2e suites drive through a real n8n, derived from the one case table
 * (test/helpers/logCases.ts) plus the SIEM trigger row. Every row must have its node built:
 * setup.ts fails the suite, naming the node, when one is not (no silent skip).
 */
import type { Emulator, LogKind, LogRecord } from '../emulator/types';
import type { LogCase } from '../helpers/logCases';
import { LOG_CASES } from '../helpers/logCases';

export { PACKAGE, recordTime } from '../helpers/logCases';
export type { FilterCase } from '../helpers/logCases';

/** A paged action node (or one variant of it), checked against the emulator's records. */
export type PagedActionCase = LogCase;
export const PAGED_ACTIONS: PagedActionCase[] = LOG_CASES;

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

function pagedTrigger(c: LogCase): TriggerCase {
	const only = c.triggerFilters;
	return {
		name: `${c.name} Trigger`,
		node: `${c.node}Trigger`,
		params: { ...c.params, ...(only ? { filters: only.filters } : {}) },
		add: only ? (emu, n) => pagedAdd(c.kind)(emu, n).filter(only.keep) : pagedAdd(c.kind),
	};
}

export const TRIGGERS: TriggerCase[] = [
	...LOG_CASES.map(pagedTrigger),
	{
		name: 'SIEM Logs Trigger (API 2.0 batch)',
		node: 'mimecastSiemLogsTrigger',
		params: { authentication: 'oAuth2', output: 'events', startFrom: 'now' },
		add: (emu, n) =>
			emu.data
				.addBatchFiles('url protect', 1, { events: n, at: Date.now() })
				.flatMap((f) => f.events),
		identity: (item) => canonical(siemEventOf(item)),
	},
	{
		name: 'Threat Intel Feed Trigger (STIX)',
		node: 'mimecastThreatIntelFeedTrigger',
		params: { feedType: 'malwareGrid', fileType: 'stix' },
		// Items are STIX indicators: identified by their id, as the trigger dedupes them.
		add: (emu, n) =>
			emu.threatFeed
				.add('malware_grid', n, { at: Date.now(), sameTimestamp: true })
				.map((i) => ({ id: i.ids.indicator })),
		identity: (item) => String(item.id),
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
				? Object.fromEntries(
						Object.keys(v as object)
							.sort()
							.map((k) => [k, sort((v as Record<string, unknown>)[k])]),
					)
				: v;
	return JSON.stringify(sort(record));
}
