import { SiemFileError, describeFile, siemFileError } from './errors';
import { scanJsonEnd } from './keyValue';

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const COMMA = 44;
const BOM = 0xfeff;

type JsonRecord = Record<string, unknown>;

function isObject(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * n8n items must be objects; a bare value found where a record was expected is kept as
 * `{ value }` rather than dropped.
 */
function asRecord(value: unknown): JsonRecord {
	return isObject(value) ? value : { value };
}

const ENVELOPE_KEYS = new Set(['type', 'data', 'meta', 'fail']);

/**
 * `{"type":"MTA","data":[…]}` (a get-siem-logs json file) or `{"meta":…,"data":[],"fail":[]}`.
 * An event that merely has a field called `data` is not an envelope: it has other fields too.
 */
function envelopeData(value: JsonRecord): unknown[] | undefined {
	const data = value.data;
	if (data !== null && data !== undefined && !Array.isArray(data)) return undefined;
	for (const key of Object.keys(value)) if (!ENVELOPE_KEYS.has(key)) return undefined;
	return data ?? [];
}

function pushValue(out: JsonRecord[], value: unknown): void {
	if (Array.isArray(value)) {
		for (const item of value) out.push(asRecord(item));
		return;
	}
	if (isObject(value)) {
		const data = envelopeData(value);
		if (data !== undefined) {
			for (const item of data) out.push(asRecord(item));
			return;
		}
	}
	out.push(asRecord(value));
}

function isSpace(c: number): boolean {
	return c === SPACE || c === LF || c === CR || c === TAB || c === BOM;
}

function utf8Length(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) n += 1;
		else if (c < 0x800) n += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			n += 4;
			i++;
		} else n += 3;
	}
	return n;
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Records of a get-siem-logs `fileFormat: json` file: `{"type":"MTA","data":[{…}]}` gives the
 * `data` items. Defensively also reads a JSON array of records, NDJSON, and JSON values
 * concatenated with commas or whitespace (the Elastic fixtures have a line holding two events
 * joined by a comma); envelopes found anywhere in such a sequence are unwrapped. An empty or
 * blank body has no records.
 *
 * A body that stops before its JSON closes throws SiemFileError 'truncatedJson': Mimecast has
 * served `{ "type" : "MTA", "data" : ` for real (elastic/integrations#5053), and a reader that
 * only retries such a file is stuck on it until it ages out. Other invalid JSON throws the same
 * kind, with a message saying it is invalid rather than cut short.
 */
export function parseJsonLogFile(text: string, fileName?: string): JsonRecord[] {
	const len = text.length;
	let p = 0;
	while (p < len && isSpace(text.charCodeAt(p))) p++;
	if (p === len) return [];
	const out: JsonRecord[] = [];
	// Fast path: the whole body is one JSON value (the documented shape).
	try {
		pushValue(out, JSON.parse(p === 0 ? text : text.slice(p)));
		return out;
	} catch {
		// Not one JSON value (JSON.parse throws only SyntaxError): read value by value below.
	}
	while (p < len) {
		const c = text.charCodeAt(p);
		if (isSpace(c) || c === COMMA) {
			p++;
			continue;
		}
		let end: number;
		if (c === 123 || c === 91) {
			end = scanJsonEnd(text, p, len);
			if (end === -1) {
				throw siemFileError(
					'truncatedJson',
					`${describeFile(fileName)} is truncated JSON: it ended after ${utf8Length(text)} bytes before its JSON closed`,
					{ fileName },
				);
			}
		} else {
			// A bare scalar (number, string, literal) runs to the next separator.
			end = p + 1;
			while (end < len) {
				const d = text.charCodeAt(end);
				if (d === COMMA || d === LF || d === CR) break;
				end++;
			}
		}
		let value: unknown;
		try {
			value = JSON.parse(text.slice(p, end));
		} catch (error) {
			throw siemFileError(
				'truncatedJson',
				`${describeFile(fileName)} is not valid JSON near character ${p}: ${errorText(error)}`,
				{ fileName, cause: error },
			);
		}
		pushValue(out, value);
		p = end;
	}
	return out;
}

/**
 * Parses NDJSON (API 2.0 batch files after gunzip): one JSON object per line, LF or CRLF, blank
 * lines skipped. A line that is not a JSON object throws SiemFileError 'badNdjson' with its
 * 1-based line number.
 */
export function parseNdjson(text: string, fileName?: string): JsonRecord[] {
	const out: JsonRecord[] = [];
	const len = text.length;
	let p = 0;
	let line = 0;
	while (p < len) {
		let nl = text.indexOf('\n', p);
		if (nl === -1) nl = len;
		line++;
		const record = parseNdjsonLine(text, p, nl, line, fileName);
		if (record !== undefined) out.push(record);
		p = nl + 1;
	}
	return out;
}

function parseNdjsonLine(
	text: string,
	start: number,
	end: number,
	line: number,
	fileName: string | undefined,
): JsonRecord | undefined {
	let s = start;
	while (s < end && isSpace(text.charCodeAt(s))) s++;
	if (s === end) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(text.slice(s, end));
	} catch (error) {
		throw siemFileError(
			'badNdjson',
			`${describeFile(fileName)} has invalid JSON on line ${line}: ${errorText(error)}`,
			{ fileName, lineNumber: line, cause: error },
		);
	}
	if (!isObject(value)) {
		throw new SiemFileError(
			'badNdjson',
			`${describeFile(fileName)} line ${line} is not a JSON object`,
			{ fileName, lineNumber: line },
		);
	}
	return value;
}
