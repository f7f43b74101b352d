import { createHash } from 'crypto';

/**
 * Resume tokens: where a SIEM read stopped, exact to the event, as one string a workflow can
 * store and pass back as Start Token. The trigger keeps the same string as its cursor.
 *
 * API 1.0: `<token>[:[<files>.]<events>]`
 *   `<token>` is the `mc-siem-token` that was sent (empty = the start of the chain). Mimecast
 *   tokens are URL-safe base64 (zlib JSON), so they never hold `:`. What follows says how much
 *   of the chain after that token was already read: `<files>` whole files (several can come in
 *   one zip), then `<events>` events of the next file. A plain token is a file boundary that
 *   Mimecast itself knows; `T:5` is five events into the file after T; `T:2.0` is the third
 *   file of a zip. The counts are chain positions, not bytes, so they hold whether the files
 *   come zipped or one per call, as json or key_value.
 *
 * API 2.0: base64url JSON `{"v":2,"t":{"<type>":[nextPage|null, file, event, key]}}` per log
 *   type (camelCase option value): the `nextPage` that lists the page holding the next file
 *   (null = the first page of the date range), the file's index in that page, the events of
 *   it already read, and a short hash of the file's URL path (links are re-signed on every
 *   listing; the path names the file). Types not in the token start at the date range.
 */

export interface V1Position {
	/** The mc-siem-token to send; '' = the earliest file Mimecast holds. */
	token: string;
	/** Whole files of the chain after `token` already read. */
	files: number;
	/** Events of the next file already read. */
	events: number;
}

export interface V2TypePosition {
	/** The nextPage that lists the page with the next file; undefined = first page of the range. */
	page?: string;
	/** Index of the next file in that page. */
	file: number;
	/** Events of that file already read. */
	event: number;
	/** Hash of the URL path of the file at `file`, to find it again in a fresh listing. */
	key?: string;
}

export interface V2Position {
	types: Record<string, V2TypePosition>;
}

const V1_RE = /^([A-Za-z0-9_\-+/=]*)(?::(?:(\d{1,9})\.)?(\d{1,9}))?$/;

export const START_OF_CHAIN: V1Position = { token: '', files: 0, events: 0 };

export function formatV1Position(position: V1Position): string {
	const { token, files, events } = position;
	if (files === 0 && events === 0) return token;
	return files === 0 ? `${token}:${events}` : `${token}:${files}.${events}`;
}

/** undefined when the text is not a 1.0 resume token (nor a plain mc-siem-token). */
export function parseV1Position(text: string): V1Position | undefined {
	const m = V1_RE.exec(text.trim());
	if (!m) return undefined;
	return {
		token: m[1],
		files: m[2] === undefined ? 0 : Number(m[2]),
		events: m[3] === undefined ? 0 : Number(m[3]),
	};
}

export function formatV2Position(position: V2Position): string {
	const t: Record<string, [string | null, number, number, string?]> = {};
	for (const [type, p] of Object.entries(position.types)) {
		t[type] =
			p.key === undefined
				? [p.page ?? null, p.file, p.event]
				: [p.page ?? null, p.file, p.event, p.key];
	}
	return Buffer.from(JSON.stringify({ v: 2, t }), 'utf8').toString('base64url');
}

/** undefined when the text is not a 2.0 resume token; `knownTypes` rejects types of no option. */
export function parseV2Position(
	text: string,
	knownTypes?: readonly string[],
): V2Position | undefined {
	const trimmed = text.trim();
	if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(trimmed, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
	const root = parsed as { v?: unknown; t?: unknown };
	if (
		!root ||
		typeof root !== 'object' ||
		root.v !== 2 ||
		!root.t ||
		typeof root.t !== 'object' ||
		Array.isArray(root.t)
	)
		return undefined;
	const types: Record<string, V2TypePosition> = {};
	for (const [type, raw] of Object.entries(root.t as Record<string, unknown>)) {
		if ((knownTypes && !knownTypes.includes(type)) || !Array.isArray(raw)) return undefined;
		const [page, file, event, key] = raw as unknown[];
		if (page !== null && typeof page !== 'string') return undefined;
		if (!isCount(file) || !isCount(event)) return undefined;
		if (key !== undefined && typeof key !== 'string') return undefined;
		types[type] = { ...(page ? { page } : {}), file, event, ...(key !== undefined ? { key } : {}) };
	}
	return { types };
}

/** Whether a text is a 2.0 resume token (to tell a user who pasted one into a 1.0 node). */
export function looksLikeV2Token(text: string): boolean {
	return parseV2Position(text) !== undefined;
}

/** The identity of a batch file: its URL without the (re-signed on every listing) query. */
export function fileKey(url: string): string {
	const q = url.indexOf('?');
	const path = q === -1 ? url : url.slice(0, q);
	return createHash('sha1').update(path).digest('base64url').slice(0, 10);
}

/** The file name of a pre-signed URL: its last path segment, never a path (an encoded `/`). */
export function fileNameOfUrl(url: string): string {
	const q = url.indexOf('?');
	const path = q === -1 ? url : url.slice(0, q);
	let name = path.slice(path.lastIndexOf('/') + 1);
	try {
		name = decodeURIComponent(name);
	} catch {
		// Not percent-encoded after all: keep it as it is.
	}
	name = Array.from(name, (c) =>
		c === '/' || c === '\\' || c === ':' || c.charCodeAt(0) < 32 ? '_' : c,
	).join('');
	return name === '' || name === '.' || name === '..' ? 'siem-batch.json.gz' : name;
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
