import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forEachInputItem } from '../execution/perItem';
import { asNodeError, inputError } from '../transport/errors';
import { blockedSenderPolicy } from './blockedSenderPolicy';
import { group } from './group';
import { heldMessage } from './heldMessage';
import { managedUrl } from './managedUrl';
import { message } from './message';
import { remediation } from './remediation';
import { sender } from './sender';
import { url } from './url';
import type { ActionOperation, ActionResource } from './types';
import { InvalidInput } from './validate';

/** Every resource of the Mimecast node by its (stable, camelCase) parameter value. */
export const RESOURCES = {
	blockedSenderPolicy,
	group,
	heldMessage,
	managedUrl,
	message,
	remediation,
	sender,
	url,
} satisfies Record<string, ActionResource>;

export type ResourceKey = keyof typeof RESOURCES;

function operationOf(ctx: IExecuteFunctions, resource: string, operation: string): ActionOperation {
	const found = (RESOURCES as Record<string, ActionResource>)[resource]?.operations[operation];
	if (!found) {
		throw inputError(
			ctx,
			`Unknown resource or operation "${resource}/${operation}"`,
			'Choose the Resource and Operation again; a workflow saved with another version of this node may name one that no longer exists.',
		);
	}
	return found;
}

/**
 * The Mimecast node's execute: resource and operation are fixed per node (not per item), each
 * input item runs the operation on its own, output items are paired with it, and Continue On
 * Fail turns a failing item into an error item (execution/perItem.ts).
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = operationOf(
		this,
		String(this.getNodeParameter('resource', 0)),
		String(this.getNodeParameter('operation', 0)),
	);
	return await forEachInputItem(this, async (itemIndex) => {
		try {
			const records = await operation.execute.call(this, itemIndex);
			return records.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			if (error instanceof InvalidInput)
				throw inputError(
					this,
					error.message,
					`${error.hint} Nothing was sent to Mimecast.`,
					itemIndex,
				);
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	});
}
