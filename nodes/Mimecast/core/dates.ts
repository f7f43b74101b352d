import { DateTime } from 'luxon';

/** The body date format every Mimecast log endpoint takes: ISO 8601 with a colon-less offset. */
const MIMECAST_FORMAT = "yyyy-MM-dd'T'HH:mm:ssZZZ";

export class InvalidDateError extends Error {}

/**
 * Accepts what n8n users actually pass: the date picker's zone-less text (read in the
 * workflow's time zone), ISO with `Z` or an offset (with or without colon), Mimecast's own
 * format, epoch milliseconds, a JS Date, or the luxon DateTime an expression like `$now` yields.
 */
export function parseUserDate(value: unknown, zone = 'UTC'): DateTime | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: DateTime;
	if (DateTime.isDateTime(value)) parsed = value;
	else if (value instanceof Date) parsed = DateTime.fromJSDate(value);
	else if (typeof value === 'number') parsed = DateTime.fromMillis(value);
	else if (typeof value === 'string') {
		const text = value.trim();
		parsed = /^\d{12,14}$/.test(text)
			? DateTime.fromMillis(Number(text))
			: DateTime.fromISO(text, { zone, setZone: true });
		if (!parsed.isValid) parsed = DateTime.fromRFC2822(text, { zone });
		if (!parsed.isValid) parsed = DateTime.fromHTTP(text, { zone });
	} else if (typeof value === 'object' && value !== null && 'toISO' in value) {
		// A DateTime from another copy of luxon (n8n's own) fails isDateTime().
		parsed = DateTime.fromISO(String((value as { toISO: () => string }).toISO()), { setZone: true });
	} else {
		throw new InvalidDateError(`is a ${typeof value}, not a date`);
	}
	if (!parsed.isValid) {
		throw new InvalidDateError(`"${String(value)}" is not a date (${parsed.invalidExplanation ?? parsed.invalidReason})`);
	}
	return parsed;
}

export function toMimecastDate(value: DateTime | number): string {
	const dt = typeof value === 'number' ? DateTime.fromMillis(value) : value;
	return dt.toUTC().toFormat(MIMECAST_FORMAT);
}

/** Event times in records: `2017-01-24T13:51:47+0000`, ISO with colon, or epoch ms. NaN when absent. */
export function parseRecordTime(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || value === '') return Number.NaN;
	const parsed = DateTime.fromISO(value, { setZone: true });
	return parsed.isValid ? parsed.toMillis() : Number.NaN;
}

export function nowMs(): number {
	return DateTime.now().toMillis();
}
