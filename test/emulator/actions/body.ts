/** Request reading that message, remediation, group and policy endpoints add to common.ts. */
import { CODES, type Reply } from '../envelope';
import { fieldFail, isReply, itemsOf, type Obj } from './common';

/** The first `data` item: these endpoints act on one item per call. */
export function firstItem(json: unknown): Obj | Reply {
	const items = itemsOf(json);
	return isReply(items) ? items : items[0];
}

/** A required non-blank string field, or the failure Mimecast answers for it. */
export function requiredString(item: Obj, field: string): string | Reply {
	const value = item[field];
	if (value === undefined || value === null)
		return fieldFail(CODES.validationNull, `${field} must not be null`, item, field);
	if (typeof value !== 'string' || value.trim() === '')
		return fieldFail(CODES.validationBlank, `${field} must not be blank`, item, field);
	return value;
}
