import type { IDataObject } from 'n8n-workflow';

import type { LogQuery, PagedLogType } from '../logTypes/types';
import type { Page } from '../transport/paginate';
import { MAX_PAGE_SIZE, paginate } from '../transport/paginate';
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

/** The request body's `data[0]` for a query: dates under the endpoint's own names, then filters. */
export function buildRequestData(logType: PagedLogType, query: LogQuery): IDataObject {
	return {
		[logType.dateFields.start]: query.start,
		[logType.dateFields.end]: query.end,
		...logType.buildFilters(query),
	};
}

/** Records of one page: `data[]` itself, or flattened out of `data[].<recordsKey>` (TTP). */
export function recordsOf(logType: PagedLogType, variant: string, page: Pick<Page, 'data'>): IDataObject[] {
	const { recordsKey } = logType.endpoint(variant);
	if (!recordsKey) return page.data;
	const records: IDataObject[] = [];
	for (const entry of page.data) {
		const nested = entry?.[recordsKey];
		if (Array.isArray(nested)) for (const record of nested) records.push(record as IDataObject);
	}
	return records;
}

/**
 * The record test of the log type's client-side filters for these Filters values, or undefined
 * when none is set. Values compare case-insensitively: Mimecast's casing varies by endpoint.
 */
export function clientFilterOf(logType: PagedLogType, filters: IDataObject): ((record: IDataObject) => boolean) | undefined {
	const active = (logType.clientFilters ?? [])
		.map(({ name, field }) => ({ field, want: typeof filters[name] === 'string' ? String(filters[name]).toLowerCase() : 'all' }))
		.filter(({ want }) => want !== 'all' && want !== '');
	if (active.length === 0) return undefined;
	return (record) => active.every(({ field, want }) => String(record[field] ?? '').toLowerCase() === want);
}

/** What selects a stream's records: the body's filters and the client-side ones (trigger cursors). */
export function selectionOf(logType: PagedLogType, query: LogQuery): IDataObject {
	const client = Object.fromEntries((logType.clientFilters ?? []).map(({ name }) => [name, query.filters[name] ?? 'all']));
	return { ...logType.buildFilters(query), ...(logType.clientFilters ? { client } : {}) };
}

/**
 * Pages of records, in Mimecast's order, less those the client-side filters drop; stop iterating
 * to stop paging. A page can so come out empty while paging goes on.
 */
export async function* iterateRecordPages(
	ctx: MimecastContext,
	logType: PagedLogType,
	request: RecordRequest,
): AsyncGenerator<{ records: IDataObject[]; page: Page }> {
	const endpoint = logType.endpoint(request.query.variant);
	const pageSize = Math.min(MAX_PAGE_SIZE, request.want ?? MAX_PAGE_SIZE);
	const pages = paginate(
		ctx,
		request.auth,
		{
			path: endpoint.path,
			body: { data: [buildRequestData(logType, request.query)] },
			permission: endpoint.permission,
			operation: `Mimecast ${logType.displayName}`,
			itemIndex: request.itemIndex,
			deadline: request.deadline,
		},
		pageSize,
		request.pageToken,
	);
	const keep = clientFilterOf(logType, request.query.filters);
	for await (const page of pages) {
		const records = recordsOf(logType, request.query.variant, page);
		yield { records: keep ? records.filter(keep) : records, page };
	}
}
