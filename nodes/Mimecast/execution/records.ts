import type { IDataObject } from 'n8n-workflow';

import type { LogQuery, PagedLogDefinition } from '../logTypes/types';
import type { Page } from '../transport/paginate';
import { kindOf, MAX_PAGE_SIZE, paginate } from '../transport/paginate';
import type { AuthenticationMode, MimecastContext } from '../transport/types';

export interface RecordRequest {
	auth: AuthenticationMode;
	query: LogQuery;
	/** How many records the caller may still want: sizes the first page. */
	want?: number;
	itemIndex?: number;
	deadline?: number;
	pageToken?: string;
}

export interface RecordPage {
	records: IDataObject[];
	/** Why values of this page that are not objects (null, strings, numbers) were skipped. */
	skipped: string[];
	page: Page<unknown>;
}

/** The request body's `data[0]` for a query: dates under the endpoint's own names, then filters. */
export function buildRequestData(definition: PagedLogDefinition, query: LogQuery): IDataObject {
	return {
		[definition.dateFields.start]: query.start,
		[definition.dateFields.end]: query.end,
		...definition.buildFilters(query),
	};
}

/**
 * The values of one page's `data` that stand for records: `data[]` itself, or flattened out of
 * `data[].<recordsKey>` (TTP). A page whose records are not where the definition says is a text
 * saying what is wrong: the transport retries it, then reports it, and never reads it as empty.
 */
export function recordsOf(
	definition: PagedLogDefinition,
	variant: string,
	data: unknown[],
): unknown[] | string {
	const { recordsKey } = definition.endpoint(variant);
	if (!recordsKey) return data;
	const values: unknown[] = [];
	for (const [index, entry] of data.entries()) {
		if (!isRecord(entry))
			return `data[${index}] is ${kindOf(entry)}, not an object holding "${recordsKey}"`;
		const nested = entry[recordsKey];
		if (nested === undefined) return `data[${index}] has no "${recordsKey}" array`;
		if (!Array.isArray(nested))
			return `data[${index}].${recordsKey} is ${kindOf(nested)}, not an array`;
		for (const value of nested) values.push(value);
	}
	return values;
}

/**
 * The record test of the log type's client-side filters for these Filters values, or undefined
 * when none is set. Values compare case-insensitively: Mimecast's casing varies by endpoint.
 */
export function clientFilterOf(
	definition: PagedLogDefinition,
	filters: IDataObject,
): ((record: IDataObject) => boolean) | undefined {
	const active = (definition.clientFilters ?? [])
		.map(({ name, field }) => ({
			field,
			want: typeof filters[name] === 'string' ? String(filters[name]).toLowerCase() : 'all',
		}))
		.filter(({ want }) => want !== 'all' && want !== '');
	if (active.length === 0) return undefined;
	return (record) =>
		active.every(({ field, want }) => String(record[field] ?? '').toLowerCase() === want);
}

/** What selects a stream's records: the body's filters and the client-side ones (trigger cursors). */
export function selectionOf(definition: PagedLogDefinition, query: LogQuery): IDataObject {
	const client = Object.fromEntries(
		(definition.clientFilters ?? []).map(({ name }) => [name, query.filters[name] ?? 'all']),
	);
	return { ...definition.buildFilters(query), ...(definition.clientFilters ? { client } : {}) };
}

/**
 * Pages of records, in Mimecast's order, less those the client-side filters drop; stop iterating
 * to stop paging. A page can so come out empty while paging goes on.
 */
export async function* iterateRecordPages(
	ctx: MimecastContext,
	definition: PagedLogDefinition,
	request: RecordRequest,
): AsyncGenerator<RecordPage> {
	const { variant } = request.query;
	const endpoint = definition.endpoint(variant);
	const pages = paginate(ctx, request.auth, {
		call: {
			path: endpoint.path,
			body: { data: [buildRequestData(definition, request.query)] },
			permission: endpoint.permission,
			operation: `Mimecast ${definition.displayName}`,
			itemIndex: request.itemIndex,
			deadline: request.deadline,
		},
		pageSize: Math.min(MAX_PAGE_SIZE, request.want ?? MAX_PAGE_SIZE),
		startToken: request.pageToken,
		read: (data) => recordsOf(definition, variant, data),
	});
	const keep = clientFilterOf(definition, request.query.filters);
	let pageNumber = 0;
	for await (const page of pages) {
		pageNumber++;
		const records: IDataObject[] = [];
		const skipped: string[] = [];
		for (const [index, value] of page.records.entries()) {
			if (!isRecord(value))
				skipped.push(skippedRecord(definition, endpoint.path, value, index, pageNumber));
			else if (!keep || keep(value)) records.push(value);
		}
		yield { records, skipped, page };
	}
}

function skippedRecord(
	definition: PagedLogDefinition,
	path: string,
	value: unknown,
	index: number,
	pageNumber: number,
): string {
	return `Skipped record ${index + 1} of page ${pageNumber} from ${path}: it is ${kindOf(value)}, where a ${definition.recordNoun} (an object) was expected. The other records were read.`;
}

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
