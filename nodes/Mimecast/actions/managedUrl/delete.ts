import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { afterUncertainAttempt, mimecastCodeOf, sendAction } from '../send';
import type { ActionOperation } from '../types';
import { required } from '../validate';
import { DELETE } from './shared';

export const deleteManagedUrl: ActionOperation = {
	name: 'Delete',
	action: 'Delete a managed URL',
	description: 'Remove a managed URL, so its URL is checked like any other again',
	repeat: DELETE.repeat,
	properties: [
		{
			displayName: 'Managed URL ID',
			name: 'id',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID of the managed URL, as Get Many or Create return it',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = required('Managed URL ID', this.getNodeParameter('id', itemIndex));
		try {
			await sendAction(this, itemIndex, DELETE, [{ id }]);
		} catch (error) {
			// "Not found" on a repeat of a delete that may already have been applied means done; on
			// a first attempt it means a wrong ID, which the user must hear about.
			const done =
				mimecastCodeOf(error) === 'err_managed_url_not_found' && afterUncertainAttempt(error);
			if (!done) throw asNodeError(this.getNode(), error, itemIndex);
		}
		return [{ id, deleted: true }];
	},
};
