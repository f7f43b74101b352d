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
	/**
	 * Files of a listing downloaded at once, ahead of the reader (1 when absent); still yielded
	 * one at a time, in listing order.
	 */
	concurrency?: number;
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

	/**
	 * Whether `next` of a page with files may be listed ahead, before the page is read to its
	 * end: only when follow() and count() will let it, so a bound still fails at its turn.
	 */
	mayFollow(listing: Listing, page: string | undefined): boolean {
		return (
			!isLastPage(listing, page) &&
			listing.value.length > 0 &&
			!this.seen.has(listing.next as string) &&
			this.pages < MAX_PAGES
		);
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
 * Reads one API 2.0 batch type from `start`: lists a page, downloads its files from their
 * pre-signed links up to `concurrency` at a time (PageRead) and yields them in listing order (a
 * link that expired is not an error: the same page is listed again for fresh links and reading
 * goes on at the same file), follows `@nextPage` until Mimecast says the type is caught up.
 * Stop iterating to stop: what is still in flight is awaited, and nothing after the last unit
 * yielded was read.
 */
export async function* walkBatch(
	ctx: MimecastContext,
	start: V2TypePosition | undefined,
	options: BatchOptions,
): AsyncGenerator<BatchUnit> {
	const guard = new PageGuard(options.type.name);
	let page = start?.page;
	let from = { file: start?.file ?? 0, key: start?.key, event: start?.event ?? 0 };
	let listed: Promise<Outcome<Listing>> | undefined;
	try {
		for (;;) {
			if (options.shouldStop?.()) return;
			guard.count();
			const listing = listed ? valueOf(await listed) : await listPage(ctx, page, options);
			listed = undefined;
			const at = locate(listing, from.file, from.key);
			const read = new PageRead(ctx, options, guard, page, listing, at, from.event);
			try {
				if (!(yield* readPage(read, options))) return;
				listed = read.takeNextListing();
			} finally {
				await read.settle();
			}
			if (isLastPage(read.listing, page)) {
				yield { kind: 'end', position: endPosition(page, read.listing) };
				return;
			}
			guard.follow(read.listing);
			page = read.listing.next;
			from = { file: 0, key: undefined, event: 0 };
		}
	} finally {
		// A next page listed ahead and not read (the reader stopped): its request ends first.
		if (listed) await listed;
	}
}

/** The units of one page in listing order; false when `shouldStop` ended it before its end. */
async function* readPage(
	read: PageRead,
	options: BatchOptions,
): AsyncGenerator<BatchFileUnit | BatchCorruptUnit, boolean> {
	while (read.i < read.listing.value.length) {
		if (options.shouldStop?.()) return false;
		const { url } = read.listing.value[read.i];
		const fileName = fileNameOfUrl(url);
		const refused = linkRefusal(url, fileName);
		if (refused) {
			yield read.refusedUnit(refused, fileName);
			read.i++;
			continue;
		}
		read.fill();
		const fetched = await read.take(read.i);
		if (!fetched.ok) {
			await read.relist(fetched.failure);
			continue;
		}
		yield read.unit(fetched.value);
		read.i++;
	}
	return true;
}

/** A request's result as a value: a promise of it never rejects, so none in flight goes unhandled. */
type Outcome<T> = { ok: true; value: T } | { ok: false; failure: unknown };

function outcomeOf<T>(promise: Promise<T>): Promise<Outcome<T>> {
	return promise.then(
		(value): Outcome<T> => ({ ok: true, value }),
		(failure: unknown): Outcome<T> => ({ ok: false, failure }),
	);
}

function valueOf<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw outcome.failure;
	return outcome.value;
}

/**
 * One listing page being read. Its files are downloaded in listing order up to `concurrency`
 * ahead of the reader and taken in that order, so at most `concurrency` files are held at once:
 * in flight, or downloaded and not yet yielded (the one being yielded included). Each is
 * decompressed only at its turn, one at a time. Once every file of the page has been started,
 * the next page is listed beside the last downloads: the end of a page leaves no slot idle
 * waiting for a listing. A failed download surfaces at its own turn, after the files before it.
 */
class PageRead {
	/** Downloads started and not yet taken, by file index. */
	private readonly downloads = new Map<number, Promise<Outcome<Uint8Array>>>();
	private nextListing: Promise<Outcome<Listing>> | undefined;
	/** The next file to start downloading. */
	private next: number;
	private relists = 0;
	private readonly concurrency: number;

	constructor(
		private readonly ctx: MimecastContext,
		private readonly options: BatchOptions,
		private readonly guard: PageGuard,
		readonly page: string | undefined,
		public listing: Listing,
		/** The file to yield next. */
		public i: number,
		/** Events of file `i` an earlier run already emitted (the start position's). */
		private pendingEvents: number,
	) {
		this.next = i;
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
	}

	/** Starts downloads ahead up to the concurrency, checking `shouldStop` before each. */
	fill(): void {
		const { value } = this.listing;
		while (this.downloads.size < this.concurrency && this.next < value.length) {
			if (this.options.shouldStop?.()) return;
			const { url } = value[this.next];
			// A refused link is never fetched; it becomes a corrupt unit at its turn.
			if (isFetchable(url)) this.downloads.set(this.next, this.download(url));
			this.next++;
		}
		if (this.next < value.length || this.nextListing) return;
		if (!this.guard.mayFollow(this.listing, this.page) || this.options.shouldStop?.()) return;
		this.nextListing = outcomeOf(listPage(this.ctx, this.listing.next, this.options));
	}

	/** File `index`'s download, started now if it was not yet. */
	take(index: number): Promise<Outcome<Uint8Array>> {
		const started = this.downloads.get(index);
		this.downloads.delete(index);
		this.next = Math.max(this.next, index + 1);
		return started ?? this.download(this.listing.value[index].url);
	}

	/**
	 * File `i` could not be downloaded. An expired link is not an error: the page is listed
	 * again and reading goes on at the same file, found by its key. The other downloads of the
	 * old listing are dropped, not kept: links rarely expire, dropping costs at most
	 * concurrency - 1 downloads again, and every file then comes from one listing, with no
	 * matching of old results to new links. Any other failure is thrown, at this file's turn.
	 */
	async relist(failure: unknown): Promise<void> {
		const expired = (failure as { context?: IDataObject })?.context?.fileLinkExpired === true;
		if (!expired || this.relists >= MAX_RELISTS_PER_FILE) throw failure;
		this.relists++;
		const key = fileKey(this.listing.value[this.i].url);
		await this.settle();
		this.listing = await listPage(this.ctx, this.page, this.options);
		this.i = locate(this.listing, this.i, key);
		this.next = this.i;
	}

	/** File `i` as a unit, decompressed and parsed now; a damaged file is a corrupt unit. */
	unit(raw: Uint8Array): BatchFileUnit | BatchCorruptUnit {
		this.relists = 0;
		const fileName = fileNameOfUrl(this.listing.value[this.i].url);
		const first = this.pendingEvents;
		this.pendingEvents = 0;
		const before = positionAt(this.page, this.i, first, this.listing);
		const after = afterFile(this.page, this.i, this.listing);
		let damage: unknown;
		try {
			const data = gunzip(raw, this.options.caps, fileName);
			const events = parseNdjson(decodeUtf8(data), fileName) as IDataObject[];
			const size = data.length;
			return { kind: 'file', fileName, raw, size, events, firstEvent: first, before, after };
		} catch (error) {
			damage = error;
		}
		// A zip bomb or an oversized file is not skipped: the caps are the user's to raise.
		if (damage instanceof SiemFileError && damage.kind === 'tooLarge')
			throw new SiemCapError<V2TypePosition>(damage, before, after);
		if (!(damage instanceof SiemFileError)) throw damage;
		return { kind: 'corrupt', error: damage, fileName, before, after };
	}

	/** File `i`, whose link was refused, as a corrupt unit. */
	refusedUnit(error: SiemFileError, fileName: string): BatchCorruptUnit {
		const before = positionAt(this.page, this.i, this.pendingEvents, this.listing);
		this.pendingEvents = 0;
		const after = afterFile(this.page, this.i, this.listing);
		return { kind: 'corrupt', error, fileName, before, after };
	}

	/** The next page's listing, if it was started; the caller then owns it. */
	takeNextListing(): Promise<Outcome<Listing>> | undefined {
		const listed = this.nextListing;
		this.nextListing = undefined;
		return listed;
	}

	/** Waits for whatever is still in flight and forgets it. */
	async settle(): Promise<void> {
		const pending = [...this.downloads.values(), this.nextListing];
		this.downloads.clear();
		this.nextListing = undefined;
		await Promise.all(pending);
	}

	private download(url: string): Promise<Outcome<Uint8Array>> {
		return outcomeOf(download(this.ctx, url, this.options));
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
		if (isLastPage(listing, page)) return endPosition(page, listing);
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

/** Whether a listing is the type's last for now: caught up, or no page beyond it. */
function isLastPage(listing: Listing, page: string | undefined): boolean {
	return listing.caughtUp || !listing.next || listing.next === page;
}

function isFetchable(link: string): boolean {
	return URL.canParse(link) && isSecureOrLoopback(new URL(link));
}

/**
 * A batch link is fetched only under the base URL's https rule: Mimecast's links are https
 * (S3), and any other scheme or a plain-http host would let whoever answers the listing make
 * n8n fetch what it likes, in the clear. The message names the link without its query string,
 * which holds the pre-signed signature.
 */
function linkRefusal(link: string, fileName: string): SiemFileError | undefined {
	if (isFetchable(link)) return undefined;
	const url = URL.canParse(link) ? new URL(link) : undefined;
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
