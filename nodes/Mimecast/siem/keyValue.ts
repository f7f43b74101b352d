/**
 * Mimecast SIEM `fileFormat: key_value` lines (API 1.0 get-siem-logs), e.g.
 *
 *   datetime=2017-05-26T16:47:41+0100|aCode=7O7I7MvGP1mj8plHRDuHEA|Subject=\message subject\|SpamProcessingDetail={"spf":{"info":"SPF_FAIL","allow":true}}|SpamScore=1
 *
 * Splitting on `|` and then on `=` breaks on real lines (subjects hold both, JSON values hold
 * `=` and `:`), which is how existing integrations ended up with values cut in the wrong place.
 * The grammar this scanner reads, in one place:
 *
 * - A field is `key=value`. A key is one or more of `A-Z a-z 0-9 _ - .`, case kept as sent
 *   (url-protect logs use lower-case keys).
 * - A field ends at a "boundary": a `|` that is followed by `key=` or by the end of the line
 *   (so a trailing `|` is a terminator, not part of the value).
 * - A value starting with `\` is wrapped: it runs to the next `\` that sits on a boundary
 *   (followed by a boundary `|` or by the end of the line), and everything between is taken
 *   verbatim, `|`, `=`, spaces and inner backslashes included. Without such a closing
 *   backslash the value is read as a plain one, leading backslash kept.
 * - A value starting with `{` or `[` is inline JSON: it runs to the bracket that brings the
 *   depth back to zero (brackets inside JSON strings and escaped quotes are skipped) and is
 *   JSON.parse'd; if that bracket is not on a boundary, or the text is not valid JSON, the
 *   value is read as a plain string instead, so nothing is lost.
 * - Any other value is plain and runs to the next boundary. The lenient rule for a stray `|`:
 *   a `|` that is not followed by `key=` (`Subject=a | b`, `x=1||y=2` gives x=`1|`) stays in
 *   the value, because that is how a person reading the line would split it. A `|` followed by
 *   `word=` always starts a new field: that case is ambiguous, and Mimecast wraps such values.
 * - `key=` before a boundary is the empty string.
 * - Text at the start of a line that is not `key=` is kept under `UNPARSED_FIELD` rather than
 *   dropped. A key repeated in one line keeps its last value.
 * - A trailing `\r` (CRLF files) is not part of the last value.
 *
 * Speed: this is the hottest path of the package (millions of events a day), so the scanner is
 * one pass with indexOf/charCodeAt/slice and no regular expressions. Keys of the previous line
 * are reused when the next line has the same key at the same position, which avoids a string
 * allocation and an internalisation per field. Values are slices of the file text; V8 may keep
 * the text alive while long values are referenced, which is bounded by the per-file cap.
 */

export interface KeyValueOptions {
	/**
	 * Convert plain values that are exactly integers/decimals (`12`, `-3`, `0.5`) to numbers and
	 * `true`/`false` to booleans. Values that would not round-trip (`007`, `1.50`, IP addresses,
	 * hashes, integers beyond 2^53) stay strings. Wrapped (`\…\`) values always stay strings.
	 */
	typed?: boolean;
}

/** Field that receives text found at the start of a line where a `key=` was expected. */
export const UNPARSED_FIELD = '_unparsed';

const PIPE = 124;
const EQUALS = 61;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;

const KEY_CHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_CHAR[c] = 1;
for (let c = 65; c <= 90; c++) KEY_CHAR[c] = 1;
for (let c = 97; c <= 122; c++) KEY_CHAR[c] = 1;
KEY_CHAR[95] = 1; // _
KEY_CHAR[45] = 1; // -
KEY_CHAR[46] = 1; // .

/** If `key=` starts at p (before end), the index of its `=`; otherwise -1. */
function keyEquals(s: string, p: number, end: number): number {
	let i = p;
	while (i < end) {
		const c = s.charCodeAt(i);
		if (c < 128 && KEY_CHAR[c] === 1) {
			i++;
			continue;
		}
		return c === EQUALS && i > p ? i : -1;
	}
	return -1;
}

/**
 * Where the field after a `|` at index `pipe` begins: returns the index of its `=`, `end` when
 * the pipe ends the line, or -1 when the pipe is not a boundary.
 */
function boundaryAfter(s: string, pipe: number, end: number): number {
	const next = pipe + 1;
	if (next >= end) return end;
	return keyEquals(s, next, end);
}

/** Index just past the JSON value opening at `start`, or -1 if it does not close before end. */
export function scanJsonEnd(s: string, start: number, end: number): number {
	let depth = 0;
	let i = start;
	while (i < end) {
		const c = s.charCodeAt(i);
		if (c === QUOTE) {
			// Find the closing quote: one preceded by an even number of backslashes.
			let q = i;
			for (;;) {
				q = s.indexOf('"', q + 1);
				if (q === -1 || q >= end) return -1;
				let b = q - 1;
				while (s.charCodeAt(b) === BACKSLASH) b--;
				if ((q - 1 - b) % 2 === 0) break;
			}
			i = q + 1;
			continue;
		}
		if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
		else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
			depth--;
			if (depth === 0) return i + 1;
			if (depth < 0) return -1;
		}
		i++;
	}
	return -1;
}

function typedValue(v: string): unknown {
	const len = v.length;
	if (len === 0 || len > 24) return v;
	const c0 = v.charCodeAt(0);
	if (c0 === 116) return v === 'true' ? true : v;
	if (c0 === 102) return v === 'false' ? false : v;
	if ((c0 < 48 || c0 > 57) && c0 !== 45) return v;
	let dots = 0;
	for (let i = c0 === 45 ? 1 : 0; i < len; i++) {
		const c = v.charCodeAt(i);
		if (c === 46) {
			if (++dots > 1) return v;
		} else if (c < 48 || c > 57) return v;
	}
	const n = Number(v);
	// Round-trip check keeps "007", "1.50", "-0" and integers past 2^53 as the strings they are.
	return String(n) === v ? n : v;
}

/**
 * Records are built by `new PlainRecord()`, whose prototype is Object.prototype: to every
 * caller they are plain objects (same prototype, same constructor, deep-equal to literals),
 * but V8 gives instances of a constructor room for their fields inside the object, where a
 * `{}` literal has room for four and reallocates a side array as fields are added. Measured
 * 10-20% faster on 200k events, most of it less garbage.
 */
function PlainRecord(): void {}
PlainRecord.prototype = Object.prototype;
const newRecord = (): Record<string, unknown> => new (PlainRecord as unknown as new () => Record<string, unknown>)();

/**
 * Keys of the previously parsed line by position. Lines of one file share their key order, so
 * the key expected after a `|` is usually known: checking it with startsWith confirms the
 * boundary and reuses the already-internalised key string in one step.
 */
const keyCache: string[] = [];

/** Key found by the last fieldAfterPipe() call (a cached string, or undefined to slice it). */
let foundKey: string | undefined;

/**
 * Like boundaryAfter, for the `|` at `pipe` ending field `field - 1`: tries the cached key of
 * `field` first and leaves it in foundKey when it matches.
 */
function fieldAfterPipe(s: string, pipe: number, end: number, field: number): number {
	const next = pipe + 1;
	if (next >= end) {
		foundKey = undefined;
		return end;
	}
	const cached = keyCache[field];
	if (cached !== undefined) {
		const eq = next + cached.length;
		if (eq < end && s.charCodeAt(eq) === EQUALS && s.startsWith(cached, next)) {
			foundKey = cached;
			return eq;
		}
	}
	foundKey = undefined;
	return keyEquals(s, next, end);
}

/** Parses s[start, end) as one key_value line (end excludes the line break). */
function parseRange(s: string, start: number, end: number, typed: boolean): Record<string, unknown> {
	if (end > start && s.charCodeAt(end - 1) === CR) end--;
	if (start < end && s.charCodeAt(start) === BOM) start++;
	const record = newRecord();
	let p = start;
	// The first key is found the way keys after a `|` are (cached key first).
	let eq = p < end ? fieldAfterPipe(s, p - 1, end, 0) : -1;
	let key = foundKey;
	if (eq === -1 && p < end) {
		// No `key=` at the start: keep the text up to the first boundary.
		let q = s.indexOf('|', p);
		while (q !== -1 && q < end) {
			eq = boundaryAfter(s, q, end);
			if (eq !== -1) break;
			q = s.indexOf('|', q + 1);
		}
		if (q === -1 || q >= end) {
			q = end;
			eq = end;
		}
		record[UNPARSED_FIELD] = s.slice(p, q);
		p = q + 1;
		key = undefined;
	}
	let field = 0;
	while (p < end) {
		// Here eq is the index of the `=` of the field starting at p, and key is its cached
		// string if one matched.
		if (key === undefined) {
			key = s.slice(p, eq);
			keyCache[field] = key;
		}
		field++;

		const v = eq + 1;
		let value: unknown;
		let next = -1; // index of the boundary `|` (or end) that closes this field
		let nextEq = end;
		let nextKey: string | undefined;
		const c = v < end ? s.charCodeAt(v) : -1;

		if (c === BACKSLASH) {
			let j = s.indexOf('\\', v + 1);
			while (j !== -1 && j < end) {
				if (j + 1 === end) {
					next = end;
					break;
				}
				if (s.charCodeAt(j + 1) === PIPE) {
					const e = fieldAfterPipe(s, j + 1, end, field);
					if (e !== -1) {
						next = j + 1;
						nextEq = e;
						nextKey = foundKey;
						break;
					}
				}
				j = s.indexOf('\\', j + 1);
			}
			if (next !== -1) value = s.slice(v + 1, j);
		} else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
			const close = scanJsonEnd(s, v, end);
			if (close !== -1) {
				if (close === end) next = end;
				else if (s.charCodeAt(close) === PIPE) {
					const e = fieldAfterPipe(s, close, end, field);
					if (e !== -1) {
						next = close;
						nextEq = e;
						nextKey = foundKey;
					}
				}
				if (next !== -1) {
					const raw = s.slice(v, close);
					try {
						value = JSON.parse(raw);
					} catch {
						value = raw;
					}
				}
			}
		}

		if (next === -1) {
			// Plain value (also the fallback for unclosed wrapped and JSON values).
			let q = s.indexOf('|', v);
			for (;;) {
				if (q === -1 || q >= end) {
					next = end;
					nextEq = end;
					break;
				}
				const e = fieldAfterPipe(s, q, end, field);
				if (e !== -1) {
					next = q;
					nextEq = e;
					nextKey = foundKey;
					break;
				}
				q = s.indexOf('|', q + 1);
			}
			const raw = s.slice(v, next);
			value = typed ? typedValue(raw) : raw;
		}

		if (key === '__proto__') {
			// A plain assignment would replace the record's prototype instead of adding a field.
			Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
		} else {
			record[key] = value;
		}
		p = next + 1;
		eq = nextEq;
		key = nextKey;
	}
	return record;
}

/** Parses one key_value line. A trailing `\r` or `\n` is ignored. */
export function parseKeyValueLine(line: string, options?: KeyValueOptions): Record<string, unknown> {
	let end = line.length;
	if (end > 0 && line.charCodeAt(end - 1) === LF) end--;
	return parseRange(line, 0, end, options?.typed === true);
}

function isBlank(s: string, start: number, end: number): boolean {
	for (let i = start; i < end; i++) {
		const c = s.charCodeAt(i);
		if (c !== SPACE && c !== TAB && c !== CR && c !== BOM) return false;
	}
	return true;
}

/** Lazily parses every non-blank line of a key_value file (LF or CRLF). */
export function* iterateKeyValueLines(
	text: string,
	options?: KeyValueOptions,
): Generator<Record<string, unknown>, void, undefined> {
	const typed = options?.typed === true;
	const len = text.length;
	let p = 0;
	while (p < len) {
		let nl = text.indexOf('\n', p);
		if (nl === -1) nl = len;
		const c = text.charCodeAt(p);
		// Only lines that start with a blank-ish character need the full blank check.
		const blank = p === nl || ((c === SPACE || c === TAB || c === CR || c === BOM) && isBlank(text, p, nl));
		if (!blank) yield parseRange(text, p, nl, typed);
		p = nl + 1;
	}
}

/** Parses every non-blank line of a key_value file (LF or CRLF) into records. */
export function parseKeyValueFile(text: string, options?: KeyValueOptions): Record<string, unknown>[] {
	const typed = options?.typed === true;
	const out: Record<string, unknown>[] = [];
	const len = text.length;
	let p = 0;
	while (p < len) {
		let nl = text.indexOf('\n', p);
		if (nl === -1) nl = len;
		const c = text.charCodeAt(p);
		const blank = p === nl || ((c === SPACE || c === TAB || c === CR || c === BOM) && isBlank(text, p, nl));
		if (!blank) out.push(parseRange(text, p, nl, typed));
		p = nl + 1;
	}
	return out;
}

function isKey(key: string): boolean {
	if (key.length === 0) return false;
	for (let i = 0; i < key.length; i++) {
		const c = key.charCodeAt(i);
		if (c >= 128 || KEY_CHAR[c] !== 1) return false;
	}
	return true;
}

function serializeString(key: string, value: string): string {
	if (value.length === 0) return value;
	if (value.includes('\n') || value.includes('\r')) {
		throw new RangeError(`key_value cannot hold a line break (field ${key})`);
	}
	const c0 = value.charCodeAt(0);
	const wrap =
		c0 === BACKSLASH ||
		c0 === OPEN_BRACE ||
		c0 === OPEN_BRACKET ||
		value.includes(' ') ||
		value.includes('|');
	if (!wrap) return value;
	// Inside a wrapped value, `\|key=` would end the value early: Mimecast has no escape for it.
	let i = value.indexOf('\\|');
	while (i !== -1) {
		if (keyEquals(value, i + 2, value.length) !== -1) {
			throw new RangeError(`key_value cannot hold "\\|key=" inside a value (field ${key})`);
		}
		i = value.indexOf('\\|', i + 1);
	}
	return `\\${value}\\`;
}

/**
 * Writes a record the way Mimecast writes key_value lines: `key=value` joined by `|`, values
 * with spaces or pipes wrapped in backslashes, objects and arrays as inline JSON, `null` as an
 * empty value, `undefined` left out. Throws RangeError for what the format cannot carry (keys
 * outside `A-Z a-z 0-9 _ - .`, line breaks, `\|key=` inside a value) instead of writing a line
 * that would read back differently.
 */
export function serializeKeyValue(record: Record<string, unknown>): string {
	let out = '';
	let first = true;
	for (const key of Object.keys(record)) {
		const value = record[key];
		if (value === undefined) continue;
		if (!isKey(key)) throw new RangeError(`key_value cannot hold the key ${JSON.stringify(key)}`);
		let text: string;
		if (value === null) text = '';
		else if (typeof value === 'string') text = serializeString(key, value);
		else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
			text = String(value);
		} else if (value instanceof Date) text = serializeString(key, value.toISOString());
		else if (typeof value === 'object') text = JSON.stringify(value);
		else throw new RangeError(`key_value cannot hold a ${typeof value} (field ${key})`);
		out += first ? `${key}=${text}` : `|${key}=${text}`;
		first = false;
	}
	return out;
}
