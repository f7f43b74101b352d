import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { simplifyProperty } from '../../descriptions/common';
import { firstRecord, sendAction } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { required } from '../validate';
import { simplifyMessageInfo } from './simplify';

const ENDPOINT: ActionEndpoint = {
	path: '/api/message-finder/get-message-info',
	permission: 'Gateway | Tracking | Read',
	label: 'Get Message',
	repeat: 'read',
};

export const get: ActionOperation = {
	name: 'Get',
	action: 'Get a message',
	description:
		'Get the full tracking information of one message: delivery per recipient, attachments, spam verdict',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Message Tracking ID',
			name: 'id',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID the Search operation returns for a message (not its Message-ID header)',
		},
		simplifyProperty(true),
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = required('Message Tracking ID', this.getNodeParameter('id', itemIndex));
		const body = await sendAction(this, itemIndex, ENDPOINT, [{ id }]);
		const record = firstRecord(this, itemIndex, ENDPOINT, body);
		return [
			this.getNodeParameter('simplify', itemIndex, true) === true
				? simplifyMessageInfo(record)
				: record,
		];
	},
};
