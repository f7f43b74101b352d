import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { firstRecord, sendAction } from '../send';
import type { ActionOperation } from '../types';
import { required } from '../validate';
import { RELEASE } from './shared';

export const release: ActionOperation = {
	name: 'Release',
	action: 'Release a held message',
	description: 'Deliver a held message to its recipients',
	repeat: RELEASE.repeat,
	properties: [
		{
			displayName: 'Held Message ID',
			name: 'id',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID of the held message, as Get Many returns it',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = required('Held Message ID', this.getNodeParameter('id', itemIndex));
		const record = firstRecord(
			this,
			itemIndex,
			RELEASE,
			await sendAction(this, itemIndex, RELEASE, [{ id }]),
		);
		if (record.release !== true) {
			const message = `Mimecast did not release held message ${id}`;
			throw new NodeApiError(
				this.getNode(),
				{ message, code: 'release_refused' },
				{
					message,
					description:
						'It may have been released or rejected already, or the ID is wrong: check with Held Message > Get Many.',
					itemIndex,
				},
			);
		}
		return [{ id, released: true }];
	},
};
