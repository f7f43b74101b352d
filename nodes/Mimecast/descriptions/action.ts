import type { INodeProperties } from 'n8n-workflow';

import type { PagedLogDefinition } from '../logTypes/types';
import {
	authenticationProperty,
	filtersProperty,
	optionsProperty,
	simplifyProperties,
	windowProperties,
} from './common';

/** n8n's Return All / Limit pair, the same on every action node. */
export const limitProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The parameters of an action node, in the order n8n users expect them. */
export function actionProperties(definition: PagedLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		...(definition.variant ? [definition.variant.parameter] : []),
		...windowProperties(definition),
		...limitProperties,
		...simplifyProperties(definition),
		...filtersProperty(definition),
		...optionsProperty(definition),
	];
}
