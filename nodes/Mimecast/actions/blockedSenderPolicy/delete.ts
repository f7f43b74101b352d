import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { afterUncertainAttempt, sendAction, unexpectedAnswer } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { required } from '../validate';
import { notFoundError, saysNotFound } from './notFound';

/** Repeatable: deleting again answers "not found", which after an uncertain attempt means it worked. */
const ENDPOINT: ActionEndpoint = {
	path: '/api/policy/blockedsenders/delete-policy',
	permission: 'Gateway | Policies | Edit',
	label: 'Delete Blocked Sender Policy',
	repeat: 'repeatable',
};

export const deletePolicy: ActionOperation = {
	name: 'Delete',
	action: 'Delete a blocked sender policy',
	description: 'Delete a blocked sender policy by ID',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Policy ID',
			name: 'policyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID from Get Many or Create',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = required('Policy ID', this.getNodeParameter('policyId', itemIndex, ''));
		let body;
		try {
			body = await sendAction(this, itemIndex, ENDPOINT, [{ id }]);
		} catch (error) {
			if (!saysNotFound(error)) throw asNodeError(this.getNode(), error, itemIndex);
			if (afterUncertainAttempt(error)) return [{ id, deleted: true }];
			throw notFoundError(this, itemIndex, id);
		}
		// XSOAR checks that the answer names the policy it asked to delete.
		const answered = body.data?.[0]?.id;
		if (answered !== undefined && answered !== id)
			throw unexpectedAnswer(
				this,
				itemIndex,
				ENDPOINT,
				`another policy id ("${String(answered)}")`,
			);
		return [{ id, deleted: true }];
	},
};
