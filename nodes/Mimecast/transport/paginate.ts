import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { mimecastRequest } from './request';
import type { AuthenticationMode, MimecastCall, MimecastContext, MimecastEnvelope } from './types';

export const MAX_PAGE_SIZE = 500;

/**
 * Bounds of one walk. 5,000 pages are 2.5 million records: far beyond what one n8n execution
 * can hold, so reaching it means a server in a loop (fresh tokens forever), not a big window.
 * Tests lower them (test/helpers/pageLimits.ts); nothing else changes them.
 */
export const PAGE_LIMITS = { maxPages: 5_000, maxEmptyPages: 3 };

export interface Page<R> {
	records: R[];
	envelope: MimecastEnvelope;
	/** Token that fetched this page (undefined for the first). */
	pageToken?: string;
	next?: string;
}

export interface PageWalk<R> {
	call: MimecastCall & { body: IDataObject };
	pageSize?: number;
	startToken?: string;
	/** The records of one page's `data` array, or a text saying why they are not there. */
	read: (data: unknown[]) => R[] | string;
}

export type PagingStop = 'pageCap' | 'deadline' | 'emptyPages';

/**
 * Walks Mimecast's `meta.pagination` chain. An async iterator, so a caller that has enough
 * (a limit, a poll cap) just stops iterating and no further page is requested.
 *
 * Every walk ends: on a page without `next`; on an empty page, which Mimecast has been recorded
 * sending last with a `next` (issue 12); on a token seen before; at PAGE_LIMITS.maxPages; at
 * the call's deadline (a poll's budget). The last three throw an error whose
 * `context.pagingStopped` says which, so a trigger can end its poll quietly instead.
 */
export async function* paginate<R>(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	walk: PageWalk<R>,
): AsyncGenerator<Page<R>> {
	const { call } = walk;
	const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(walk.pageSize ?? MAX_PAGE_SIZE)));
	let pageToken = walk.startToken;
	const seen = new Set<string>();
	const progress = { records: 0, total: undefined as number | undefined, emptyInARow: 0 };
	for (let pages = 0; ; pages++) {
		if (pages >= PAGE_LIMITS.maxPages)
			throw pagingStopped(ctx, call, 'pageCap', `after ${pages} pages, each with a new page token`);
		if (call.deadline !== undefined && nowMs() >= call.deadline)
			throw pagingStopped(ctx, call, 'deadline', `after ${pages} pages`);
		const pagination: IDataObject = { pageSize };
		if (pageToken) pagination.pageToken = pageToken;
		let records: R[] = [];
		const response = await mimecastRequest<MimecastEnvelope>(ctx, auth, {
			...call,
			body: { meta: { pagination }, ...call.body },
			validate: (body) => {
				const read = readPage(body, walk.read);
				if (typeof read === 'string') return read;
				records = read;
				return undefined;
			},
		});
		const envelope = response.body;
		const next = envelope.meta?.pagination?.next || undefined;
		if (progress.total === undefined && !walk.startToken) progress.total = countOf(envelope);
		progress.records += records.length;
		progress.emptyInARow = records.length === 0 ? progress.emptyInARow + 1 : 0;
		yield { records, envelope, pageToken, next };
		if (!next || (records.length === 0 && isLastEmptyPage(progress, pages))) return;
		if (progress.emptyInARow >= PAGE_LIMITS.maxEmptyPages) {
			throw pagingStopped(
				ctx,
				call,
				'emptyPages',
				`after ${progress.emptyInARow} empty pages in a row, though Mimecast counted ${progress.total} records and sent ${progress.records}`,
			);
		}
		if (seen.has(next)) {
			throw pagingStopped(
				ctx,
				call,
				'pageCap',
				'because Mimecast returned the same page token twice',
			);
		}
		seen.add(next);
		pageToken = next;
	}
}

/**
 * An empty page that still carries `next` ends the walk (Mimecast's recorded quirk), unless
 * it cannot be the last: the first page of a walk, or fewer records so far than the first
 * page's totalCount. Those are followed, a few in a row at most.
 */
function isLastEmptyPage(progress: { records: number; total?: number }, pages: number): boolean {
	if (pages === 0) return false;
	return progress.total === undefined || progress.records >= progress.total;
}

function countOf(envelope: MimecastEnvelope): number | undefined {
	const total = Number(envelope.meta?.pagination?.totalCount);
	return Number.isFinite(total) && total > 0 ? total : undefined;
}

/** Every paged endpoint answers `{meta, data: [...]}`; the walk's reader finds the records in `data`. */
function readPage<R>(body: unknown, read: (data: unknown[]) => R[] | string): R[] | string {
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		return `the body is ${kindOf(body)}, not an object`;
	const data = (body as { data?: unknown }).data;
	if (data === undefined) return 'it has no "data" array';
	if (!Array.isArray(data)) return `its "data" is ${kindOf(data)}, not an array`;
	return read(data);
}

/** What a JSON value is, in words, without its content (it may hold anything). */
export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return `a string (${value.length} characters)`;
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function pagingStopped(
	ctx: MimecastContext,
	call: MimecastCall,
	reason: PagingStop,
	detail: string,
): NodeApiError {
	const message = `Stopped paging ${call.operation} ${detail}`;
	const error = new NodeApiError(
		ctx.getNode(),
		{ message, code: `paging_${reason}` },
		{
			message,
			description:
				reason === 'deadline'
					? 'The poll ran out of time; the next poll goes on from the same place.'
					: 'Mimecast (or a proxy in between) kept answering without getting anywhere, so paging stopped to avoid an endless loop. Narrow the time window (Start and End, or a Limit) and run again; if it persists, check the Base URL.',
			itemIndex: call.itemIndex,
		},
	);
	error.context.pagingStopped = reason;
	return error;
}

/** Why a walk was stopped by one of its bounds, if that is what `error` is. */
export function pagingStopReason(error: unknown): PagingStop | undefined {
	const reason = (error as { context?: IDataObject })?.context?.pagingStopped;
	return typeof reason === 'string' ? (reason as PagingStop) : undefined;
}
