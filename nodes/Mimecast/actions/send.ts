import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readAuthentication } from '../execution/query';
import { paginate } from '../transport/paginate';
import { mimecastRequest } from '../transport/request';
import type { MimecastCall, MimecastEnvelope } from '../transport/types';
import type { ActionEndpoint } from './types';

function callOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	data: IDataObject[],
) {
	const auth = readAuthentication(
		ctx,
		(name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback),
		itemIndex,
	);
	const call: MimecastCall & { body: IDataObject } = {
		path: endpoint.path,
		body: { data },
		permission: endpoint.permission,
		operation: endpoint.label,
		itemIndex,
		repeat: endpoint.repeat,
		checkOutcome: endpoint.checkOutcome,
	};
	return { auth, call };
}

/** One request to an action endpoint (`{"data": [...]}`), under the endpoint's repeat policy. */
export async function sendAction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	data: IDataObject[],
): Promise<MimecastEnvelope> {
	const { auth, call } = callOf(ctx, itemIndex, endpoint, data);
	const response = await mimecastRequest<MimecastEnvelope>(ctx, auth, call);
	const body = response.body;
	if (!body || typeof body !== 'object' || (body.data !== undefined && !Array.isArray(body.data))) {
		throw unexpectedAnswer(ctx, itemIndex, endpoint, 'no data list');
	}
	return body;
}

/** The records of a list endpoint, page by page (`next` followed), at most `want` of them. */
export async function* listAction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	data: IDataObject[],
	want: number,
	recordsOf: (page: IDataObject[]) => unknown = (page) => page,
): AsyncGenerator<IDataObject> {
	const { auth, call } = callOf(ctx, itemIndex, endpoint, data);
	let emitted = 0;
	const pageSize = Number.isFinite(want) ? Math.min(want, 500) : 500;
	// A page without its record list is retried, then reported, by the paginator's shape check.
	const read = (data: unknown[]) => {
		const records = recordsOf(data as IDataObject[]);
		return Array.isArray(records) ? (records as unknown[]) : 'it has no record list';
	};
	for await (const page of paginate(ctx, auth, { call, pageSize, read })) {
		const records = page.records;
		for (const record of records) {
			if (!record || typeof record !== 'object')
				throw unexpectedAnswer(ctx, itemIndex, endpoint, 'a record that is not an object');
			yield record as IDataObject;
			if (++emitted >= want) return;
		}
		// Mimecast's last pages can carry a `next` with no records: stop, or it loops (api-more §common).
		if (records.length === 0) return;
	}
}

/** The first record of an answer, checked to be an object. */
export function firstRecord(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	body: MimecastEnvelope,
): IDataObject {
	const record = body.data?.[0];
	if (!record || typeof record !== 'object' || Array.isArray(record))
		throw unexpectedAnswer(ctx, itemIndex, endpoint, 'no record');
	return record;
}

export function unexpectedAnswer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: ActionEndpoint,
	what: string,
): NodeApiError {
	const message = `Mimecast's answer to ${endpoint.label} had ${what}`;
	return new NodeApiError(
		ctx.getNode(),
		{ message },
		{
			message,
			description: `The answer did not have the shape this node knows (${endpoint.path}), so nothing was read from it. Check the Mimecast console for what happened; if this persists, report it with the node version.`,
			itemIndex,
		},
	);
}

/** The Mimecast error code an error carries (`err_managed_url_exists_code`), if any. */
export function mimecastCodeOf(error: unknown): string | undefined {
	const code = (error as { context?: { mimecastCode?: unknown } })?.context?.mimecastCode;
	return typeof code === 'string' ? code : undefined;
}

/** Return All / Limit of a list operation: how many records to emit. */
export function wantedCount(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return Number.POSITIVE_INFINITY;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 50;
}

/** Whether an earlier attempt of the failed call may have been applied (the transport marks it). */
export function afterUncertainAttempt(error: unknown): boolean {
	return (
		(error as { context?: { afterUncertainAttempt?: unknown } })?.context?.afterUncertainAttempt ===
		true
	);
}
