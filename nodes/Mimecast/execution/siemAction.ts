import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SiemLogDefinition } from '../logTypes/types';
import { forEachInputItem } from './perItem';
import { collectV1, collectV2 } from './siemCollect';
import { readSiemActionQuery } from './siemParams';

/**
 * The SIEM Logs action node: each input item runs its own read from its Start Token (API 1.0)
 * or date range and Start Token (API 2.0). Every output item carries the resumeToken that
 * continues after it (siem/items.ts).
 */
export async function runSiemAction(
	this: IExecuteFunctions,
	definition: SiemLogDefinition,
): Promise<INodeExecutionData[][]> {
	const zone = this.getTimezone();
	return await forEachInputItem(this, async (itemIndex, read) => {
		const query = readSiemActionQuery(this, definition, read, zone, itemIndex);
		const common = {
			definition,
			settings: query,
			maxItems: query.returnAll ? Number.POSITIVE_INFINITY : query.limit,
			itemIndex,
		};
		const result =
			query.auth === 'apiKeys'
				? await collectV1(this, query.v1Start, common)
				: await collectV2(this, query.v2Start, {
						...common,
						types: query.batchTypes,
						startDay: query.startDay,
						endDay: query.endDay,
					});
		return result.items;
	});
}
