import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { nowMs, parseRecordTime, toMimecastDate } from '../core/dates';
import { fingerprint } from '../core/fingerprint';
import type { LogQuery, PagedLogDefinition } from '../logTypes/types';
import { asNodeError, retryAfterOf } from '../transport/errors';
import { pagingStopReason } from '../transport/paginate';
import type { AuthenticationMode } from '../transport/types';
import type { PagedCursor, TimedRecord } from './cursor';
import { admit, floorToSecond } from './cursor';
import { iterateRecordPages } from './records';
import type { TriggerSettings } from './triggerSettings';

/** What one poll of a paged log reads, resolved from the node's parameters. */
export interface PollPlan {
	definition: PagedLogDefinition;
	auth: AuthenticationMode;
	variant: string;
	filters: IDataObject;
	settings: TriggerSettings;
	deadline: number;
}

/** The records a poll hands over and how far they let the cursor move. */
export interface PollOutcome {
	emitted: Array<TimedRecord<IDataObject>>;
	/** Why values that were not records were skipped (warning items). */
	warnings: string[];
	/** The window end up to which every record was read. */
	coveredEnd: number;
	complete: boolean;
	retryAfterMs?: number;
	/** Newest-first endpoints: new records per second in the window read (PagedCursor). */
	recordsPerSecond?: number;
}

/**
 * The share of the cap a sized window aims at: the spread inside a window is only estimated, and
 * a window found too big costs a call that brings nothing.
 */
const AIM = 0.9;

export function timed(
	plan: Pick<PollPlan, 'definition' | 'variant'>,
	record: IDataObject,
): TimedRecord<IDataObject> {
	const time = parseRecordTime(record[plan.definition.endpoint(plan.variant).timeField]);
	return { record, time, id: fingerprint(record) };
}

export function queryFor(
	plan: PollPlan,
	since: number,
	end: number,
	oldestFirst: boolean,
): LogQuery {
	return {
		variant: plan.variant,
		start: toMimecastDate(since),
		end: toMimecastDate(end),
		filters: plan.filters,
		options: { oldestFirst },
	};
}

/**
 * Errors that end a poll quietly, with what was read whole kept: a 429 Mimecast asks us to
 * wait out longer than the poll may (its wait is remembered), or a paging bound (the poll's
 * deadline, a server paging without end). Anything else fails the poll.
 */
function quietEnd(ctx: IPollFunctions, error: unknown): { retryAfterMs?: number } {
	const retryAfterMs = retryAfterOf(error);
	if (retryAfterMs !== undefined) return { retryAfterMs };
	if (pagingStopReason(error) !== undefined) return {};
	throw asNodeError(ctx.getNode(), error);
}

/** Endpoints that page oldest first: take new records until the cap, the budget or the end. */
export async function collectOldestFirst(
	this: IPollFunctions,
	plan: PollPlan,
	cursor: PagedCursor,
	windowEnd: number,
): Promise<PollOutcome> {
	const { maxRecordsPerPoll } = plan.settings;
	const emitted: Array<TimedRecord<IDataObject>> = [];
	const warnings: string[] = [];
	const ids = new Set<string>();
	const partial = (): PollOutcome => ({
		emitted,
		warnings,
		coveredEnd: windowEnd,
		complete: false,
	});
	// The boundary records come first again (oldest first): size the pages to get past them.
	const known = Object.keys(cursor.boundary).length;
	const pages = iterateRecordPages(this, plan.definition, {
		auth: plan.auth,
		query: queryFor(plan, cursor.since, windowEnd, true),
		want: maxRecordsPerPoll + known,
		deadline: plan.deadline,
	});
	try {
		for await (const { records, skipped, page } of pages) {
			for (const warning of skipped) warnings.push(warning);
			const fresh = admit(
				cursor,
				records.map((r) => timed(plan, r)),
			).filter((e) => !ids.has(e.id));
			for (const entry of fresh) {
				ids.add(entry.id);
				emitted.push(entry);
				if (emitted.length >= maxRecordsPerPoll) return partial();
			}
			if (nowMs() >= plan.deadline) return partial();
			// Stop on a whole page rather than ask for one more page only to top up the cap: each
			// call counts against Mimecast's quota, and the next poll starts from here anyway.
			// Only once something new was found: a page of boundary records alone is no progress.
			if (page.next && emitted.length > 0 && emitted.length + records.length > maxRecordsPerPoll)
				return partial();
		}
	} catch (error) {
		// Everything emitted so far is a complete prefix in time order: keep it.
		return { ...partial(), ...quietEnd(this, error) };
	}
	return { emitted, warnings, coveredEnd: windowEnd, complete: true };
}

/**
 * Endpoints that answer newest first (audit, view logs): the oldest records come last, so a
 * window must be read whole before any of it is emitted. To keep memory and time bounded,
 * the poll looks for the widest window from the cursor that holds at most the per-poll cap
 * (bisection on the window's end, guided by Mimecast's totalCount or by the oldest record
 * read before the cap was passed) and emits that window. The first window tried is sized from
 * the records per second the cursor remembers, so a steady catch-up spends no call on a window
 * found too big. A second that alone holds more than the cap is read whole (the one documented
 * exception to the cap).
 */
export async function collectNewestFirst(
	this: IPollFunctions,
	plan: PollPlan,
	cursor: PagedCursor,
	windowEnd: number,
): Promise<PollOutcome> {
	const search: WindowSearch = {};
	let quiet: { retryAfterMs?: number } = {};
	try {
		await searchWindow.call(this, plan, cursor, windowEnd, search);
	} catch (error) {
		// A window read whole before the error is still a result.
		quiet = quietEnd(this, error);
	}
	const { best } = search;
	if (!best)
		return { emitted: [], warnings: [], coveredEnd: cursor.since, complete: false, ...quiet };
	return {
		emitted: best.emitted,
		warnings: best.warnings,
		coveredEnd: best.end,
		complete: true,
		recordsPerSecond: best.recordsPerSecond,
		...quiet,
	};
}

/** The widest window found so far that was read whole and moves the poll on. */
interface WindowSearch {
	best?: {
		emitted: Array<TimedRecord<IDataObject>>;
		warnings: string[];
		end: number;
		/** Only for a window sized by the cap (a busy second read whole says nothing of the rest). */
		recordsPerSecond?: number;
	};
}

/**
 * Where the first window of a poll ends: sized from the last poll's records per second when
 * the cursor knows it (a catch-up then needs no refused probe), otherwise the whole range.
 */
function firstEnd(cursor: PagedCursor, windowEnd: number, maxRecordsPerPoll: number): number {
	const rate = cursor.recordsPerSecond;
	if (rate === undefined || rate <= 0) return windowEnd;
	const end = floorToSecond(cursor.since + (1000 * AIM * maxRecordsPerPoll) / rate);
	return Math.min(Math.max(end, cursor.since + 1000), windowEnd);
}

/** The bisection of collectNewestFirst; `search.best` holds each usable window once read. */
async function searchWindow(
	this: IPollFunctions,
	plan: PollPlan,
	cursor: PagedCursor,
	windowEnd: number,
	search: WindowSearch,
): Promise<void> {
	// Records of the boundary second come back in every window from the cursor: they count
	// against Mimecast's totals but are not new, so the window may hold that many more.
	const known = Object.keys(cursor.boundary).length;
	const { maxRecordsPerPoll } = plan.settings;
	const cap = maxRecordsPerPoll + known;
	const b: Bounds = { since: cursor.since, lo: cursor.since, loCount: 0, hi: Infinity };
	let end = firstEnd(cursor, windowEnd, maxRecordsPerPoll);
	for (let probe = 0; probe < 32 && nowMs() < plan.deadline; probe++) {
		const read = await fetchWindow.call(this, plan, cursor, end, cap);
		if (read.fits) {
			const emitted = admit(cursor, read.batch);
			// A window that holds nothing new and ends within a second of the cursor would not
			// move it (advance() keeps one second back): it is no progress, so not a result.
			if (emitted.length > 0 || end - cursor.since >= 2000) {
				const recordsPerSecond = rateOf(emitted, cursor.since, end);
				search.best = { emitted, warnings: read.warnings, end, recordsPerSecond };
			}
			[b.lo, b.loCount] = [end, read.batch.length];
			if (end >= windowEnd || emitted.length >= maxRecordsPerPoll / 2 || b.hi - b.lo <= 1000) break;
		} else {
			[b.hi, b.refused] = [end, read];
			if (b.hi - b.lo <= 1000) break;
		}
		end = floorToSecond(nextEnd(b, windowEnd, cap));
		end = Math.min(Math.max(end, b.lo + 1000), b.hi - 1000, windowEnd);
	}
	const { lo, hi } = b;
	if ((search.best?.emitted.length ?? 0) === 0 && hi - lo <= 1000 && nowMs() < plan.deadline) {
		// Nothing new fits before the second `hi`, which alone holds more than the cap: that
		// second is read whole, cap or not.
		const read = await fetchWindow.call(this, plan, cursor, hi, Number.POSITIVE_INFINITY);
		search.best = { emitted: admit(cursor, read.batch), warnings: read.warnings, end: hi };
	}
}

/**
 * New records per second in a window read whole, counted from its oldest record: a backfill
 * that starts before the data does would otherwise size the next window far too wide.
 */
function rateOf(emitted: Array<TimedRecord<IDataObject>>, since: number, end: number): number {
	const oldest = emitted.length > 0 && Number.isFinite(emitted[0].time) ? emitted[0].time : since;
	const from = Math.min(Math.max(since, floorToSecond(oldest)), end);
	return (1000 * emitted.length) / Math.max(1000, end - from);
}

/** What the probes of one poll have shown: every window starts at `since`. */
interface Bounds {
	since: number;
	/** The widest window end known to fit, and how many records (new or not) it held. */
	lo: number;
	loCount: number;
	/** The narrowest window end known to hold too many (Infinity: none yet), and its read. */
	hi: number;
	refused?: WindowRead;
}

/**
 * Where to end the next probe, assuming an even spread and aiming for AIM of the cap. After a
 * window held too many: between `lo` and `hi` by Mimecast's totalCount for `hi` (bisection
 * needed ~3 refused probes per poll), else by the oldest record read, else halfway. With only
 * windows that fit so far: the last one's count, extrapolated (a catch-up whose rate dropped).
 */
function nextEnd(b: Bounds, windowEnd: number, cap: number): number {
	const { since, lo, loCount, hi, refused } = b;
	if (refused) {
		if (refused.total !== undefined && refused.total > loCount)
			return lo + ((hi - lo) * (AIM * cap - loCount)) / (refused.total - loCount);
		if (refused.oldest !== undefined && refused.oldest > lo && refused.oldest < hi)
			return refused.oldest;
		return lo + (hi - lo) / 2;
	}
	return loCount > 0 ? since + ((lo - since) * AIM * cap) / loCount : windowEnd;
}

interface WindowRead {
	fits: boolean;
	batch: Array<TimedRecord<IDataObject>>;
	warnings: string[];
	/** When it does not fit: the oldest record time read before stopping. */
	oldest?: number;
	/** When it does not fit: Mimecast's totalCount for the window. */
	total?: number;
}

/** Fetches [cursor.since, end] newest first; stops as soon as it is known to hold more than `cap`. */
async function fetchWindow(
	this: IPollFunctions,
	plan: PollPlan,
	cursor: PagedCursor,
	end: number,
	cap: number,
): Promise<WindowRead> {
	const batch: Array<TimedRecord<IDataObject>> = [];
	const warnings: string[] = [];
	const pages = iterateRecordPages(this, plan.definition, {
		auth: plan.auth,
		query: queryFor(plan, cursor.since, end, false),
		want: Number.isFinite(cap) ? cap : undefined,
		deadline: plan.deadline,
	});
	for await (const { records, skipped, page } of pages) {
		const total = Number(page.envelope.meta?.pagination?.totalCount);
		if (batch.length === 0 && Number.isFinite(total) && total > cap)
			return { fits: false, batch: [], warnings, total };
		for (const warning of skipped) warnings.push(warning);
		for (const record of records) batch.push(timed(plan, record));
		if (batch.length > cap) return { fits: false, batch: [], warnings, oldest: oldestTime(batch) };
	}
	return { fits: true, batch, warnings };
}

/** A loop, not Math.min(...times): a spread of 150,000 arguments overflows the stack. */
function oldestTime(batch: Array<TimedRecord<IDataObject>>): number | undefined {
	let oldest: number | undefined;
	for (const { time } of batch)
		if (Number.isFinite(time) && (oldest === undefined || time < oldest)) oldest = time;
	return oldest;
}
