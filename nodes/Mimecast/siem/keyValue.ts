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
 *   value is read as a plain string instead, so nothing is lost. (So `SpamInfo=[]` reads as an
 *   empty array, where fileFormat json sends the string "[]".)
 * - Any other value is plain and runs to the next boundary. The lenient rule for a stray `|`:
 *   a `|` that is not followed by `key=` (`Subject=a | b`, `x=1||y=2` gives x=`1|`) stays in
 *   the value, because that is how a person reading the line would split it. A `|` followed by
 *   `word=` always starts a new field: that case is ambiguous, and Mimecast wraps such values.
 * - `key=` before a boundary is the empty string.
 * - Text at the start of a line that is not `key=` is kept under `UNPARSED_FIELD` rather than
 *   dropped. A key repeated in one line keeps its last value.
 * - A trailing `\r` (CRLF files) is not part of the last value.
 *
 * Speed: this is the hottest path of the package (millions of events a day, small machines),
 * so the scanner is one pass with indexOf/charCodeAt/slice and no regular expressions, and it
 * allocates little: keys and short values of the previous line are reused when they repeat,
 * and records get their fields inside the object (PlainRecord). Values are slices of the file
 * text; V8 may keep the text alive while long values are referenced, which the per-file cap
 * bounds. The benchmark (bench/p2-keyvalue.ts) compares events/s with JSON.parse of the same
 * events as JSON lines.
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
 * `s.indexOf(ch, from)` that remembers its last answer: there is no `ch` between the last `from`
 * and the position found, so a search from anywhere in that stretch has the same answer. A line
 * of a file with no `|` (or `\\`, `"`) left searches on into the following lines; without the
 * memory every such line searched the same stretch again, quadratic in the number of lines.
 */
export class NextChar {
	private from = 0;
	private at = -2;
	constructor(
		private readonly s: string,
		private readonly ch: string,
	) {}

	find(from: number): number {
		const at = this.at;
		if (at === -2 || from < this.from || (at !== -1 && from > at)) {
			this.from = from;
			this.at = this.s.indexOf(this.ch, from);
			return this.at;
		}
		return at;
	}
}

/** The searches of one text (a file, or one line). */
interface Finders {
	pipe: NextChar;
	backslash: NextChar;
	quote: NextChar;
}

function finders(s: string): Finders {
	return {
		pipe: new NextChar(s, '|'),
		backslash: new NextChar(s, '\\'),
		quote: new NextChar(s, '"'),
	};
}

/** Index just past the JSON value opening at `start`, or -1 if it does not close before end. */
export function scanJsonEnd(
	s: string,
	start: number,
	end: number,
	quotes = new NextChar(s, '"'),
): number {
	let depth = 0;
	let i = start;
	while (i < end) {
		const c = s.charCodeAt(i);
		if (c === QUOTE) {
			// Find the closing quote: one preceded by an even number of backslashes.
			let q = i;
			for (;;) {
				q = quotes.find(q + 1);
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
	const first = c0 === 45 ? 1 : 0;
	let i = first;
	let n = 0;
	for (; i < len; i++) {
		const c = v.charCodeAt(i);
		if (c < 48 || c > 57) break;
		n = n * 10 + (c - 48);
	}
	const digits = i - first;
	if (digits === 0) return v;
	// "007" and "-0" are identifiers or codes, not numbers.
	if (digits > 1 && v.charCodeAt(first) === 48) return v;
	if (i === len) {
		if (digits <= 15) {
			if (first === 0) return n;
			return n === 0 ? v : -n;
		}
	} else {
		if (v.charCodeAt(i) !== 46 || i + 1 === len) return v;
		for (let j = i + 1; j < len; j++) {
			const c = v.charCodeAt(j);
			if (c < 48 || c > 57) return v;
		}
	}
	// Decimals and long integers: only if the number prints back as the same text, which keeps
	// "1.50" and integers past 2^53 as the strings they are.
	const x = Number(v);
	return String(x) === v ? x : v;
}

/**
 * Records are built by `new PlainRecord()`, whose prototype is Object.prototype: to every
 * caller they are plain objects (same prototype, same constructor, deep-equal to literals),
 * but V8 gives instances of a constructor room for their fields inside the object, where a
 * `{}` literal has room for four and reallocates a side array as fields are added. On the
 * benchmark this took a third off the CPU time and 30% off the memory per record.
 */
function PlainRecord(): void {}
PlainRecord.prototype = Object.prototype;
const newRecord = (): Record<string, unknown> =>
	new (PlainRecord as unknown as new () => Record<string, unknown>)();

/**
 * Keys of the previously parsed line by position. Lines of one file share their key order, so
 * the key expected after a `|` is usually known: comparing it in place confirms the boundary
 * and reuses the already-internalised key string, with no slice and no string-table lookup.
 */
const keyCache: string[] = [];
/**
 * keyCache's keys as char codes, which is what the comparison reads: a string that has been
 * used as a property name becomes a "thin" string in V8, and charCodeAt on it (or startsWith)
 * cost about a fifth of the whole parse in profiles; an array read does not.
 */
const keyCodes: number[][] = [];
const MAX_CACHED_FIELDS = 1024;

/**
 * Whether the `|` at `pipe` is a boundary, the next field being number `field`: returns the
 * index of that field's `=` (and then keyCache[field] is its key), `end` when the pipe ends
 * the line, or -1 when the pipe is part of a value.
 */
function fieldAfterPipe(s: string, pipe: number, end: number, field: number): number {
	const next = pipe + 1;
	if (next >= end) return end;
	const codes = keyCodes[field];
	if (codes !== undefined) {
		const eq = next + codes.length;
		if (eq < end && s.charCodeAt(eq) === EQUALS) {
			let i = 0;
			while (i < codes.length && s.charCodeAt(next + i) === codes[i]) i++;
			if (i === codes.length) return eq;
		}
	}
	const eq = keyEquals(s, next, end);
	if (eq !== -1) {
		const key = s.slice(next, eq);
		keyCache[field] = key;
		// Past the fields an event has, a line is not one Mimecast wrote: no codes to compare.
		if (field < MAX_CACHED_FIELDS) {
			const chars: number[] = [];
			for (let i = 0; i < key.length; i++) chars.push(key.charCodeAt(i));
			keyCodes[field] = chars;
		}
	}
	return eq;
}

/**
 * s[from, to) as a string, reusing the previous line's string for the same field when the text
 * is the same and at most 5 characters long: true/false, Acc, Yes, Jnl, small counts. Sharing
 * one string instead of a copy per record brought retained memory per event down to what
 * JSON.parse's records take (it internalises short strings), about 8% less, for about 5% more
 * parse work; longer limits saved more memory but cost more than they saved in GC. `values`
 * lives for one parse call only.
 */
/** Whether s holds text at position at. */
function textAt(s: string, at: number, text: string): boolean {
	for (let i = 0; i < text.length; i++)
		if (s.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
	return true;
}

function sliceValue(
	s: string,
	from: number,
	to: number,
	values: string[] | undefined,
	field: number,
): string {
	if (values === undefined || to - from > 5) return s.slice(from, to);
	const previous = values[field];
	if (previous !== undefined && previous.length === to - from && textAt(s, from, previous))
		return previous;
	const value = s.slice(from, to);
	values[field] = value;
	return value;
}

/**
 * Parses s[start, end) as one key_value line (end excludes the line break). `values` is the
 * per-file cache of sliceValue.
 */
// Long: the parser's hot loop (P2 in bench/), kept whole so its state stays in locals; splitting it needs a new P2 measurement first.
function parseRange(
	s: string,
	start: number,
	end: number,
	typed: boolean,
	values: string[] | undefined,
	find: Finders,
): Record<string, unknown> {
	if (end > start && s.charCodeAt(end - 1) === CR) end--;
	if (start < end && s.charCodeAt(start) === BOM) start++;
	const record = newRecord();
	let p = start;
	// Wrapped and JSON values are found by scanning ahead, and a scan that finds no close runs to
	// the end of the line: with many unclosed `{` or `\\` that made a line quadratic (a 349 KB
	// line took 37 s). Scans may cover the line a few times over; past that, the rest of the line's
	// values are read as plain ones, which is what an unclosed value falls back to anyway.
	let scanBudget = 4 * (end - start) + 4096;
	// The first key is found the way keys after a `|` are.
	let eq = p < end ? fieldAfterPipe(s, p - 1, end, 0) : end;
	if (eq === -1) {
		// No `key=` at the start: keep the text up to the first boundary.
		let q = find.pipe.find(p);
		eq = end;
		while (q !== -1 && q < end) {
			const e = fieldAfterPipe(s, q, end, 0);
			if (e !== -1) {
				eq = e;
				break;
			}
			q = find.pipe.find(q + 1);
		}
		if (q === -1 || q >= end) q = end;
		record[UNPARSED_FIELD] = s.slice(p, q);
		p = q + 1;
	}
	let field = 0;
	while (p < end) {
		// Here eq is the index of the `=` of the field starting at p, and keyCache[field] its key.
		const key = keyCache[field++];
		const v = eq + 1;
		let value: unknown;
		let next = -1; // index of the boundary `|` (or end) that closes this field
		let nextEq = end;
		const c = v < end ? s.charCodeAt(v) : -1;

		if (c === BACKSLASH && scanBudget > 0) {
			let j = find.backslash.find(v + 1);
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
						break;
					}
				}
				j = find.backslash.find(j + 1);
			}
			scanBudget -= (next === -1 ? end : next) - v;
			if (next !== -1) value = sliceValue(s, v + 1, j, values, field);
		} else if ((c === OPEN_BRACE || c === OPEN_BRACKET) && scanBudget > 0) {
			const close = scanJsonEnd(s, v, end, find.quote);
			scanBudget -= (close === -1 ? end : close) - v;
			if (close !== -1) {
				if (close === end) next = end;
				else if (s.charCodeAt(close) === PIPE) {
					const e = fieldAfterPipe(s, close, end, field);
					if (e !== -1) {
						next = close;
						nextEq = e;
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
			let q = find.pipe.find(v);
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
					break;
				}
				q = find.pipe.find(q + 1);
			}
			const raw = sliceValue(s, v, next, values, field);
			value = typed ? typedValue(raw) : raw;
		}

		if (key === '__proto__') {
			// A plain assignment would replace the record's prototype instead of adding a field.
			Object.defineProperty(record, key, {
				value,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		} else {
			record[key] = value;
		}
		p = next + 1;
		eq = nextEq;
	}
	if (field > MAX_CACHED_FIELDS) {
		// A line with thousands of fields is not a Mimecast event; do not keep its keys around.
		keyCache.length = 0;
		keyCodes.length = 0;
	}
	return record;
}

/** Parses one key_value line. A trailing `\r` or `\n` is ignored. */
export function parseKeyValueLine(
	line: string,
	options?: KeyValueOptions,
): Record<string, unknown> {
	let end = line.length;
	if (end > 0 && line.charCodeAt(end - 1) === LF) end--;
	return parseRange(line, 0, end, options?.typed === true, undefined, finders(line));
}

function isBlank(s: string, start: number, end: number): boolean {
	for (let i = start; i < end; i++) {
		const c = s.charCodeAt(i);
		if (c !== SPACE && c !== TAB && c !== CR && c !== BOM) return false;
	}
	return true;
}

/** Parses every non-blank line of a key_value file (LF or CRLF) into records. */
export function parseKeyValueFile(
	text: string,
	options?: KeyValueOptions,
): Record<string, unknown>[] {
	const typed = options?.typed === true;
	const values: string[] = [];
	const find = finders(text);
	const out: Record<string, unknown>[] = [];
	const len = text.length;
	let p = 0;
	while (p < len) {
		let nl = text.indexOf('\n', p);
		if (nl === -1) nl = len;
		const c = text.charCodeAt(p);
		// Only lines that start with a blank-ish character need the full blank check.
		const blank =
			p === nl || ((c === SPACE || c === TAB || c === CR || c === BOM) && isBlank(text, p, nl));
		if (!blank) out.push(parseRange(text, p, nl, typed, values, find));
		p = nl + 1;
	}
	return out;
}
