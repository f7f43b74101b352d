/**
 * API 2.0 SIEM: the batch listing (`GET /siem/v1/batch/events/cg`), the pre-signed gzip files it
 * points to (`GET /siem-files/...`, S3 stand-in: no auth header, 403 once expired) and the
 * event stream (`GET /siem/v1/events/cg`).
 */
import { gzipSync } from 'node:zlib';
import { DAY, formatDay, parseMcDate } from './clock';
import { BATCH_TYPES } from './data/siem-v2-events';
import { SIEM_RETENTION_MS, type DataStore } from './data/store';
import { CODES, jsonReply, s3Error, v2Fail, type Reply } from './envelope';
import type { TokenCodec } from './tokens';
import type { BatchFile, BatchType, FaultKind, FaultSpec, LogRecord } from './types';

export const MAX_BATCH_PAGE_SIZE = 100;
export const MAX_STREAM_PAGE_SIZE = 500;

export interface SiemV2Deps {
	store: DataStore;
	codec: TokenCodec;
	now: number;
	/** `http://host:port` as the client addressed us, so file URLs work behind any host name. */
	origin: string;
	fileUrlTtlMs: number;
	takeFault(kinds: readonly FaultKind[]): FaultSpec | undefined;
}

const bad = (message: string, code: string = CODES.invalidValue): Reply =>
	v2Fail(400, code, message);

function parsePageSize(raw: string | null, max: number, dflt: number): number | Reply {
	if (raw === null || raw === '') return dflt;
	const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(n) || n < 1 || n > max) return bad(`pageSize must be between 1 and ${max}`);
	return n;
}

/** Gzipped NDJSON per file, built once (files never change). */
const gzCache = new WeakMap<BatchFile, Buffer>();
export function batchFileBytes(file: BatchFile): Buffer {
	let gz = gzCache.get(file);
	if (!gz) {
		gz = gzipSync(file.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
		gzCache.set(file, gz);
	}
	return gz;
}

const fileKey = (f: BatchFile): [number, string] => [f.createTime, f.id];
const afterPos = (f: BatchFile, pos: [number, string] | undefined): boolean =>
	!pos || f.createTime > pos[0] || (f.createTime === pos[0] && f.id > pos[1]);

// ---- batch listing ------------------------------------------------------------------------

interface BatchCursor extends Record<string, unknown> {
	type: BatchType;
	pos?: [number, string];
}

function parseDayParam(params: URLSearchParams, name: string): number | undefined | Reply {
	const v = params.get(name);
	if (v === null || v === '') return undefined;
	const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
	return Number.isNaN(ms)
		? bad(`${name} must be a date in the form YYYY-MM-DD`, CODES.dateFormat)
		: ms;
}

/** The batch listing of `/siem/v1/batch/events/cg` (gateway types) or `/ci` (CI_BATCH_TYPES). */
export function handleBatchList(
	params: URLSearchParams,
	deps: SiemV2Deps,
	types: readonly BatchType[] = BATCH_TYPES,
): Reply {
	const type = params.get('type');
	if (!type) return bad('type is required', CODES.validationNull);
	if (!types.includes(type as BatchType)) return bad(`type must be one of ${types.join(', ')}`);
	const pageSize = parsePageSize(params.get('pageSize'), MAX_BATCH_PAGE_SIZE, MAX_BATCH_PAGE_SIZE);
	if (typeof pageSize !== 'number') return pageSize;
	const startDay = parseDayParam(params, 'dateRangeStartsAt');
	const endDay = parseDayParam(params, 'dateRangeEndsAt');
	if (typeof startDay === 'object') return startDay;
	if (typeof endDay === 'object') return endDay;
	const oldestDay = Date.parse(`${formatDay(deps.now - SIEM_RETENTION_MS)}T00:00:00Z`);
	const from = startDay ?? oldestDay;
	const to = (endDay ?? Date.parse(`${formatDay(deps.now)}T00:00:00Z`)) + DAY;
	if (from < oldestDay)
		return bad('dateRangeStartsAt must be within the last 7 days', CODES.dateRange);
	if (from >= to)
		return bad('dateRangeStartsAt must not be after dateRangeEndsAt', CODES.dateRange);

	let pos: [number, string] | undefined;
	const rawNext = params.get('nextPage');
	if (rawNext) {
		const cursor = deps.codec.open<BatchCursor>(rawNext);
		if (!cursor || cursor.type !== type)
			return bad('nextPage is not valid for this type', CODES.pageToken);
		pos = cursor.pos;
	}
	const files = deps.store
		.heldBatchFiles(type as BatchType)
		.filter((f) => f.createTime >= from && f.createTime < to && afterPos(f, pos));
	const page = files.slice(0, pageSize);
	const expires = deps.now + deps.fileUrlTtlMs;
	const value = page.map((f) => ({
		url: `${deps.origin}/siem-files/${encodeURIComponent(f.id)}.json.gz?expires=${expires}&signature=${deps.codec.mac(`${f.id}:${expires}`, 32)}`,
		expiry: new Date(expires).toISOString(),
		size: batchFileBytes(f).length,
	}));
	// Always handed back, even when caught up: resuming from it later yields only newer files.
	const last = page[page.length - 1];
	const nextPage = deps.codec.seal({
		type: type as BatchType,
		...(last ? { pos: fileKey(last) } : pos ? { pos } : {}),
	} satisfies BatchCursor);
	return jsonReply(200, { value, '@nextPage': nextPage, isCaughtUp: files.length <= pageSize });
}

// ---- pre-signed files ---------------------------------------------------------------------

export function handleBatchFile(path: string, params: URLSearchParams, deps: SiemV2Deps): Reply {
	const id = decodeURIComponent(/^\/siem-files\/(.+)\.json\.gz$/.exec(path)?.[1] ?? '');
	const expires = Number(params.get('expires'));
	const signature = params.get('signature') ?? '';
	if (!id || !Number.isFinite(expires) || signature !== deps.codec.mac(`${id}:${expires}`, 32)) {
		return s3Error(
			403,
			'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided.',
		);
	}
	if (deps.now > expires) return s3Error(403, 'AccessDenied', 'Request has expired');
	const file = deps.store.findBatchFile(id);
	if (!file || file.createTime < deps.now - SIEM_RETENTION_MS)
		return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
	let bytes = batchFileBytes(file);
	if (deps.takeFault(['corruptSiemFile'])) bytes = bytes.subarray(0, Math.floor(bytes.length / 2));
	return {
		status: 200,
		headers: { 'content-type': 'application/octet-stream', etag: `"${deps.codec.mac(id, 16)}"` },
		body: bytes,
	};
}

// ---- event stream -------------------------------------------------------------------------

interface StreamCursor extends Record<string, unknown> {
	q: string;
	/** [timestamp, type index, _offset] of the last event served. */
	pos: [number, number, number];
}

type Keyed = { key: [number, number, number]; event: LogRecord };

const cmp = (a: readonly number[], b: readonly number[]): number =>
	a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Stream events drop the Kafka bookkeeping and name their type `eventType` (samples/xsoar). */
function streamEvent(e: LogRecord): LogRecord {
	const out: LogRecord = {};
	for (const key of Object.keys(e)) {
		if (key === 'type') out.eventType = e.type;
		else if (key !== '_offset' && key !== '_partition') out[key] = e[key];
	}
	return out;
}

export function handleStream(params: URLSearchParams, deps: SiemV2Deps): Reply {
	const raw = params
		.getAll('types')
		.flatMap((t) => t.split(','))
		.map((t) => t.trim())
		.filter(Boolean);
	const unknown = raw.find((t) => !BATCH_TYPES.includes(t as BatchType));
	if (unknown) return bad(`unknown type ${unknown}`);
	const types = raw.length ? [...new Set(raw)].sort() : [...BATCH_TYPES];
	const pageSize = parsePageSize(params.get('pageSize'), MAX_STREAM_PAGE_SIZE, 100);
	if (typeof pageSize !== 'number') return pageSize;
	const date = (name: string, dflt: number): number | Reply => {
		const v = params.get(name);
		if (v === null || v === '') return dflt;
		return parseMcDate(v) ?? bad(`${name} must be an ISO 8601 date time`, CODES.dateFormat);
	};
	const from = date('dateRangeStartsAt', deps.now - SIEM_RETENTION_MS);
	const to = date('dateRangeEndsAt', deps.now);
	if (typeof from !== 'number') return from;
	if (typeof to !== 'number') return to;
	const q = deps.codec.mac(
		JSON.stringify([types, params.get('dateRangeStartsAt'), params.get('dateRangeEndsAt')]),
		16,
	);

	let pos: [number, number, number] | undefined;
	const rawNext = params.get('nextPage');
	if (rawNext) {
		const cursor = deps.codec.open<StreamCursor>(rawNext);
		if (!cursor || cursor.q !== q)
			return bad('nextPage is not valid for this query', CODES.pageToken);
		pos = cursor.pos;
	}
	const events: Keyed[] = [];
	for (const type of types) {
		const ti = BATCH_TYPES.indexOf(type as BatchType);
		for (const f of deps.store.heldBatchFiles(type as BatchType)) {
			for (const e of f.events) {
				const ts = e.timestamp as number;
				if (ts < from || ts > to) continue;
				const key: [number, number, number] = [ts, ti, e._offset as number];
				if (!pos || cmp(key, pos) > 0) events.push({ key, event: e });
			}
		}
	}
	events.sort((a, b) => cmp(a.key, b.key));
	const page = events.slice(0, pageSize);
	const last = page[page.length - 1];
	const nextPage = deps.codec.seal({
		q,
		pos: last ? last.key : (pos ?? [-1, -1, -1]),
	} satisfies StreamCursor);
	const link = new URLSearchParams(params);
	link.set('nextPage', nextPage);
	return jsonReply(200, {
		value: page.map((k) => streamEvent(k.event)),
		'@nextLink': `${deps.origin}/siem/v1/events/cg?${link.toString()}`,
		'@nextPage': nextPage,
		pageSize: page.length,
		isCaughtUp: events.length <= pageSize,
	});
}
