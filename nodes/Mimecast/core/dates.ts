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
	const parsed = toDateTime(value, zone);
	if (!parsed.isValid)
		throw new InvalidDateError(
			`${describe(value)} is not a date (${parsed.invalidExplanation ?? parsed.invalidReason})`,
		);
	return parsed;
}

function toDateTime(value: unknown, zone: string): DateTime {
	if (DateTime.isDateTime(value)) return value;
	if (value instanceof Date) return DateTime.fromJSDate(value);
	if (typeof value === 'number') return DateTime.fromMillis(value);
	if (typeof value === 'string') {
		const text = value.trim();
		const iso = /^\d{12,14}$/.test(text)
			? DateTime.fromMillis(Number(text))
			: DateTime.fromISO(text, { zone, setZone: true });
		if (iso.isValid) return iso;
		const other = [DateTime.fromRFC2822(text, { zone }), DateTime.fromHTTP(text, { zone })].find(
			(d) => d.isValid,
		);
		// When nothing reads it, ISO 8601's reason is the one that helps (the others blame "HTTP").
		return other ?? iso;
	}
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		// A DateTime from another copy of luxon (n8n's own) fails isDateTime().
		const iso = (value as { toISO: () => unknown }).toISO();
		return typeof iso === 'string'
			? DateTime.fromISO(iso, { setZone: true })
			: DateTime.invalid('it holds no date (an invalid DateTime)');
	}
	throw new InvalidDateError(`${describe(value)} is not a date`);
}

/** The value as a person would recognise it in an error, never "[object Object]". */
function describe(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (value instanceof Date) return 'a Date object';
	if (typeof value === 'object' && value !== null && 'toISO' in value) return 'a date object';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `${typeof value === 'number' ? 'the number' : `a ${typeof value}`} ${String(value)}`;
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
