import type { IDataObject } from 'n8n-workflow';

import type { FeedLogDefinition } from '../logTypes/types';
import type { Caps } from '../siem/archive';
import { SiemFileError } from '../siem/errors';
import { feedRecords } from '../threatFeed/body';
import { FeedFormatError } from '../threatFeed/errors';
import { asNodeError, inputError } from '../transport/errors';
import { mimecastRequest } from '../transport/request';
import type { RetryPolicy } from '../transport/retryPolicy';
import type { AuthenticationMode, MimecastContext } from '../transport/types';

/** What one feed answer may inflate to: feed files are small, a bomb is not. */
export const FEED_CAPS: Caps = { maxFileBytes: 64 * 1024 * 1024, maxTotalBytes: 128 * 1024 * 1024 };

/** Pages in a row with nothing in them but a new token before the feed is called broken. */
const MAX_EMPTY_PAGES = 20;

export interface FeedRequest {
	auth: AuthenticationMode;
	feedType: string;
	fileType: 'stix' | 'csv';
	compress: boolean;
	start: string;
	end: string;
	itemIndex?: number;
	deadline?: number;
	policy?: RetryPolicy;
}

/**
 * The records of a feed window, one answer at a time, in Mimecast's order; stop iterating to
 * stop asking. The next token comes in a response header; the feed ends when the header is
 * absent, repeats the token just sent (both seen in integrations, §4), or Mimecast answers
 * "No results". The same window goes with every token (NS does; EL leaves it out).
 *
 * An empty answer that carries a new token is followed, not taken as the end: ending early
 * would let a trigger move its cursor past indicators it never read. Bounded by the page
 * cap, a run of empty pages, and a token seen twice.
 */
// Long: one generator holding the token, the page count and the empty-page run it is bounded by.
export async function* iterateFeedPages(
	ctx: MimecastContext,
	definition: FeedLogDefinition,
	request: FeedRequest,
): AsyncGenerator<IDataObject[]> {
	const operation = `Mimecast ${definition.displayName}`;
	const seen = new Set<string>();
	let token: string | undefined;
	let emptyRun = 0;
	for (let page = 1; ; page++) {
		if (page > definition.maxPages) {
			throw inputError(
				ctx,
				`The threat intel feed had more than ${definition.maxPages} pages for this window`,
				'Narrow the window (Start and End) and run again.',
				request.itemIndex,
			);
		}
		const data: IDataObject = {
			feedType: request.feedType,
			fileType: request.fileType,
			compress: request.compress,
			start: request.start,
			end: request.end,
		};
		if (token !== undefined) data.token = token;
		const response = await mimecastRequest<Uint8Array>(
			ctx,
			request.auth,
			{
				path: definition.path,
				body: { data: [data] },
				binary: true,
				permission: definition.permission,
				operation,
				itemIndex: request.itemIndex,
				deadline: request.deadline,
				noDataMessages: definition.noDataMessages,
			},
			request.policy,
		);
		if (response.noData) return;
		const records = await readAnswer(ctx, response.body, request);
		yield records;
		const next = response.headers[definition.nextTokenHeader] || undefined;
		if (next === undefined || next === token) return;
		if (seen.has(next)) {
			throw inputError(
				ctx,
				`Mimecast returned the same threat feed token twice for ${operation}`,
				'Paging stopped to avoid an endless loop. Narrow the time window and run again.',
				request.itemIndex,
			);
		}
		emptyRun = records.length === 0 ? emptyRun + 1 : 0;
		if (emptyRun >= MAX_EMPTY_PAGES) {
			throw inputError(
				ctx,
				`Mimecast sent ${MAX_EMPTY_PAGES} empty threat feed pages in a row, each with a new token`,
				'Paging stopped to avoid an endless loop. Try again later, or narrow the time window.',
				request.itemIndex,
			);
		}
		seen.add(next);
		token = next;
	}
}

async function readAnswer(
	ctx: MimecastContext,
	bytes: Uint8Array,
	request: FeedRequest,
): Promise<IDataObject[]> {
	try {
		return await feedRecords(bytes, request.fileType, FEED_CAPS);
	} catch (error) {
		if (!(error instanceof FeedFormatError || error instanceof SiemFileError))
			throw asNodeError(ctx.getNode(), error, request.itemIndex);
		const tooLarge =
			error instanceof SiemFileError &&
			(error.kind === 'tooLarge' || error.kind === 'unsafeEntryName');
		throw inputError(
			ctx,
			`Could not read Mimecast's threat intel feed answer: ${error.message}`,
			tooLarge
				? 'The zip Mimecast sent was refused for safety (too large when inflated, or a file name with a path). Turn Compress off, or narrow the window.'
				: 'The answer was cut off or is not in the expected format. Run again; if it persists, turn Compress off or try the other File Type.',
			request.itemIndex,
		);
	}
}
