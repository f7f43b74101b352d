import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { limitProperties } from '../../descriptions/action';
import { listAction, wantedCount } from '../send';
import type { ActionOperation } from '../types';
import { optional } from '../validate';
import { LIST, managedUrlItem } from './shared';

export const getMany: ActionOperation = {
	name: 'Get Many',
	action: 'Get many managed URLs',
	description: 'List the URLs and domains blocked or permitted for every user',
	repeat: LIST.repeat,
	properties: [
		...limitProperties,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Domain or URL',
					name: 'domainOrUrl',
					type: 'string',
					default: '',
					placeholder: 'phish.example.com',
					description: 'Only managed URLs matching this domain or URL',
				},
				{
					displayName: 'Exact Match',
					name: 'exactMatch',
					type: 'boolean',
					default: false,
					description: 'Whether Domain or URL must match exactly rather than be contained',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const domainOrUrl = optional('Domain or URL', filters.domainOrUrl);
		// Mimecast lists everything for `data: []`; the filter is sent only when set.
		const data = domainOrUrl ? [{ domainOrUrl, exactMatch: filters.exactMatch === true }] : [];
		const out: IDataObject[] = [];
		for await (const record of listAction(
			this,
			itemIndex,
			LIST,
			data,
			wantedCount(this, itemIndex),
		))
			out.push(managedUrlItem(record));
		return out;
	},
};
