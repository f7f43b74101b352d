import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { unexpectedAnswer } from '../send';
import type { ActionEndpoint } from '../types';

/**
 * A remediation incident as users read it: the counts of mailbox copies it found and removed,
 * and `created` for Mimecast's `create` (a verb where a date is meant).
 */
export function incidentOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	record: IDataObject,
): IDataObject {
	if (typeof record.id !== 'string' || record.id === '')
		throw unexpectedAnswer(ctx, itemIndex, endpoint, 'no incident id');
	const { create, ...rest } = record;
	const out: IDataObject = {
		id: record.id,
		code: record.code,
		type: record.type,
		reason: record.reason,
		identified: record.identified,
		successful: record.successful,
		failed: record.failed,
		restored: record.restored,
		created: create,
		modified: record.modified,
		searchCriteria: record.searchCriteria,
	};
	// Fields this node does not know yet (R7's spec lists a few more) stay visible.
	for (const [key, value] of Object.entries(rest)) if (!(key in out)) out[key] = value;
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}
