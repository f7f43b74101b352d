import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PagedLogType } from '../logTypes/types';
import { asNodeError } from '../transport/errors';
import { simplifyRecord } from './output';
import { readActionQuery } from './query';
import { iterateRecordPages } from './records';

/**
 * The action node: each input item runs its own query; one output item per record, paired
 * with the input item; Return All walks every page, Limit stops paging once reached.
 */
export async function runAction(this: IExecuteFunctions, logType: PagedLogType): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	const zone = this.getTimezone();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const read = (name: string, fallback?: unknown) => this.getNodeParameter(name, itemIndex, fallback);
			const query = readActionQuery(this, logType, read, zone, itemIndex);
			const fields = logType.endpoint(query.variant).simplifiedFields;
			let count = 0;
			const pages = iterateRecordPages(this, logType, { auth: query.auth, query, want: query.limit, itemIndex });
			for await (const { records } of pages) {
				for (const record of records) {
					out.push({ json: query.simplify ? simplifyRecord(record, fields) : record, pairedItem: { item: itemIndex } });
					if (++count >= query.limit) break;
				}
				if (count >= query.limit) break;
			}
		} catch (error) {
			if (this.continueOnFail()) {
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return [out];
}
