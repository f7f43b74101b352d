/** Request reading and answers shared by the action endpoints. */
import { parseMcDate } from '../clock';
import { CODES, failEnvelope, okEnvelope, validationFail, type Reply } from '../envelope';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** An action endpoint: the parsed JSON body in, a reply out. Writes change the state. */
export type ActionHandler = (json: unknown) => Reply;

/** `data[]` of the request, each item an object; a Mimecast-shaped failure otherwise. */
export function itemsOf(json: unknown, { allowEmpty = false } = {}): Obj[] | Reply {
	const data = isObj(json) ? json.data : undefined;
	if (!Array.isArray(data) || (!allowEmpty && data.length === 0)) {
		return validationFail([
			{ code: CODES.validationNull, message: 'data must hold at least one item', field: 'data' },
		]);
	}
	if (!data.every(isObj)) {
		return failEnvelope(400, [
			{ code: CODES.malformedRequest, message: 'Every data item must be an object' },
		]);
	}
	return data;
}

export const isReply = (v: unknown): v is Reply =>
	isObj(v) && typeof v.status === 'number' && 'body' in v;

export function ok(records: unknown[], meta: Obj = {}): Reply {
	return okEnvelope(JSON.stringify(records), meta);
}

/** A function-level failure (HTTP 200, fail[]), echoing the request item as Mimecast does. */
export function fieldFail(code: string, message: string, key: Obj, field?: string): Reply {
	return validationFail([{ code, message, ...(field ? { field } : {}) }], key);
}

/** A body date (`start`, `end`) in Mimecast's format, the fallback when absent, else its error. */
export function dateField(item: Obj, field: 'start' | 'end', fallback: number): number | Reply {
	if (item[field] === undefined) return fallback;
	const ms = typeof item[field] === 'string' ? parseMcDate(item[field]) : undefined;
	return (
		ms ??
		fieldFail(
			CODES.dateFormat,
			`${field} must be an ISO 8601 date time such as 2011-12-03T10:15:30+0000`,
			item,
			field,
		)
	);
}

const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export const isEmail = (v: unknown): v is string => typeof v === 'string' && EMAIL_RE.test(v);

/** Mimecast's error for a bad address (api-more §7). */
export function invalidEmail(field: string, key: Obj): Reply {
	return fieldFail(
		'err_validation_invalid_email_address',
		'Email address is not valid',
		key,
		field,
	);
}

export function missing(field: string, key: Obj): Reply {
	return fieldFail(CODES.validationNull, `${field} must not be null`, key, field);
}

/**
 * Offset paging for the (small) configuration lists: `next` is the offset of the next page,
 * absent on the last one.
 */
export function pageOfList<T>(
	json: unknown,
	all: T[],
	defaultSize = 25,
): { page: T[]; meta: Obj } | Reply {
	const pagination =
		isObj(json) && isObj(json.meta) && isObj(json.meta.pagination) ? json.meta.pagination : {};
	const size = pagination.pageSize === undefined ? defaultSize : Number(pagination.pageSize);
	if (!Number.isInteger(size) || size < 1 || size > 500) {
		return validationFail([
			{ code: CODES.invalidValue, message: 'pageSize must be 1 to 500', field: 'pageSize' },
		]);
	}
	const token = pagination.pageToken;
	const offset =
		token === undefined
			? 0
			: Number(Buffer.from(String(token), 'base64url').toString().replace(/^off:/, ''));
	if (!Number.isInteger(offset) || offset < 0) {
		return validationFail([
			{ code: CODES.pageToken, message: 'The page token is not valid', field: 'pageToken' },
		]);
	}
	const page = all.slice(offset, offset + size);
	const meta: Obj = { pagination: { pageSize: page.length, totalCount: all.length } };
	if (offset + size < all.length)
		(meta.pagination as Obj).next = Buffer.from(`off:${offset + size}`).toString('base64url');
	return { page, meta };
}
