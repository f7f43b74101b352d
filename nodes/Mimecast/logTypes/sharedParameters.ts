import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * The free-text Query filter several endpoints take as `query` in the body (audit events,
 * archive view and search logs). Only its placeholder and description differ per log.
 */
export function queryFilter(text: { placeholder: string; description: string }): INodeProperties {
	return {
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		...text,
	};
}

/** The body's `query` from the Query filter: trimmed, and left out when empty. */
export function queryBody(filters: IDataObject): IDataObject {
	return typeof filters.query === 'string' && filters.query.trim() !== ''
		? { query: filters.query.trim() }
		: {};
}

/** The Options item of endpoints that take `oldestFirst` (LogEndpoint.supportsOldestFirst). */
export const oldestFirstOption: INodeProperties = {
	displayName: 'Oldest First',
	name: 'oldestFirst',
	type: 'boolean',
	default: false,
	description: 'Whether to return the oldest records first instead of the newest',
};

/** The body's `oldestFirst`, always sent (false unless the option is on). */
export function oldestFirstBody(options: IDataObject): IDataObject {
	return { oldestFirst: options.oldestFirst === true };
}
