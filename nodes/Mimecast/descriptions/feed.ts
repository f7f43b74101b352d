import type { INodeProperties } from 'n8n-workflow';

import type { FeedLogDefinition } from '../logTypes/types';
import { limitProperties } from './action';
import {
	authenticationProperty,
	filtersProperty,
	optionsProperty,
	simplifyProperty,
	windowProperties,
} from './common';
import { triggerOptions } from './trigger';

function selectors(definition: FeedLogDefinition): INodeProperties[] {
	return [
		{
			displayName: 'Feed Type',
			name: 'feedType',
			type: 'options',
			options: definition.feedTypes.map(({ name, value, description }) => ({
				name,
				value,
				description,
			})),
			default: 'malwareCustomer',
			description: 'Which Mimecast threat intel feed to read',
		},
		{
			displayName: 'File Type',
			name: 'fileType',
			type: 'options',
			options: definition.fileTypes.map(({ name, value, description }) => ({
				name,
				value,
				description,
			})),
			default: 'stix',
			description:
				'The format Mimecast sends the feed in; each indicator or row becomes one item either way',
		},
	];
}

function filters(definition: FeedLogDefinition): INodeProperties[] {
	return filtersProperty({
		filters: [
			{
				displayName: 'Indicator Types',
				name: 'indicatorTypes',
				type: 'multiOptions',
				options: definition.indicatorTypes,
				default: [],
				description:
					'Only indicators of these types; none means all. Applied by the node (Mimecast filters the feed by type and time only). A CSV row matches SHA-256 or MD5 when it has that hash.',
			},
		],
	});
}

const compressOption: INodeProperties = {
	displayName: 'Compress',
	name: 'compress',
	type: 'boolean',
	default: false,
	description:
		'Whether to ask Mimecast for a zip (less traffic for large feeds); items are the same either way',
};

/** The action node: the feed for a time window, Return All / Limit, client-side filters. */
export function feedActionProperties(definition: FeedLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		...selectors(definition),
		...windowProperties(definition),
		...limitProperties,
		simplifyProperty(false),
		...filters(definition),
		...optionsProperty({ options: [compressOption] }),
	];
}

/** The trigger: the action's parameters minus the window and limit, which the cursor replaces. */
export function feedTriggerProperties(definition: FeedLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		...selectors(definition),
		simplifyProperty(false),
		...filters(definition),
		...optionsProperty({ options: [] }, [compressOption, ...triggerOptions(definition)]),
	];
}
