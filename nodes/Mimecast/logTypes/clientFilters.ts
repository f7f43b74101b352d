import type { INodeProperties } from 'n8n-workflow';

import { optionOf } from '../core/values';
import type { ClientFilter, PagedLogDefinition } from './types';

/** A client-side filter as a definition writes it, once. */
export interface ClientFilterSpec extends Omit<ClientFilter, 'field'> {
	/** The record field compared; the filter's name when left out. */
	field?: string;
	displayName: string;
	/** The record values Mimecast is known to use, besides "All", shown capitalized in this order. */
	values: string[];
}

/**
 * The Filters items, the record tests and the saved-value checks of a log whose filters are all
 * applied by the node (Mimecast documents none for its endpoint), each built from one spec.
 * `noun` names the records in the descriptions ("Only DLP logs with this action").
 */
export function clientFiltered(
	noun: string,
	specs: ClientFilterSpec[],
): Pick<PagedLogDefinition, 'filters' | 'clientFilters' | 'allowedValues'> {
	return {
		filters: specs.map((spec) => clientFilterProperty(spec, noun)),
		clientFilters: specs.map(({ name, field }) => ({ name, field: field ?? name })),
		allowedValues: Object.fromEntries(
			specs.map(({ name, displayName, values }) => [
				name,
				{ label: displayName, values: ['all', ...values] },
			]),
		),
	};
}

/**
 * A Filters item for a client-side filter: "All" or one of the record values Mimecast is known
 * to use. Its description says the node applies it, since Mimecast documents no such filter.
 */
function clientFilterProperty(spec: ClientFilterSpec, noun: string): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'options',
		options: [{ name: 'All', value: 'all' }, ...spec.values.map(optionOf)],
		default: 'all',
		description: `Only ${noun} with this ${spec.displayName.toLowerCase()}. Applied by this node to the records Mimecast returns (Mimecast offers no such filter).`,
	};
}
