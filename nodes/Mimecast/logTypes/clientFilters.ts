import type { INodeProperties } from 'n8n-workflow';

import type { ClientFilter } from './types';

/**
 * A Filters item for a client-side filter: "All" or one of the record values Mimecast is known
 * to use. Its description says the node applies it, since Mimecast documents no such filter.
 */
export function clientFilterProperty(
	filter: ClientFilter & {
		displayName: string;
		values: Array<{ name: string; value: string }>;
		noun: string;
	},
): INodeProperties {
	return {
		displayName: filter.displayName,
		name: filter.name,
		type: 'options',
		options: [{ name: 'All', value: 'all' }, ...filter.values],
		default: 'all',
		description: `Only ${filter.noun} with this ${filter.displayName.toLowerCase()}. Applied by this node to the records Mimecast returns (Mimecast offers no such filter).`,
	};
}
