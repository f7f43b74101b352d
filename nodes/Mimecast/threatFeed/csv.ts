import type { IDataObject } from 'n8n-workflow';

import { FeedFormatError } from './errors';

/**
 * Mimecast's CSV feed (mimecast-api-more.md §4): `|`-delimited, a header row, a field in
 * double quotes may hold `|`, a line break or a doubled `""`; an unquoted `null` is a missing
 * value; a body with only the header holds no data. One object per row, keyed by the header.
 * A row that does not fit its header is an error rather than a guess: a shifted column would
 * put a file name where a hash belongs, and hashes end up in blocklists.
 */
export function parsePipeCsv(text: string, fileName?: string): IDataObject[] {
	const rows = splitRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, fileName);
	if (rows.length === 0) return [];
	const header = rows[0].fields.map((field) => field.text.trim());
	const seen = new Set<string>();
	for (const name of header) {
		if (name === '' || seen.has(name)) {
			throw new FeedFormatError(
				`The CSV header has ${name === '' ? 'an empty' : `a repeated (${name})`} column name`,
				fileName,
			);
		}
		seen.add(name);
	}
	const records: IDataObject[] = [];
	for (const row of rows.slice(1)) {
		if (row.fields.length !== header.length) {
			throw new FeedFormatError(
				`CSV line ${row.line} has ${row.fields.length} fields where the header has ${header.length}`,
				fileName,
			);
		}
		const record: IDataObject = {};
		row.fields.forEach(
			(field, i) =>
				(record[header[i]] = !field.quoted && field.text === 'null' ? null : field.text),
		);
		records.push(record);
	}
	return records;
}

interface Field {
	text: string;
	quoted: boolean;
}

interface Row {
	/** 1-based line where the row starts. */
	line: number;
	fields: Field[];
}

/** Rows of fields; blank lines are skipped. One pass, no backtracking. */
function splitRows(text: string, fileName?: string): Row[] {
	const rows: Row[] = [];
	let fields: Field[] = [];
	let line = 1;
	let rowLine = 1;
	let i = 0;
	const endRow = (): void => {
		if (!(fields.length === 1 && !fields[0].quoted && fields[0].text === ''))
			rows.push({ line: rowLine, fields });
		fields = [];
	};
	while (i <= text.length) {
		if (fields.length === 0) rowLine = line;
		const field =
			text.charCodeAt(i) === 0x22 ? readQuoted(text, i + 1, line, fileName) : readPlain(text, i);
		fields.push({ text: field.text, quoted: field.quoted });
		line += field.lines;
		i = field.end;
		if (i >= text.length) {
			endRow();
			break;
		}
		const c = text[i];
		if (c === '|') i++;
		else {
			// A line break: \n, \r\n or a lone \r.
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			line++;
			endRow();
			if (i >= text.length) break;
		}
	}
	return rows;
}

interface Read {
	text: string;
	quoted: boolean;
	end: number;
	lines: number;
}

function readPlain(text: string, start: number): Read {
	let end = start;
	while (end < text.length && text[end] !== '|' && text[end] !== '\n' && text[end] !== '\r') end++;
	return { text: text.slice(start, end), quoted: false, end, lines: 0 };
}

function readQuoted(text: string, start: number, line: number, fileName?: string): Read {
	let out = '';
	let lines = 0;
	let from = start;
	for (;;) {
		const quote = text.indexOf('"', from);
		if (quote === -1) {
			throw new FeedFormatError(
				`CSV line ${line} has a quoted field that is never closed (the answer may be cut off)`,
				fileName,
			);
		}
		const chunk = text.slice(from, quote);
		out += chunk;
		lines += countLineBreaks(chunk);
		if (text[quote + 1] === '"') {
			out += '"';
			from = quote + 2;
			continue;
		}
		const after = text[quote + 1];
		if (after !== undefined && after !== '|' && after !== '\n' && after !== '\r') {
			throw new FeedFormatError(
				`CSV line ${line + lines} has text after a closing quote`,
				fileName,
			);
		}
		return { text: out, quoted: true, end: quote + 1, lines };
	}
}

function countLineBreaks(chunk: string): number {
	let n = 0;
	for (let i = 0; i < chunk.length; i++) {
		if (chunk[i] === '\n' || (chunk[i] === '\r' && chunk[i + 1] !== '\n')) n++;
	}
	return n;
}
