/**
 * Time: one replaceable clock for the whole emulator (data times, x-mc-date freshness, token
 * and URL expiry), plus the two date formats Mimecast uses on the wire.
 */

export class Clock {
	constructor(private source: () => number = Date.now) {}

	now(): number {
		return this.source();
	}

	set(source: () => number): void {
		this.source = source;
	}
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Mimecast API 1.0 body dates: `2011-12-03T10:15:30+0000` (second resolution, UTC). */
let lastMs = NaN;
let lastText = '';
export function formatMcDate(ms: number): string {
	// Generators format sorted times, many in the same second: one cached value saves a lot.
	const second = Math.floor(ms / 1000);
	if (second !== lastMs) {
		lastMs = second;
		lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}+0000`;
	}
	return lastText;
}

/** Same instant rendered in a fixed offset, as SIEM 1.0 files do (account time zone). */
export function formatMcDateInOffset(ms: number, offsetMinutes: number): string {
	const local = formatMcDate(ms + offsetMinutes * 60_000).slice(0, 19);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return `${local}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

const ISO_RE =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a request date. Mimecast documents `2011-12-03T10:15:30+0000`; integrations in the
 * wild also send RFC 3339 (`Z`, `+00:00`) and Mimecast accepts those, so we do too. Anything
 * else (date only, epoch numbers, `toString()` output) is rejected: returns undefined.
 */
export function parseMcDate(text: string): number | undefined {
	const m = ISO_RE.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h, mi, s, frac, zone] = m;
	const month = Number(mo);
	const day = Number(d);
	if (
		month < 1 ||
		month > 12 ||
		day < 1 ||
		day > 31 ||
		Number(h) > 23 ||
		Number(mi) > 59 ||
		Number(s) > 59
	) {
		return undefined;
	}
	let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
	if (new Date(ms).getUTCDate() !== day) return undefined; // 2021-02-30
	if (frac) ms += Math.floor(Number(`0.${frac}`) * 1000);
	if (zone !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
	}
	return ms;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `x-mc-date` header format: `Tue, 24 Nov 2015 12:50:11 UTC`. */
export function formatXMcDate(ms: number): string {
	const d = new Date(ms);
	return (
		`${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
	);
}

const X_MC_DATE_RE =
	/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT)$/;

/**
 * Parses `x-mc-date`. Mimecast's own samples produce it three ways (Python strftime + " UTC",
 * .NET "R" which ends in GMT, Java with a one-digit day), so all of those are accepted.
 */
export function parseXMcDate(text: string): number | undefined {
	const m = X_MC_DATE_RE.exec(text.trim());
	if (!m) return undefined;
	const month = MONTHS.indexOf(m[3]);
	if (month < 0) return undefined;
	return Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
}

/** `YYYY-MM-DD` for a UTC instant (API 2.0 batch date ranges, file names). */
export function formatDay(ms: number): string {
	return formatMcDate(ms).slice(0, 10);
}

/** Start of the UTC day holding `ms`. */
export function startOfUtcDay(ms: number): number {
	return ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
}

/** `YYYYMMDDhhmmssSSS`, the timestamp in SIEM 1.0 file names (`delivery_20160705162902600.log`). */
export function formatFileStamp(ms: number): string {
	const d = new Date(ms);
	return (
		`${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
		`${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}`
	);
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
