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

/** Pages of records, in Mimecast's order; stop iterating to stop paging. */
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
	for await (const page of pages) {
		yield { records: recordsOf(logType, request.query.variant, page), page };
	}
}
