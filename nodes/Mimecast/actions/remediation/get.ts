import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { firstRecord, sendAction } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { required } from '../validate';
import { incidentOutput } from './incident';

const ENDPOINT: ActionEndpoint = {
	path: '/api/ttp/remediation/get-incident',
	permission: 'Monitoring | Threat Remediation | Read',
	label: 'Get Remediation',
	repeat: 'read',
};

export const get: ActionOperation = {
	name: 'Get',
	action: 'Get a remediation incident',
	description:
		'Get a remediation incident: how many mailbox copies it found, removed, failed on or restored',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Incident ID',
			name: 'incidentId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID the Create operation returned (not the TR-… code)',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = required('Incident ID', this.getNodeParameter('incidentId', itemIndex));
		const body = await sendAction(this, itemIndex, ENDPOINT, [{ id }]);
		return [
			incidentOutput(this, itemIndex, ENDPOINT, firstRecord(this, itemIndex, ENDPOINT, body)),
		];
	},
};
