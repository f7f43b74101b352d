/**
 * SIEM 1.0 `fileFormat: key_value`: one event per line, `key=value` pairs joined by `|`, CRLF
 * line ends. Values holding a space, `|` or `=` are wrapped in backslashes
 * (`Subject=\message subject\`); objects and arrays sit inline as JSON
 * (`SpamProcessingDetail={"spf":{"info":"SPF_FAIL","allow":true}}`), which is why splitting
 * naively on `|` and `=` breaks.
 */
import type { LogRecord } from './types';

function formatValue(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	const text = String(value);
	return /[ |=]/.test(text) ? `\\${text}\\` : text;
}

export function toKeyValueLine(event: LogRecord): string {
	return Object.entries(event)
		.map(([k, v]) => `${k}=${formatValue(v)}`)
		.join('|');
}

export function toKeyValueFile(events: readonly LogRecord[]): string {
	return events.map((e) => `${toKeyValueLine(e)}\r\n`).join('');
}
