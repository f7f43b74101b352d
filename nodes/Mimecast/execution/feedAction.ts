import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeedLogDefinition } from '../logTypes/types';
import type { RetryPolicy } from '../transport/retryPolicy';
import { iterateFeedPages } from './feedPages';
import { matchesIndicatorTypes, readFeedActionQuery } from './feedParams';
import { simplifyRecord } from './output';
import { forEachInputItem } from './perItem';

/**
 * The Threat Intel Feed action node: each input item reads its own window, one output item per
 * indicator (STIX) or row (CSV) in Mimecast's order, paired with the input item; Limit stops
 * asking for more pages once reached. `policy` is for tests only (short retry waits).
 */
export async function runFeedAction(
	this: IExecuteFunctions,
	definition: FeedLogDefinition,
	policy?: RetryPolicy,
): Promise<INodeExecutionData[][]> {
	const zone = this.getTimezone();
	return await forEachInputItem(this, async (itemIndex, read) => {
		const query = readFeedActionQuery(this, definition, read, zone, itemIndex);
		const out: INodeExecutionData[] = [];
		const pages = iterateFeedPages(this, definition, {
			...query,
			fileType: query.fileType.value,
			itemIndex,
			policy,
		});
		for await (const records of pages) {
			for (const record of records) {
				if (!matchesIndicatorTypes(query, record)) continue;
				const json = query.simplify
					? simplifyRecord(record, query.fileType.simplifiedFields)
					: record;
				out.push({ json, pairedItem: { item: itemIndex } });
				if (out.length >= query.limit) return out;
			}
		}
		return out;
	});
}
