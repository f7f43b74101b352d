/**
 * The one handler behind every paged log endpoint (audit, view logs, TTP url/attachment/
 * impersonation), driven by the rows in log-endpoints.ts.
 */
import { parseMcDate, startOfUtcDay, DAY } from './clock';
import { recordJson, type DataStore } from './data/store';
import { CODES, jsonReply, okEnvelope, validationFail, type McError, type Reply } from './envelope';
import type { PagedEndpoint } from './log-endpoints';
import { pageOf, type Cursor } from './paging';
import type { TokenCodec } from './tokens';
import type { FaultKind, FaultSpec, LogRecord } from './types';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 25;

export interface PagedDeps {
	store: DataStore;
	codec: TokenCodec;
	now: number;
	takeFault(kinds: readonly FaultKind[]): FaultSpec | undefined;
	/** EmulatorOptions.emptyLastPage, for the endpoints recorded doing it. */
	emptyLastPage?: boolean;
}

interface PageToken extends Record<string, unknown> {
	/** The request item the walk started with: a later page may omit `data` and reuse it. */
	i: Record<string, unknown>;
	t: number;
	s: number;
	d: Cursor['dir'];
	/** The window resolved on the first page (defaults like "now" must not move mid-walk). */
	f: number;
	u: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsePageSize(raw: unknown): number | McError {
	if (raw === undefined || raw === null) return DEFAULT_PAGE_SIZE;
	// Some integrations send it as a string ("100"); Mimecast takes that.
	const n =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && /^\d+$/.test(raw)
				? Number(raw)
				: NaN;
	if (!Number.isInteger(n))
		return {
			code: CODES.invalidValue,
			message: 'pageSize must be a whole number',
			field: 'pageSize',
		};
	if (n > MAX_PAGE_SIZE)
		return {
			code: CODES.maxValue,
			message: `pageSize must not exceed ${MAX_PAGE_SIZE}`,
			field: 'pageSize',
		};
	if (n < 1)
		return { code: CODES.minValue, message: 'pageSize must be at least 1', field: 'pageSize' };
	return n;
}

function parseDate(item: Obj, field: string, required: boolean): number | undefined | McError {
	const v = item[field];
	if (v === undefined || v === null) {
		return required
			? { code: CODES.validationNull, message: `${field} must not be null`, field }
			: undefined;
	}
	if (v === '')
		return { code: CODES.validationBlank, message: `${field} must not be blank`, field };
	const ms = typeof v === 'string' ? parseMcDate(v) : undefined;
	if (ms === undefined) {
		return {
			code: CODES.dateFormat,
			message: `${field} must be an ISO 8601 date time such as 2011-12-03T10:15:30+0000`,
			field,
		};
	}
	return ms;
}

interface Query {
	keep: ((rec: LogRecord) => boolean) | null;
	oldestFirst: boolean;
	/** Hash of the normalized query: page tokens are only valid for the query they came from. */
	hash: string;
	from: number;
	to: number;
}

function parseQuery(ep: PagedEndpoint, item: Obj, deps: PagedDeps): Query | McError[] {
	const errors: McError[] = [];
	const from = parseDate(item, ep.from, ep.windowRequired);
	const to = parseDate(item, ep.to, ep.windowRequired);
	if (typeof from === 'object') errors.push(from);
	if (typeof to === 'object') errors.push(to);
	let oldestFirst = false;
	if (ep.oldestFirstField && item.oldestFirst !== undefined && item.oldestFirst !== null) {
		if (typeof item.oldestFirst === 'boolean') oldestFirst = item.oldestFirst;
		else
			errors.push({
				code: CODES.invalidValue,
				message: 'oldestFirst must be true or false',
				field: 'oldestFirst',
			});
	}
	const keeps: Array<(rec: LogRecord) => boolean> = [];
	const canonical: unknown[] = [ep.path, item[ep.from] ?? null, item[ep.to] ?? null, oldestFirst];
	for (const filter of ep.filters) {
		const r = filter.build(item);
		if ('code' in r) errors.push(r);
		else {
			canonical.push(r.canonical);
			if (r.keep) keeps.push(r.keep);
		}
	}
	if (errors.length) return errors;
	const start = typeof from === 'number' ? from : startOfUtcDay(deps.now);
	const end = typeof to === 'number' ? to : deps.now;
	if (start > end)
		return [
			{ code: CODES.dateRange, message: `${ep.from} must not be after ${ep.to}`, field: ep.from },
		];
	if (ep.maxDaysBack !== undefined && start < deps.now - ep.maxDaysBack * DAY) {
		return [
			{
				code: CODES.dateRange,
				message: `Historical lookup is restricted to last ${ep.maxDaysBack} days`,
				field: ep.from,
			},
		];
	}
	return {
		keep:
			keeps.length === 0
				? null
				: keeps.length === 1
					? keeps[0]
					: (rec) => keeps.every((k) => k(rec)),
		oldestFirst,
		hash: deps.codec.mac(JSON.stringify(canonical), 16),
		from: start,
		to: end,
	};
}

let freshTokens = 0;

/** A 200 whose records are not where Mimecast puts them. */
function badShape(ep: PagedEndpoint, shape: NonNullable<FaultSpec['shape']>): Reply {
	const meta = JSON.stringify({ status: 200, pagination: { pageSize: 0, totalCount: 0 } });
	const data =
		shape === 'dataNotArray'
			? '{"records":[]}'
			: shape === 'noRecordsKey' && ep.wrapper
				? '[{"resultCount":0}]'
				: shape === 'recordsKeyNotArray' && ep.wrapper
					? `[{"${ep.wrapper}":"none"}]`
					: undefined;
	return jsonReply(
		200,
		data === undefined ? `{"meta":${meta},"fail":[]}` : `{"meta":${meta},"data":${data},"fail":[]}`,
	);
}

/** A position before the first record of the walk. */
const startOf = (oldestFirst: boolean): Cursor =>
	oldestFirst ? { t: -1, s: 0, dir: 'n' } : { t: Number.MAX_SAFE_INTEGER, s: 0, dir: 'n' };

/** A position after the last record of the walk. */
const endOf = (oldestFirst: boolean): Cursor =>
	oldestFirst ? { t: Number.MAX_SAFE_INTEGER, s: 0, dir: 'n' } : { t: -1, s: 0, dir: 'n' };

export function handlePaged(ep: PagedEndpoint, body: unknown, deps: PagedDeps): Reply {
	const b = isObj(body) ? body : {};
	const pagination = isObj(b.meta) && isObj(b.meta.pagination) ? b.meta.pagination : {};
	const pageSize = parsePageSize(pagination.pageSize);
	if (typeof pageSize !== 'number') return validationFail([pageSize]);
	if (b.data !== undefined && !Array.isArray(b.data)) {
		return validationFail([
			{ code: CODES.invalidValue, message: 'data must be an array', field: 'data' },
		]);
	}
	const given = Array.isArray(b.data) && isObj(b.data[0]) ? b.data[0] : undefined;

	let token: PageToken | undefined;
	const rawToken = pagination.pageToken;
	if (rawToken !== undefined && rawToken !== null && rawToken !== '') {
		token = deps.codec.open<PageToken>(rawToken);
		if (!token)
			return validationFail([
				{ code: CODES.pageToken, message: 'The page token is not valid', field: 'pageToken' },
			]);
	}
	// With a token, `data` may be left out (the token remembers the query) or repeated as is.
	const item = given && Object.keys(given).length > 0 ? given : (token?.i ?? given ?? {});
	const query = parseQuery(ep, item, deps);
	if (Array.isArray(query)) return validationFail(query, item);

	let cursor: Cursor | undefined;
	let from = query.from;
	let to = query.to;
	if (token) {
		const started = parseQuery(ep, token.i, deps);
		if (Array.isArray(started) || started.hash !== query.hash) {
			return validationFail([
				{
					code: CODES.pageToken,
					message: 'The page token belongs to a different query',
					field: 'pageToken',
				},
			]);
		}
		cursor = { t: token.t, s: token.s, dir: token.d };
		from = token.f;
		to = token.u;
	}

	const entries = deps.store.select(ep.kind, `${query.hash}:${from}:${to}`, from, to, query.keep);
	const page = pageOf(entries, !query.oldestFirst, pageSize, cursor);
	const seal = (c: Cursor): string =>
		deps.codec.seal({ i: item, t: c.t, s: c.s, d: c.dir, f: from, u: to } satisfies PageToken);
	const after = (e: { t: number; seq: number }): Cursor => ({ t: e.t, s: e.seq, dir: 'n' });

	// Seen in the wild: an empty page that still carries `next`. Its token asks for this same
	// page again, so a reader that follows it loses nothing and one that stops resumes later.
	if (page.items.length > 0 && deps.takeFault(['emptyPageWithNext'])) {
		const again = cursor ?? startOf(query.oldestFirst);
		const next = seal(again);
		const data = ep.wrapper
			? `[{"${ep.wrapper}":[]${ep.resultCount ? ',"resultCount":0' : ''}}]`
			: '[]';
		return okEnvelope(data, { pagination: { pageSize: 0, totalCount: 0, next } });
	}

	const shape = deps.takeFault(['badPageShape'])?.shape;
	if (shape) return badShape(ep, shape);

	const meta: Obj = { pageSize: page.items.length, totalCount: entries.length };
	if (page.hasNext) meta.next = seal(after(page.items[page.items.length - 1]));
	else if (ep.emptyLastPage && deps.emptyLastPage) {
		// Recorded (mimecast-api-more.md, "Paging"): the end still has `next`; following it gives
		// an empty page whose `next` is the token just sent.
		const last = page.items[page.items.length - 1];
		meta.next = last
			? seal(after(last))
			: typeof rawToken === 'string' && rawToken
				? rawToken
				: seal(endOf(query.oldestFirst));
	}
	if (deps.takeFault(['freshNextForever'])) {
		// A server stuck in a loop: the same page again, under a token never seen before.
		const again = cursor ?? startOf(query.oldestFirst);
		meta.next = deps.codec.seal({
			i: item,
			t: again.t,
			s: again.s,
			d: again.dir,
			f: from,
			u: to,
			n: ++freshTokens,
		});
	}
	if (page.hasPrevious && page.items.length > 0)
		meta.previous = seal({ t: page.items[0].t, s: page.items[0].seq, dir: 'p' });
	const records = `[${page.items.map(recordJson).join(',')}]`;
	const data = ep.wrapper
		? `[{"${ep.wrapper}":${records}${ep.resultCount ? `,"resultCount":${page.items.length}` : ''}}]`
		: records;
	return okEnvelope(data, { pagination: meta });
}
