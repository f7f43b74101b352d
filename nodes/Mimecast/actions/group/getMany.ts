import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { limitProperties } from '../../descriptions/action';
import { listAction, wantedCount } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { oneOf, optional } from '../validate';

const ENDPOINT: ActionEndpoint = {
	path: '/api/directory/find-groups',
	permission: 'Directories | Groups | Read',
	label: 'Find Groups',
	repeat: 'read',
};

const SOURCES = ['cloud', 'ldap'] as const;

export const getMany: ActionOperation = {
	name: 'Get Many',
	action: 'Get many groups',
	description: 'Find directory groups by name',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Name Contains',
			name: 'query',
			type: 'string',
			default: '',
			description: 'Text the group name contains; empty lists every group of the source',
		},
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'Cloud', value: 'cloud', description: 'Groups created in Mimecast' },
				{ name: 'LDAP', value: 'ldap', description: 'Groups synchronised from your directory' },
			],
			default: 'cloud',
		},
		...limitProperties,
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const request: IDataObject = {
			source: oneOf('Source', this.getNodeParameter('source', itemIndex, 'cloud'), SOURCES),
		};
		const query = optional('Name Contains', this.getNodeParameter('query', itemIndex, ''));
		if (query) request.query = query;
		const out: IDataObject[] = [];
		// Records are in data[0].folders[] (R7 find_groups.json.resp), not in data[] itself.
		const folders = (page: IDataObject[]) => (page.length === 0 ? [] : page[0]?.folders);
		for await (const folder of listAction(
			this,
			itemIndex,
			ENDPOINT,
			[request],
			wantedCount(this, itemIndex),
			folders,
		)) {
			out.push(groupOutput(folder));
		}
		return out;
	},
};

/** Mimecast calls a group's name `description`; users look for `name`. */
function groupOutput(folder: IDataObject): IDataObject {
	const { id, description, ...rest } = folder;
	return { id, name: description, description, ...rest };
}
