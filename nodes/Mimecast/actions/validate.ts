import { DateTime } from 'luxon';

import { InvalidDateError, parseUserDate, toMimecastDate } from '../core/dates';

/**
 * Input checks for the action node, run before anything is sent. Each names the field as the
 * user sees it and says how to fix the value; the router turns InvalidInput into n8n's
 * NodeOperationError with the item index. Pure functions, so they are unit-tested directly.
 */
export class InvalidInput extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'InvalidInput';
	}
}

function text(field: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new InvalidInput(
		`${field} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`,
		`Set ${field} to a single value.`,
	);
}

/** A non-empty string, trimmed. */
export function required(field: string, value: unknown, example = ''): string {
	const result = text(field, value);
	if (result === '') {
		throw new InvalidInput(
			`${field} is empty`,
			`Set ${field}${example ? `, for example ${example}` : ''}.`,
		);
	}
	return result;
}

/** Optional text: undefined when empty. */
export function optional(field: string, value: unknown): string | undefined {
	const result = text(field, value);
	return result === '' ? undefined : result;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_RE = new RegExp(`^(?:${LABEL}\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`, 'i');
// Local part: what mailbox providers accept in practice, without spaces, quotes or brackets.
const EMAIL_RE = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@(.+)$/i;

export function email(field: string, value: unknown): string {
	const result = required(field, value, 'alice@example.com');
	const match = EMAIL_RE.exec(result);
	if (
		!match ||
		!DOMAIN_RE.test(match[1]) ||
		result.length > 254 ||
		result.startsWith('.') ||
		result.includes('..')
	) {
		throw new InvalidInput(
			`${field} is not an email address: "${result}"`,
			`Use one address like alice@example.com, without a display name or angle brackets.`,
		);
	}
	return result;
}

export function domain(field: string, value: unknown): string {
	const result = required(field, value, 'example.com');
	if (!DOMAIN_RE.test(result) || result.length > 253) {
		throw new InvalidInput(
			`${field} is not a domain name: "${result}"`,
			'Use the domain alone, like example.com: no @, no http://, no path.',
		);
	}
	return result.toLowerCase();
}

/** An http(s) URL with a host and no #fragment, as Mimecast's URL endpoints require. */
export function url(field: string, value: unknown): string {
	const result = required(field, value, 'https://example.com/login');
	let parsed: URL | undefined;
	try {
		parsed = new URL(result);
	} catch {
		parsed = undefined;
	}
	if (
		!parsed ||
		!/^https?:$/.test(parsed.protocol) ||
		!/^https?:\/\//i.test(result) ||
		parsed.hostname === ''
	) {
		throw new InvalidInput(
			`${field} is not a full URL: "${result}"`,
			'Include the scheme, like https://example.com/path (Mimecast requires http:// or https://).',
		);
	}
	if (result.includes('#')) {
		throw new InvalidInput(
			`${field} has a #fragment: "${result}"`,
			'Remove the # and what follows it; Mimecast refuses URLs with a fragment.',
		);
	}
	return result;
}

const HASH_LENGTHS: Record<number, string> = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256' };

/** An MD5, SHA-1 or SHA-256 file hash in hex; returned lower case. */
export function hash(field: string, value: unknown): string {
	const result = required(field, value);
	if (!/^[0-9a-f]+$/i.test(result) || !HASH_LENGTHS[result.length]) {
		throw new InvalidInput(
			`${field} is not an MD5, SHA-1 or SHA-256 hash: "${result}"`,
			'Use the hexadecimal hash of the file: 32 (MD5), 40 (SHA-1) or 64 (SHA-256) characters 0-9 and a-f.',
		);
	}
	return result.toLowerCase();
}

/** An internet Message-ID; Mimecast needs the angle brackets, which users often leave out. */
export function messageId(field: string, value: unknown): string {
	const result = required(field, value, '<abc123@mail.example.com>');
	const bare = result.replace(/^<(.*)>$/, '$1');
	if (bare === '' || /[\s<>]/.test(bare)) {
		throw new InvalidInput(
			`${field} is not a Message-ID: "${result}"`,
			'Use the Message-ID header value, like <abc123@mail.example.com> (angle brackets are added when missing).',
		);
	}
	return `<${bare}>`;
}

/** A value from a fixed list (option values saved in workflows, or set by an expression). */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	const result = text(field, value);
	if (!(allowed as readonly string[]).includes(result)) {
		throw new InvalidInput(
			`${field} has an unknown value "${result}"`,
			`Use one of: ${allowed.join(', ')}.`,
		);
	}
	return result as T;
}

/** Exactly one of the named fields has a value; returns its name. */
export function exactlyOneOf(fields: Record<string, unknown>): string {
	const given = Object.entries(fields).filter(
		([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
	);
	const names = Object.keys(fields).join(' or ');
	if (given.length !== 1) {
		throw new InvalidInput(
			given.length === 0
				? `Set ${names}`
				: `Set only one of ${names}, not ${given.map(([k]) => k).join(' and ')}`,
			`Mimecast takes exactly one of ${names}.`,
		);
	}
	return given[0][0];
}

export interface Window {
	start: string;
	end: string;
}

/**
 * A time window in Mimecast's date format. Start and End accept what the date picker and
 * expressions give (see core/dates.ts); an empty End means now, an empty Start `defaultStart`.
 */
export function window(
	fields: { start: string; end: string },
	values: { start: unknown; end: unknown },
	options: { zone?: string; defaultStart?: DateTime; now?: DateTime } = {},
): Window {
	const now = options.now ?? DateTime.utc();
	const read = (field: string, value: unknown): DateTime | undefined => {
		let problem: string;
		try {
			return parseUserDate(value, options.zone);
		} catch (error) {
			problem = error instanceof InvalidDateError ? error.message : String(error);
		}
		throw new InvalidInput(
			`${field} ${problem}`,
			`Set ${field} to a date and time, like 2024-05-01T08:00:00Z.`,
		);
	};
	const start = read(fields.start, values.start) ?? options.defaultStart;
	const end = read(fields.end, values.end) ?? now;
	if (!start)
		throw new InvalidInput(`${fields.start} is empty`, `Set ${fields.start} to a date and time.`);
	if (start >= end) {
		throw new InvalidInput(
			`${fields.start} is not before ${fields.end}`,
			`Set ${fields.start} earlier than ${fields.end}.`,
		);
	}
	return { start: toMimecastDate(start), end: toMimecastDate(end) };
}
