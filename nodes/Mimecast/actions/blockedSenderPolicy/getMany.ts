import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { limitProperties } from '../../descriptions/action';
import { asNodeError } from '../../transport/errors';
import { firstRecord, listAction, sendAction, wantedCount } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { optional } from '../validate';
import { notFoundError, saysNotFound } from './notFound';
import { policyOutput } from './policy';

const ENDPOINT: ActionEndpoint = {
	path: '/api/policy/blockedsenders/get-policy',
	permission: 'Gateway | Policies | Read',
	label: 'Get Blocked Sender Policies',
	repeat: 'read',
};

export const getMany: ActionOperation = {
	name: 'Get Many',
	action: 'Get many blocked sender policies',
	description: 'List blocked sender policies, or get one by ID',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Policy ID',
			name: 'policyId',
			type: 'string',
			default: '',
			description: 'Get only this policy; leave empty to list them all',
		},
		...limitProperties,
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = optional('Policy ID', this.getNodeParameter('policyId', itemIndex, ''));
		if (id) {
			try {
				const body = await sendAction(this, itemIndex, ENDPOINT, [{ id }]);
				return [policyOutput(firstRecord(this, itemIndex, ENDPOINT, body))];
			} catch (error) {
				throw saysNotFound(error)
					? notFoundError(this, itemIndex, id)
					: asNodeError(this.getNode(), error, itemIndex);
			}
		}
		const out: IDataObject[] = [];
		for await (const record of listAction(
			this,
			itemIndex,
			ENDPOINT,
			[],
			wantedCount(this, itemIndex),
		))
			out.push(policyOutput(record));
		return out;
	},
};
