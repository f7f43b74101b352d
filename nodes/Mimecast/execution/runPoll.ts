import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs, parseRecordTime, toMimecastDate } from '../core/dates';
import { fingerprint } from '../core/fingerprint';
import type { LogQuery, PagedLogType } from '../logTypes/types';
import type { AuthenticationMode } from '../transport/types';
import type { PagedCursor, TimedRecord } from './cursor';
import { admit, advance, floorToSecond, initialCursor, loadCursor, streamKey } from './cursor';
import { simplifyRecord } from './output';
import { pollDeadline } from './pollBudget';
import { readAuthentication, readCollections, readVariant } from './query';
import { asNodeError, retryAfterOf } from '../transport/errors';
import { iterateRecordPages, selectionOf } from './records';
import type { TriggerSettings } from './triggerSettings';
import { readTriggerSettings } from './triggerSettings';

interface PollPlan {
	logType: PagedLogType;
	auth: AuthenticationMode;
	variant: string;
	filters: IDataObject;
	settings: TriggerSettings;
	deadline: number;
}

interface Collected {
	emitted: Array<TimedRecord<IDataObject>>;
	/** The window end up to which every record was read. */
	coveredEnd: number;
	complete: boolean;
	retryAfterMs?: number;
}

/**
 * The polling trigger of a paged log: each record once, oldest first, across polls and
 * restarts. The cursor in static data moves only at the end of a successful poll, together
 * with the items it emits; an error leaves it where it was (n8n also discards a staged
 * cursor when the poll throws).
 */
export async function runPagedPoll(this: IPollFunctions, logType: PagedLogType): Promise<INodeExecutionData[][] | null> {
	const read = (name: string, fallback?: unknown) => this.getNodeParameter(name, fallback);
	const startedAt = nowMs();
	const auth = readAuthentication(this, read);
	const variant = readVariant(this, logType, read);
	const { filters, options } = readCollections(this, logType, variant, read);
	const settings = readTriggerSettings(this, logType, options);
	const endpoint = logType.endpoint(variant);
	const simplify = read('simplify', endpoint.simplifyByDefault) === true;
	const plan: PollPlan = { logType, auth, variant, filters, settings, deadline: pollDeadline(this, startedAt) };
	const toItems = (records: IDataObject[]): INodeExecutionData[] =>
		records.map((record) => ({ json: simplify ? simplifyRecord(record, endpoint.simplifiedFields) : record }));

	if (this.getMode() === 'manual') {
		const sample = await fetchSample.call(this, plan, startedAt);
		return sample.length > 0 ? [toItems(sample)] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	// Filters are part of the stream: changing one starts a new cursor rather than mixing streams.
	const stream = streamKey({ key: logType.key, auth, variant, filters: selectionOf(logType, { variant, filters, options: {}, start: '', end: '' }) });
	let cursor = loadCursor(staticData.cursor, stream);
	if (!cursor) {
		cursor = initialCursor(stream, startedAt - settings.backfillMs - (settings.backfillMs > 0 ? 0 : settings.settleMs));
		if (settings.backfillMs === 0) {
			staticData.cursor = cursor as unknown as IDataObject;
			return null;
		}
	}
	if (cursor.resumeAt !== undefined) {
		const wait = cursor.resumeAt - nowMs();
		if (wait > 0 && nowMs() + wait >= plan.deadline) return null;
		if (wait > 0) await sleep(wait);
	}
	cursor = clampToRetention(cursor, logType, nowMs());

	const windowEnd = floorToSecond(nowMs() - settings.settleMs);
	if (windowEnd <= cursor.since) return null;

	const collected = endpoint.supportsOldestFirst
		? await collectOldestFirst.call(this, plan, cursor, windowEnd)
		: await collectNewestFirst.call(this, plan, cursor, windowEnd);

	const next = advance(cursor, collected.emitted, collected.coveredEnd, collected.complete);
	if (collected.retryAfterMs !== undefined) next.resumeAt = nowMs() + collected.retryAfterMs;
	staticData.cursor = next as unknown as IDataObject;
	if (collected.emitted.length === 0) return null;
	return [toItems(collected.emitted.map((e) => e.record))];
}

function timed(logType: PagedLogType, variant: string, record: IDataObject): TimedRecord<IDataObject> {
	return { record, time: parseRecordTime(record[logType.endpoint(variant).timeField]), id: fingerprint(record) };
}

function queryFor(plan: PollPlan, since: number, end: number, oldestFirst: boolean): LogQuery {
	return {
		variant: plan.variant,
		start: toMimecastDate(since),
		end: toMimecastDate(end),
		filters: plan.filters,
		options: { oldestFirst },
	};
}

/** Endpoints that page oldest first: take new records until the cap, the budget or the end. */
async function collectOldestFirst(this: IPollFunctions, plan: PollPlan, cursor: PagedCursor, windowEnd: number): Promise<Collected> {
	const { maxRecordsPerPoll } = plan.settings;
	const emitted: Array<TimedRecord<IDataObject>> = [];
	const ids = new Set<string>();
	// The boundary records come first again (oldest first): size the pages to get past them.
	const known = Object.keys(cursor.boundary).length;
	const pages = iterateRecordPages(this, plan.logType, {
		auth: plan.auth,
		query: queryFor(plan, cursor.since, windowEnd, true),
		want: maxRecordsPerPoll + known,
		deadline: plan.deadline,
	});
	try {
		for await (const { records, page } of pages) {
			const fresh = admit(cursor, records.map((r) => timed(plan.logType, plan.variant, r))).filter((e) => !ids.has(e.id));
			for (const entry of fresh) {
				ids.add(entry.id);
				emitted.push(entry);
				if (emitted.length >= maxRecordsPerPoll) return { emitted, coveredEnd: windowEnd, complete: false };
			}
			if (nowMs() >= plan.deadline) return { emitted, coveredEnd: windowEnd, complete: false };
			// Stop on a whole page rather than ask for one more page only to top up the cap: each
			// call counts against Mimecast's quota, and the next poll starts from here anyway.
			// Only once something new was found: a page of boundary records alone is no progress.
			if (page.next && emitted.length > 0 && emitted.length + records.length > maxRecordsPerPoll) {
				return { emitted, coveredEnd: windowEnd, complete: false };
			}
		}
	} catch (error) {
		const retryAfterMs = retryAfterOf(error);
		if (retryAfterMs === undefined) throw asNodeError(this.getNode(), error);
		// Everything emitted so far is a complete prefix in time order: keep it.
		return { emitted, coveredEnd: windowEnd, complete: false, retryAfterMs };
	}
	return { emitted, coveredEnd: windowEnd, complete: true };
}

/**
 * Endpoints that answer newest first (audit, view logs): the oldest records come last, so a
 * window must be read whole before any of it is emitted. To keep memory and time bounded,
 * the poll looks for the widest window from the cursor that holds at most the per-poll cap
 * (bisection on the window's end, guided by Mimecast's totalCount or by the oldest record
 * read before the cap was passed) and emits that window.
 */
async function collectNewestFirst(this: IPollFunctions, plan: PollPlan, cursor: PagedCursor, windowEnd: number): Promise<Collected> {
	// Records of the boundary second come back in every window from the cursor: they count
	// against Mimecast's totals but are not new, so the window may hold that many more.
	const known = Object.keys(cursor.boundary).length;
	const { maxRecordsPerPoll } = plan.settings;
	const cap = maxRecordsPerPoll + known;
	let best: { emitted: Array<TimedRecord<IDataObject>>; end: number } | undefined;
	let lo = cursor.since;
	let hi = Number.POSITIVE_INFINITY;
	let end = windowEnd;
	try {
		for (let probe = 0; probe < 32 && nowMs() < plan.deadline; probe++) {
			const read = await readWindow.call(this, plan, cursor, end, cap);
			if (read.fits) {
				const emitted = admit(cursor, read.batch);
				// A window that holds nothing new and ends within a second of the cursor would not
				// move it (advance() keeps one second back): it is no progress, so not a result.
				if (emitted.length > 0 || end - cursor.since >= 2000) best = { emitted, end };
				lo = end;
				if (end >= windowEnd || emitted.length >= maxRecordsPerPoll / 2 || hi - lo <= 1000) break;
				end = Number.isFinite(hi) ? floorToSecond(lo + (hi - lo) / 2) : windowEnd;
			} else {
				hi = end;
				if (hi - lo <= 1000) break;
				// Mimecast's totalCount tells how much too big [lo, hi] is; assuming an even
				// spread, aim for 90% of the cap (bisection needed ~3 refused probes per poll).
				const guess =
					read.total !== undefined && read.total > 0
						? lo + ((hi - lo) * (0.9 * cap)) / read.total
						: read.oldest !== undefined && read.oldest > lo && read.oldest < hi
							? read.oldest
							: lo + (hi - lo) / 2;
				end = floorToSecond(guess);
			}
			end = Math.min(Math.max(end, lo + 1000), hi - 1000, windowEnd);
		}
		if ((!best || best.emitted.length === 0) && hi - lo <= 1000 && nowMs() < plan.deadline) {
			// Nothing new fits before the second `hi`, which alone holds more than the cap: that
			// second is read whole, cap or not (the one documented exception to the cap).
			const read = await readWindow.call(this, plan, cursor, hi, Number.POSITIVE_INFINITY);
			best = { emitted: admit(cursor, read.batch), end: hi };
		}
	} catch (error) {
		const retryAfterMs = retryAfterOf(error);
		if (retryAfterMs === undefined) throw asNodeError(this.getNode(), error);
		return { emitted: [], coveredEnd: cursor.since, complete: false, retryAfterMs };
	}
	if (!best) return { emitted: [], coveredEnd: cursor.since, complete: false };
	return { emitted: best.emitted, coveredEnd: best.end, complete: true };
}

interface WindowRead {
	fits: boolean;
	batch: Array<TimedRecord<IDataObject>>;
	/** When it does not fit: the oldest record time read before stopping. */
	oldest?: number;
	/** When it does not fit: Mimecast's totalCount for the window. */
	total?: number;
}

/** Reads [cursor.since, end] newest first; stops as soon as it is known to hold more than `cap`. */
async function readWindow(this: IPollFunctions, plan: PollPlan, cursor: PagedCursor, end: number, cap: number): Promise<WindowRead> {
	const batch: Array<TimedRecord<IDataObject>> = [];
	const pages = iterateRecordPages(this, plan.logType, {
		auth: plan.auth,
		query: queryFor(plan, cursor.since, end, false),
		want: Number.isFinite(cap) ? cap : undefined,
		deadline: plan.deadline,
	});
	for await (const { records, page } of pages) {
		const total = Number(page.envelope.meta?.pagination?.totalCount);
		if (batch.length === 0 && Number.isFinite(total) && total > cap) return { fits: false, batch: [], total };
		for (const record of records) batch.push(timed(plan.logType, plan.variant, record));
		if (batch.length > cap) {
			const times = batch.map((e) => e.time).filter(Number.isFinite);
			return { fits: false, batch: [], oldest: times.length ? Math.min(...times) : undefined };
		}
	}
	return { fits: true, batch };
}

/** "Fetch Test Event": a few recent records, the cursor untouched. */
async function fetchSample(this: IPollFunctions, plan: PollPlan, now: number): Promise<IDataObject[]> {
	const lookback = Math.max(plan.settings.backfillMs, 7 * 86_400_000);
	const retention = plan.logType.retentionDays ? plan.logType.retentionDays * 86_400_000 - 60_000 : lookback;
	const since = now - Math.min(lookback, retention);
	const sample: IDataObject[] = [];
	const pages = iterateRecordPages(this, plan.logType, {
		auth: plan.auth,
		query: queryFor(plan, since, now, false),
		want: plan.settings.sampleSize,
		deadline: plan.deadline,
	});
	for await (const { records } of pages) {
		for (const record of records) {
			sample.push(record);
			if (sample.length >= plan.settings.sampleSize) return sample;
		}
	}
	return sample;
}

/** After a long pause Mimecast no longer holds the oldest part of the window; asking fails. */
function clampToRetention(cursor: PagedCursor, logType: PagedLogType, now: number): PagedCursor {
	if (logType.retentionDays === undefined) return cursor;
	const oldest = floorToSecond(now - logType.retentionDays * 86_400_000 + 60_000);
	return cursor.since >= oldest ? cursor : { ...cursor, since: oldest, boundary: {} };
}
