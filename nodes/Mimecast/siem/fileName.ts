/**
 * get-siem-logs names each file `<type>_<yyyyMMddHHmmssSSS>.<ext>` in Content-Disposition,
 * e.g. `delivery_20160705162902600.log`, `ttp_url_20211129153015541.json`.
 */
export const SIEM_FILE_PREFIXES = [
	'receipt',
	'process',
	'delivery',
	'av',
	'spameventthread',
	'internal',
	'impersonation',
	'ttp_url',
	'ttp_ap',
	'iep',
	'jrnl',
] as const;

// Longest first, so `ttp_url_…` is never taken for a shorter type.
const BY_LENGTH = [...SIEM_FILE_PREFIXES].sort((a, b) => b.length - a.length);

export interface SiemFileNameInfo {
	/** A known prefix (SIEM_FILE_PREFIXES), else the text before the timestamp. */
	filePrefix: string;
	/**
	 * The timestamp of the name as ISO 8601. Mimecast does not document its time zone; it is
	 * read as UTC (inferred).
	 */
	fileTime?: string;
}

function baseName(name: string): string {
	const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
	return slash === -1 ? name : name.slice(slash + 1);
}

function isDigits(s: string): boolean {
	if (s.length === 0) return false;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/** yyyyMMddHHmmss[SSS] to ISO, or undefined when it is not a real date and time. */
function stampToIso(stamp: string): string | undefined {
	const n = (from: number, to: number) => Number(stamp.slice(from, to));
	const year = n(0, 4);
	const month = n(4, 6);
	const day = n(6, 8);
	const hour = n(8, 10);
	const minute = n(10, 12);
	const second = n(12, 14);
	const ms = stamp.length === 17 ? n(14, 17) : 0;
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		date.getUTCHours() !== hour ||
		date.getUTCMinutes() !== minute ||
		date.getUTCSeconds() !== second
	) {
		return undefined;
	}
	return date.toISOString();
}

function knownPrefix(head: string): string | undefined {
	const lower = head.toLowerCase();
	for (const type of BY_LENGTH) {
		if (lower === type || (lower.startsWith(type) && lower.charCodeAt(type.length) === 95) /* _ */)
			return type;
	}
	return undefined;
}

/**
 * File prefix (the API 1.0 log type) and file time from a SIEM file name: `delivery_20160705162902600.log` gives
 * `{ filePrefix: 'delivery', fileTime: '2016-07-05T16:29:02.600Z' }`. Directories and the
 * extension are ignored; a name without a timestamp gives no fileTime.
 */
export function parseSiemFileName(name: string): SiemFileNameInfo {
	let base = baseName(name.trim());
	const dot = base.indexOf('.');
	if (dot > 0) base = base.slice(0, dot);
	let head = base;
	let fileTime: string | undefined;
	const underscore = base.lastIndexOf('_');
	if (underscore !== -1) {
		const stamp = base.slice(underscore + 1);
		if ((stamp.length === 17 || stamp.length === 14) && isDigits(stamp)) {
			fileTime = stampToIso(stamp);
			head = base.slice(0, underscore);
		}
	}
	const filePrefix = knownPrefix(head) ?? head;
	return fileTime === undefined ? { filePrefix } : { filePrefix, fileTime };
}

function unquote(value: string): string {
	if (
		value.length >= 2 &&
		value.charCodeAt(0) === 34 &&
		value.charCodeAt(value.length - 1) === 34
	) {
		return value.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return value;
}

/** RFC 8187 ext-value: `charset'language'percent-encoded`. */
function decodeExtValue(value: string): string | undefined {
	const first = value.indexOf("'");
	const second = first === -1 ? -1 : value.indexOf("'", first + 1);
	if (second === -1) return undefined;
	const charset = value.slice(0, first).toLowerCase();
	const encoded = value.slice(second + 1);
	if (charset === 'utf-8') {
		try {
			return decodeURIComponent(encoded);
		} catch {
			return undefined;
		}
	}
	if (charset === 'iso-8859-1') {
		return encoded.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
			String.fromCharCode(parseInt(hex, 16)),
		);
	}
	return undefined;
}

/** Splits on `;` outside double quotes. */
function splitParameters(header: string): string[] {
	const parts: string[] = [];
	let start = 0;
	let quoted = false;
	for (let i = 0; i < header.length; i++) {
		const c = header.charCodeAt(i);
		if (c === 92 /* \ */ && quoted) i++;
		else if (c === 34) quoted = !quoted;
		else if (c === 59 /* ; */ && !quoted) {
			parts.push(header.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(header.slice(start));
	return parts;
}

/**
 * The file name in a Content-Disposition header (`attachment; filename="x.log"`,
 * `filename*=UTF-8''x.log`, or unquoted), `filename*` winning as RFC 6266 says. Only the last
 * path segment is returned: a name from a server is never a path for us.
 */
export function parseContentDisposition(header: string | undefined): string | undefined {
	if (header === undefined) return undefined;
	let plain: string | undefined;
	let extended: string | undefined;
	for (const part of splitParameters(header)) {
		const eq = part.indexOf('=');
		if (eq === -1) continue;
		const key = part.slice(0, eq).trim().toLowerCase();
		const value = part.slice(eq + 1).trim();
		if (key === 'filename*') extended ??= decodeExtValue(unquote(value));
		else if (key === 'filename') plain ??= unquote(value);
	}
	const name = extended ?? plain;
	if (name === undefined) return undefined;
	const base = baseName(name);
	return base.length > 0 ? base : undefined;
}
