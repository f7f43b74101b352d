import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PagedLogDefinition } from '../logTypes/types';
import { simplifyRecord } from './output';
import { forEachInputItem } from './perItem';
import { readActionQuery } from './query';
import { iterateRecordPages } from './records';

/**
 * The action node: each input item runs its own query; one output item per record, paired
 * with the input item; Return All walks every page, Limit stops paging once reached.
 */
export async function runAction(
	this: IExecuteFunctions,
	definition: PagedLogDefinition,
): Promise<INodeExecutionData[][]> {
	const zone = this.getTimezone();
	return await forEachInputItem(this, async (itemIndex, read) => {
		const query = readActionQuery(this, definition, read, zone, itemIndex);
		const fields = definition.endpoint(query.variant).simplifiedFields;
		const out: INodeExecutionData[] = [];
		let count = 0;
		const pages = iterateRecordPages(this, definition, {
			auth: query.auth,
			query,
			want: query.limit,
			itemIndex,
		});
		for await (const { records, skipped } of pages) {
			// A value that is not a record is skipped, and said so: it does not count towards Limit.
			for (const warning of skipped)
				out.push({ json: { warning }, pairedItem: { item: itemIndex } });
			for (const record of records) {
				out.push({
					json: query.simplify ? simplifyRecord(record, fields) : record,
					pairedItem: { item: itemIndex },
				});
				if (++count >= query.limit) return out;
			}
		}
		return out;
	});
}
