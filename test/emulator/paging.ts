/**
 * Keyset paging over an ascending list of records. A position is the (event time, seq) key of
 * a record already served, never an offset, so records added while a client walks the pages
 * (newer ones, or late ones behind the cursor) do not shift or repeat the pages it still needs.
 */
import { lowerBound, type StoredRecord } from './data/store';

export interface Cursor {
	t: number;
	s: number;
	/** 'n': continue after this record; 'p': the page before this record. */
	dir: 'n' | 'p';
}

export interface Page {
	items: StoredRecord[];
	hasNext: boolean;
	hasPrevious: boolean;
}

/**
 * @param entries matching records, ascending by (t, seq)
 * @param newestFirst walk order (Mimecast's default for every log endpoint)
 */
export function pageOf(
	entries: readonly StoredRecord[],
	newestFirst: boolean,
	size: number,
	cursor?: Cursor,
): Page {
	const n = entries.length;
	const after = (c: Cursor): number => lowerBound(entries, c.t, c.s + 1); // first index > c
	const atOrAfter = (c: Cursor): number => lowerBound(entries, c.t, c.s); // first index >= c
	// Every case is a block going up from i or going down to j in the ascending array.
	const up = (i: number): Page => {
		const end = Math.min(n, i + size);
		const items = entries.slice(i, end);
		return newestFirst
			? { items: items.reverse(), hasNext: i > 0, hasPrevious: end < n }
			: { items, hasNext: end < n, hasPrevious: i > 0 };
	};
	const down = (j: number): Page => {
		const start = Math.max(0, j - size);
		const items = entries.slice(start, j);
		return newestFirst
			? { items: items.reverse(), hasNext: start > 0, hasPrevious: j < n }
			: { items, hasNext: j < n, hasPrevious: start > 0 };
	};
	if (!cursor) return newestFirst ? down(n) : up(0);
	if (cursor.dir === 'n') return newestFirst ? down(atOrAfter(cursor)) : up(after(cursor));
	return newestFirst ? up(after(cursor)) : down(atOrAfter(cursor));
}
