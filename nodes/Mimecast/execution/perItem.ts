import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../transport/errors';
import type { ParameterReader } from './query';

/**
 * n8n's per-item contract for action nodes: each input item runs on its own, its output items
 * follow in order; with Continue On Fail a failing item becomes an `error` item paired with it,
 * otherwise the error stops the node, carrying the item index.
 */
export async function forEachInputItem(
	ctx: IExecuteFunctions,
	run: (itemIndex: number, read: ParameterReader) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const out: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const read: ParameterReader = (name, fallback) =>
				ctx.getNodeParameter(name, itemIndex, fallback);
			// One by one: a spread of 100,000 items would overflow the call stack.
			for (const item of await run(itemIndex, read)) out.push(item);
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw asNodeError(ctx.getNode(), error, itemIndex);
		}
	}
	return [out];
}
