import { canonicalJson, fingerprint } from '../core/fingerprint';

/**
 * Where a paged-log trigger stands, kept in the node's workflow static data. Plain data and
 * plain functions, so the exactly-once rules are tested without n8n.
 *
 * Mimecast times have one-second resolution and windows are inclusive, so several records
 * share the boundary second and the next window must start at that second again. `boundary`
 * remembers the fingerprints of the records already emitted at or after `since`; they are
 * dropped when served again. The set holds only the last second or two of records.
 */
export interface PagedCursor {
	version: 1;
	/** Identity of the stream: authentication, log type and filters. */
	stream: string;
	/** Epoch ms, inclusive lower bound of the next window. */
	since: number;
	/** fingerprint -> event time (ms) of records emitted at or after `since`. */
	boundary: Record<string, number>;
	/** Epoch ms before which Mimecast asked us (429) not to call again. */
	resumeAt?: number;
	/**
	 * Newest-first endpoints: new records per second in the last window read whole. Sizes the
	 * next poll's first window, so a catch-up does not spend a call on a window that is too big.
	 * Only a hint: absent in cursors stored before it existed, and never moves `since`.
	 */
	recordsPerSecond?: number;
}

export interface TimedRecord<T> {
	record: T;
	time: number;
	id: string;
}

export function streamKey(parts: unknown): string {
	return fingerprint(canonicalJson(parts));
}

export function initialCursor(stream: string, since: number): PagedCursor {
	return { version: 1, stream, since: floorToSecond(since), boundary: {} };
}

/** A stored cursor, if it belongs to this stream; otherwise the stream changed and it is reset. */
export function loadCursor(stored: unknown, stream: string): PagedCursor | undefined {
	const cursor = stored as PagedCursor | undefined;
	if (
		!cursor ||
		cursor.version !== 1 ||
		cursor.stream !== stream ||
		typeof cursor.since !== 'number'
	)
		return undefined;
	const loaded: PagedCursor = { ...cursor, boundary: { ...(cursor.boundary ?? {}) } };
	const rate = cursor.recordsPerSecond;
	// A hint edited or damaged in static data is dropped, not trusted: the poll then probes.
	if (rate !== undefined && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0))
		delete loaded.recordsPerSecond;
	return loaded;
}

/**
 * New records of a fetched batch, oldest first: those already emitted (in the boundary set or
 * earlier in the batch) and those before the window are dropped. Ties keep Mimecast's order.
 */
export function admit<T>(cursor: PagedCursor, batch: Array<TimedRecord<T>>): Array<TimedRecord<T>> {
	const seen = new Set<string>();
	const fresh: Array<TimedRecord<T>> = [];
	for (const entry of batch) {
		if (Number.isFinite(entry.time) && entry.time < cursor.since) continue;
		if (cursor.boundary[entry.id] !== undefined || seen.has(entry.id)) continue;
		seen.add(entry.id);
		fresh.push(entry);
	}
	return stableSortByTime(fresh);
}

/**
 * The cursor after `emitted` were handed over. `complete` says the whole window up to
 * `windowEnd` was read; otherwise (a cap, a budget) only up to the newest emitted record.
 * The new `since` is one second before the covered end, so a record indexed in the same
 * second is still found, whichever way Mimecast treats the window's ends.
 *
 * Nothing moves it beyond the window read: a record whose time says later than `windowEnd`
 * (clock skew, bad data) was still served inside the window, so it counts as at its end, and
 * stays in the boundary set until the cursor is past that end, however far ahead its time.
 */
export function advance<T>(
	cursor: PagedCursor,
	emitted: Array<TimedRecord<T>>,
	windowEnd: number,
	complete: boolean,
): PagedCursor {
	const at = (e: TimedRecord<T>): number =>
		Number.isFinite(e.time) ? Math.min(e.time, windowEnd) : cursor.since;
	const newest = emitted.reduce((max, e) => Math.max(max, at(e)), cursor.since);
	const covered = complete ? windowEnd : newest;
	const since = Math.max(cursor.since, floorToSecond(covered) - 1000);
	const boundary: Record<string, number> = {};
	for (const [id, time] of Object.entries(cursor.boundary)) if (time >= since) boundary[id] = time;
	for (const e of emitted) {
		if (!Number.isFinite(e.time)) boundary[e.id] = since;
		else if (at(e) >= since) boundary[e.id] = at(e);
	}
	return { version: 1, stream: cursor.stream, since, boundary };
}

export function floorToSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

function stableSortByTime<T>(entries: Array<TimedRecord<T>>): Array<TimedRecord<T>> {
	return entries
		.map((entry, index) => ({ entry, index }))
		.sort((a, b) => timeKey(a.entry.time) - timeKey(b.entry.time) || a.index - b.index)
		.map(({ entry }) => entry);
}

function timeKey(time: number): number {
	return Number.isFinite(time) ? time : Number.MAX_SAFE_INTEGER;
}
