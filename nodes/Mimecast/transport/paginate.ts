import type { IDataObject } from 'n8n-workflow';

import { inputError } from './errors';
import { mimecastRequest } from './request';
import type { AuthenticationMode, MimecastCall, MimecastContext, MimecastEnvelope } from './types';

export const MAX_PAGE_SIZE = 500;

export interface Page {
	data: IDataObject[];
	envelope: MimecastEnvelope;
	/** Token that fetched this page (undefined for the first). */
	pageToken?: string;
	next?: string;
}

/**
 * Walks Mimecast's `meta.pagination` chain. An async iterator, so a caller that has enough
 * (a limit, a poll cap) just stops iterating and no further page is requested.
 */
export async function* paginate(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall & { body: IDataObject },
	pageSize: number = MAX_PAGE_SIZE,
	startToken?: string,
): AsyncGenerator<Page> {
	let pageToken = startToken;
	const seen = new Set<string>();
	for (;;) {
		const pagination: IDataObject = { pageSize: Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(pageSize))) };
		if (pageToken) pagination.pageToken = pageToken;
		const response = await mimecastRequest<MimecastEnvelope>(ctx, auth, {
			...call,
			body: { meta: { pagination }, ...call.body },
		});
		const envelope = response.body ?? {};
		const next = envelope.meta?.pagination?.next || undefined;
		yield { data: Array.isArray(envelope.data) ? envelope.data : [], envelope, pageToken, next };
		if (!next) return;
		if (seen.has(next)) {
			throw inputError(
				ctx,
				`Mimecast returned the same page token twice for ${call.operation}`,
				'Paging stopped to avoid an endless loop. Narrow the time window and run again.',
				call.itemIndex,
			);
		}
		seen.add(next);
		pageToken = next;
	}
}
