import type { IDataObject } from 'n8n-workflow';

import { isSecureOrLoopback } from '../../core/regions';
import type { SiemBatchType } from '../../logTypes/types';
import { mimecastRequest } from '../../transport/request';
import type { MimecastContext } from '../../transport/types';
import type { Caps } from '../archive';
import { decodeUtf8, gunzip } from '../archive';
import { SiemCapError } from '../capError';
import { SiemBoundError, SiemFileError } from '../errors';
import { parseNdjson } from '../jsonFile';
import type { V2TypePosition } from '../resumeToken';
import { fileKey, fileNameOfUrl } from '../resumeToken';

export interface BatchOptions {
	path: string;
	pageSize: number;
	type: SiemBatchType;
	/** `dateRangeStartsAt` / `dateRangeEndsAt`, YYYY-MM-DD (UTC). */
	startDay: string;
	endDay?: string;
	caps: Caps;
	permission: string;
	operation: string;
	itemIndex?: number;
	deadline?: number;
	/** Whether to stop before the next request (a cap or the poll budget). */
	shouldStop?: () => boolean;
}

export interface BatchFileUnit {
	kind: 'file';
	fileName: string;
	/** The gzip file as downloaded. */
	raw: Uint8Array;
	/** Decompressed size. */
	size: number;
	events: IDataObject[];
	firstEvent: number;
	before: V2TypePosition;
	after: V2TypePosition;
}

export interface BatchCorruptUnit {
	kind: 'corrupt';
	error: SiemFileError;
	fileName: string;
	before: V2TypePosition;
	after: V2TypePosition;
}

/** The type is caught up: `position` is where the next read starts. */
export interface BatchEndUnit {
	kind: 'end';
	position: V2TypePosition | undefined;
}

export type BatchUnit = BatchFileUnit | BatchCorruptUnit | BatchEndUnit;

interface Listing {
	value: Array<{ url: string; size?: number }>;
	next?: string;
	caughtUp: boolean;
}

/** How often one file may be listed again for a fresh link before the read fails. */
const MAX_RELISTS_PER_FILE = 3;
/** A listing chain longer than this is not progressing. */
const MAX_PAGES = 10_000;
/** Pages in a row that list no file and are not the last one before reading stops. */
const MAX_EMPTY_PAGES = 100;

/**
 * Follows `@nextPage` with the bounds every SIEM loop has: a page cap, a run of empty pages,
 * a page token seen before (a cycle). Returns whether `next` may be listed.
 */
class PageGuard {
	private readonly seen = new Set<string>();
	private pages = 0;
	private emptyInARow = 0;
	constructor(private readonly typeName: string) {}

	/** Before listing a page. */
	count(): void {
		if (this.pages++ >= MAX_PAGES) {
			throw new SiemBoundError(
				`Mimecast listed more than ${MAX_PAGES} pages of ${this.typeName} batch files without catching up`,
			);
		}
		if (this.emptyInARow >= MAX_EMPTY_PAGES) {
			throw new SiemBoundError(
				`Mimecast listed ${MAX_EMPTY_PAGES} pages of ${this.typeName} batch files in a row without a file, each with a new page token`,
			);
		}
	}

	/** After a page that is not the last one, before following its `next`. */
	follow(listing: Listing): void {
		const next = listing.next as string;
		if (this.seen.has(next)) {
			throw new SiemBoundError(
				`Mimecast listed a page token of ${this.typeName} batch files it had listed before`,
			);
		}
		this.seen.add(next);
		this.emptyInARow = listing.value.length === 0 ? this.emptyInARow + 1 : 0;
	}
}

/**
 * Reads one API 2.0 batch type from `start`: lists a page, downloads its files one at a time
 * from their pre-signed links (a link that expired is not an error: the same page is listed
 * again for fresh links and reading goes on at the same file), follows `@nextPage` until
 * Mimecast says the type is caught up. Stop iterating to stop.
 */
// Long: one generator holding the listing, link-expiry and download state; to be split with the SIEM control flow (issue 11).
export async function* walkBatch(
	ctx: MimecastContext,
	start: V2TypePosition | undefined,
	options: BatchOptions,
): AsyncGenerator<BatchUnit> {
	let page = start?.page;
	let fileIndex = start?.file ?? 0;
	let key = start?.key;
	let pendingEvents = start?.event ?? 0;
	const guard = new PageGuard(options.type.name);
	for (;;) {
		if (options.shouldStop?.()) return;
		guard.count();
		let listing = await listPage(ctx, page, options);
		let i = locate(listing, fileIndex, key);
		let relists = 0;
		while (i < listing.value.length) {
			if (options.shouldStop?.()) return;
			const entry = listing.value[i];
			const fileName = fileNameOfUrl(entry.url);
			const refused = linkRefusal(entry.url, fileName);
			if (refused) {
				const before = positionAt(page, i, pendingEvents, listing);
				pendingEvents = 0;
				yield {
					kind: 'corrupt',
					error: refused,
					fileName,
					before,
					after: afterFile(page, i, listing),
				};
				i++;
				continue;
			}
			let raw: Uint8Array | undefined;
			let failure: unknown;
			try {
				raw = await download(ctx, entry.url, options);
			} catch (error) {
				failure = error;
			}
			if (!raw) {
				const expired = (failure as { context?: IDataObject })?.context?.fileLinkExpired === true;
				if (!expired || relists >= MAX_RELISTS_PER_FILE) throw failure;
				relists++;
				listing = await listPage(ctx, page, options);
				i = locate(listing, i, fileKey(entry.url));
				continue;
			}
			relists = 0;
			const first = pendingEvents;
			pendingEvents = 0;
			const before: V2TypePosition = positionAt(page, i, first, listing);
			const after = afterFile(page, i, listing);
			let unit: BatchFileUnit | BatchCorruptUnit | undefined;
			let damage: unknown;
			try {
				const data = gunzip(raw, options.caps, fileName);
				const events = parseNdjson(decodeUtf8(data), fileName) as IDataObject[];
				unit = {
					kind: 'file',
					fileName,
					raw,
					size: data.length,
					events,
					firstEvent: first,
					before,
					after,
				};
			} catch (error) {
				damage = error;
			}
			if (!unit) {
				// A zip bomb or an oversized file is not skipped: the caps are the user's to raise.
				if (damage instanceof SiemFileError && damage.kind === 'tooLarge')
					throw new SiemCapError<V2TypePosition>(damage, before, after);
				if (!(damage instanceof SiemFileError)) throw damage;
				unit = { kind: 'corrupt', error: damage, fileName, before, after };
			}
			yield unit;
			i++;
		}
		if (listing.caughtUp || !listing.next || listing.next === page) {
			yield { kind: 'end', position: endPosition(page, listing) };
			return;
		}
		guard.follow(listing);
		page = listing.next;
		fileIndex = 0;
		key = undefined;
		pendingEvents = 0;
	}
}

/**
 * The position at the end of a type's listing, found by listing only (no file is downloaded):
 * how a trigger that starts "now" skips what Mimecast already holds. null: stopped by
 * `shouldStop` (the poll budget) before the end was found.
 */
export async function seekBatchEnd(
	ctx: MimecastContext,
	options: BatchOptions,
): Promise<V2TypePosition | undefined | null> {
	let page: string | undefined;
	const guard = new PageGuard(options.type.name);
	for (;;) {
		if (options.shouldStop?.()) return null;
		guard.count();
		const listing = await listPage(ctx, page, options);
		if (listing.caughtUp || !listing.next || listing.next === page)
			return endPosition(page, listing);
		guard.follow(listing);
		page = listing.next;
	}
}

async function listPage(
	ctx: MimecastContext,
	page: string | undefined,
	options: BatchOptions,
): Promise<Listing> {
	const qs: IDataObject = { type: options.type.api, dateRangeStartsAt: options.startDay };
	if (options.endDay) qs.dateRangeEndsAt = options.endDay;
	qs.pageSize = options.pageSize;
	if (page) qs.nextPage = page;
	const response = await mimecastRequest<IDataObject>(ctx, 'oAuth2', {
		method: 'GET',
		path: options.path,
		qs,
		permission: options.permission,
		operation: options.operation,
		itemIndex: options.itemIndex,
		deadline: options.deadline,
	});
	const body = response.body ?? {};
	const value = Array.isArray(body.value)
		? (body.value as IDataObject[])
				.filter((v) => typeof v?.url === 'string')
				.map((v) => ({ url: v.url as string, size: v.size as number | undefined }))
		: [];
	const next =
		typeof body['@nextPage'] === 'string' && body['@nextPage'] !== ''
			? (body['@nextPage'] as string)
			: undefined;
	return { value, next, caughtUp: body.isCaughtUp === true };
}

async function download(
	ctx: MimecastContext,
	url: string,
	options: BatchOptions,
): Promise<Uint8Array> {
	const response = await mimecastRequest<Uint8Array>(ctx, 'oAuth2', {
		binary: true,
		method: 'GET',
		path: options.path,
		presignedUrl: url,
		permission: options.permission,
		operation: options.operation,
		itemIndex: options.itemIndex,
		deadline: options.deadline,
	});
	return response.body;
}

/**
 * A batch link is fetched only under the base URL's https rule: Mimecast's links are https
 * (S3), and any other scheme or a plain-http host would let whoever answers the listing make
 * n8n fetch what it likes, in the clear. The message names the link without its query string,
 * which holds the pre-signed signature.
 */
function linkRefusal(link: string, fileName: string): SiemFileError | undefined {
	const url = URL.canParse(link) ? new URL(link) : undefined;
	if (url && isSecureOrLoopback(url)) return undefined;
	const shown = url ? `${url.protocol}//${url.host}${url.pathname}` : link.split('?')[0];
	const where = shown.length > 120 ? `${shown.slice(0, 120)}…` : shown;
	const why = !url
		? 'it is not a URL'
		: url.protocol === 'http:'
			? `it is plain http to ${url.hostname}, which is not this machine`
			: `its scheme ${url.protocol} is not https`;
	return new SiemFileError(
		'unsafeLink',
		`Mimecast's batch listing gave the link ${JSON.stringify(where)} and ${why}; only https links (plain http for localhost only) are fetched, so it was not downloaded`,
		{ fileName },
	);
}

/** After the last file of the last listing; undefined = nothing listed yet (the range's start). */
function endPosition(page: string | undefined, listing: Listing): V2TypePosition | undefined {
	if (listing.value.length > 0) return afterFile(page, listing.value.length - 1, listing);
	return page ? { page, file: 0, event: 0 } : undefined;
}

/** Where the file of a position is in a (fresh) listing: by its URL path, else by index. */
function locate(listing: Listing, index: number, key: string | undefined): number {
	if (key !== undefined) {
		const found = listing.value.findIndex((v) => fileKey(v.url) === key);
		if (found !== -1) return found;
	}
	return Math.min(index, listing.value.length);
}

function positionAt(
	page: string | undefined,
	file: number,
	event: number,
	listing: Listing,
): V2TypePosition {
	const url = listing.value[file]?.url;
	return { ...(page ? { page } : {}), file, event, ...(url ? { key: fileKey(url) } : {}) };
}

/** The position after file `i` of a listing: the next file, or the next page. */
function afterFile(page: string | undefined, i: number, listing: Listing): V2TypePosition {
	if (i + 1 < listing.value.length) return positionAt(page, i + 1, 0, listing);
	if (listing.next && listing.next !== page) return { page: listing.next, file: 0, event: 0 };
	return { ...(page ? { page } : {}), file: listing.value.length, event: 0 };
}
