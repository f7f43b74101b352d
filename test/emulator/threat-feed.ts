/**
 * `POST /api/ttp/threat-intel/get-feed` (mimecast-api-more.md §4): malware indicators per feed
 * type, as a STIX 2.0 bundle (JSON) or a pipe-delimited CSV, optionally zipped. Paging is by
 * the `x-mc-threat-feed-next-token` response header; the end of the feed is either the header
 * left out or the token just sent echoed back (both are seen in integrations; `endStyle`
 * picks one). An empty window answers "No results found for threat intel feed." in `fail[]`
 * (or "Unable to compress feeds." when compressed), with HTTP 200.
 *
 * Indicators are served newest first, a page at a time: Mimecast does not document the
 * order, so a reader that assumes oldest first is caught here.
 */
import { formatFileStamp, formatMcDate, parseMcDate, DAY, SECOND, type Clock } from './clock';
import { spreadTimes } from './data/store';
import { MALICIOUS_FILES, SUBJECTS, externalSender, publicIp, sha256 } from './data/vocab';
import { CODES, validationFail, type McError, type Reply } from './envelope';
import { Rng } from './prng';
import type { TokenCodec } from './tokens';
import { buildZip, zipBombEntry } from './zip';
import type { FaultKind, FaultSpec } from './types';

export type FeedType = 'malware_customer' | 'malware_grid';
export const FEED_TYPES: readonly FeedType[] = ['malware_customer', 'malware_grid'];
export const NEXT_TOKEN_HEADER = 'x-mc-threat-feed-next-token';
export const NO_RESULTS = 'No results found for threat intel feed.';
export const UNABLE_TO_COMPRESS = 'Unable to compress feeds.';

/** One malicious file seen in mail: served as a STIX indicator (+ malware, relationship) or a CSV row. */
export interface FeedIndicator {
	seq: number;
	feedType: FeedType;
	/** Epoch ms (STIX times carry milliseconds; CSV shows whole seconds). */
	t: number;
	/** What the STIX pattern names. Most are SHA-256; some MD5-only files and URLs, as in the wild. */
	kind: 'sha256' | 'md5' | 'url';
	sha256: string | null;
	md5: string | null;
	url?: string;
	fileName: string;
	fileSize: number;
	mimeType: string;
	sender: string;
	sendingIp: string;
	subject: string;
	ids: { indicator: string; malware: string; relationship: string };
}

export interface ThreatFeedAddOptions {
	at?: number;
	sameTimestamp?: boolean;
}

export interface ThreatFeedDeps {
	now: number;
	takeFault(kinds: readonly FaultKind[]): FaultSpec | undefined;
}

interface FeedToken extends Record<string, unknown> {
	/** Feed type, file type, window: the query the token belongs to. */
	q: [FeedType, string, number, number];
	/** Position: the last (t, seq) served, newest first. */
	t: number;
	s: number;
	/** A serial number: no two answers hand out the same token, so an echo always means "the end". */
	n: number;
}

const CSV_COLUMNS = [
	'Timestamp',
	'SenderAddress',
	'FileName',
	'FileSize',
	'SHA256',
	'MD5',
	'SendingIP',
	'FileMimeType',
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ThreatFeed {
	/** How the last page says "no more": no header, or the token just sent echoed back. */
	endStyle: 'absent' | 'echo' = 'absent';
	/** Indicators per answer (Mimecast does not document it; small enough that tests page). */
	pageSize = 50;
	private readonly lists = new Map<FeedType, FeedIndicator[]>();
	private seq = 0;
	private tokens = 0;
	private growth: NodeJS.Timeout | undefined;

	constructor(
		private readonly seed: number,
		private readonly clock: Clock,
		perFeed: number,
		days: number,
		private readonly codec: TokenCodec,
	) {
		const now = clock.now();
		for (const feedType of FEED_TYPES) {
			this.lists.set(feedType, []);
			const times = spreadTimes(this.rng(`${feedType}:time`), perFeed, now - days * DAY, now);
			for (const t of times) this.put(feedType, t + this.rng(`${feedType}:ms`).int(0, 999));
		}
	}

	private readonly rngs = new Map<string, Rng>();
	private rng(name: string): Rng {
		let r = this.rngs.get(name);
		if (!r) this.rngs.set(name, (r = Rng.derive(this.seed, `threatFeed:${name}`)));
		return r;
	}

	/** Every indicator of a feed, oldest first: the ground truth tests compare with. */
	indicators(feedType: FeedType): FeedIndicator[] {
		return [...this.list(feedType)];
	}

	/** Adds n indicators (visible at once) with modified times at `at` (default now), or spread before it. */
	add(feedType: FeedType, n: number, opts: ThreatFeedAddOptions = {}): FeedIndicator[] {
		const at = opts.at ?? this.clock.now();
		const times =
			opts.sameTimestamp || n <= 1
				? Array.from({ length: n }, () => at)
				: spreadTimes(this.rng(`${feedType}:add`), n, at - 60 * SECOND, at);
		return times.map((t) => this.put(feedType, t));
	}

	/** Adds `perTick` indicators to each feed type every `everyMs` (real time), until stopGrowth. */
	startGrowth(opts: { everyMs?: number; perTick?: number } = {}): void {
		this.stopGrowth();
		this.growth = setInterval(() => {
			for (const feedType of FEED_TYPES) this.add(feedType, opts.perTick ?? 1);
		}, opts.everyMs ?? 10_000);
		this.growth.unref();
	}

	stopGrowth(): void {
		if (this.growth) clearInterval(this.growth);
		this.growth = undefined;
	}

	/** The STIX indicator object of an indicator, as served. */
	stixIndicator(ind: FeedIndicator): Obj {
		const time = new Date(ind.t).toISOString();
		const quoted = (v: string | null | undefined) =>
			`'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
		const pattern =
			ind.kind === 'url'
				? `[url:value = ${quoted(ind.url)}]`
				: ind.kind === 'md5'
					? `[file:hashes.MD5 = ${quoted(ind.md5)}]`
					: `[file:hashes.'SHA-256' = ${quoted(ind.sha256)}]`;
		return {
			type: 'indicator',
			id: ind.ids.indicator,
			created: time,
			modified: time,
			labels: ['malicious-activity'],
			pattern,
			valid_from: time,
		};
	}

	/** The CSV row of an indicator, as served (the literal `null` for a missing hash). */
	csvRow(ind: FeedIndicator): Record<string, string> {
		return {
			Timestamp: formatMcDate(ind.t),
			SenderAddress: ind.sender,
			FileName: ind.fileName,
			FileSize: String(ind.fileSize),
			SHA256: ind.sha256 ?? 'null',
			MD5: ind.md5 ?? 'null',
			SendingIP: ind.sendingIp,
			FileMimeType: ind.mimeType,
		};
	}

	handle(body: unknown, deps: ThreatFeedDeps): Reply {
		const parsed = this.parseRequest(body, deps.now);
		if ('errors' in parsed) return validationFail(parsed.errors, parsed.item);
		const { feedType, fileType, compress, from, to, sent } = parsed;
		const window = this.list(feedType).filter((i) => i.t >= from && i.t <= to);
		// Newest first, from just after the position in the token.
		const remaining = window
			.filter((i) => !sent || i.t < sent.t || (i.t === sent.t && i.seq < sent.s))
			.reverse();
		const page = remaining.slice(0, this.pageSize);
		if (page.length === 0) {
			return validationFail(
				[
					{
						code: 'err_threat_intel_feed_no_results',
						message: compress ? UNABLE_TO_COMPRESS : NO_RESULTS,
					},
				],
				parsed.item,
			);
		}
		const headers: Record<string, string> = {};
		const last = page[page.length - 1];
		const query: FeedToken['q'] = [feedType, fileType, from, to];
		if (deps.takeFault(['emptyPageWithNext'])) {
			// A page with nothing in it but a token that asks for this same page again.
			headers[NEXT_TOKEN_HEADER] = this.codec.seal({
				q: query,
				t: parsed.sent?.t ?? Number.MAX_SAFE_INTEGER,
				s: parsed.sent?.s ?? Number.MAX_SAFE_INTEGER,
				n: ++this.tokens,
			} satisfies FeedToken);
			return this.render(feedType, fileType, compress, [], headers, deps);
		}
		if (remaining.length > page.length)
			headers[NEXT_TOKEN_HEADER] = this.codec.seal({
				q: query,
				t: last.t,
				s: last.seq,
				n: ++this.tokens,
			} satisfies FeedToken);
		else if (this.endStyle === 'echo') {
			// AZ-TI's reading: the last page repeats the token it was asked with. A single-page
			// answer has none to repeat, so it hands out one that leads to "no results".
			headers[NEXT_TOKEN_HEADER] =
				parsed.rawToken ??
				this.codec.seal({ q: query, t: last.t, s: last.seq, n: ++this.tokens } satisfies FeedToken);
		}
		return this.render(feedType, fileType, compress, page, headers, deps);
	}

	private render(
		feedType: FeedType,
		fileType: string,
		compress: boolean,
		page: FeedIndicator[],
		headers: Record<string, string>,
		deps: ThreatFeedDeps,
	): Reply {
		const name = `${feedType}_${fileType}_${formatFileStamp(deps.now)}.${fileType}`;
		const text = fileType === 'csv' ? this.csv(page) : JSON.stringify(this.bundle(page));
		if (!compress) {
			const type = fileType === 'csv' ? 'text/csv' : 'application/json';
			return {
				status: 200,
				headers: {
					...headers,
					'content-type': type,
					'content-disposition': `attachment; filename="${name}"`,
				},
				body: text,
			};
		}
		const corrupt = deps.takeFault(['zipSlip', 'zipBomb', 'corruptSiemFile']);
		const entry = {
			name: corrupt?.kind === 'zipSlip' ? `../../${name}` : name,
			data: Buffer.from(text, 'utf8'),
			mtime: deps.now,
		};
		const entries =
			corrupt?.kind === 'zipBomb'
				? [{ name, deflated: zipBombEntry(corrupt.bombBytes ?? 1 << 30), mtime: deps.now }]
				: [entry];
		let zip = buildZip(entries);
		if (corrupt?.kind === 'corruptSiemFile') zip = zip.subarray(0, Math.floor(zip.length / 2));
		const zipName = `${feedType}_${fileType}_${formatFileStamp(deps.now)}.zip`;
		return {
			status: 200,
			headers: {
				...headers,
				'content-type': 'application/octet-stream',
				'content-disposition': `attachment; filename="${zipName}"`,
			},
			body: zip,
		};
	}

	private bundle(page: FeedIndicator[]): Obj {
		const objects: Obj[] = [];
		for (const ind of page) {
			const time = new Date(ind.t).toISOString();
			objects.push({
				type: 'malware',
				id: ind.ids.malware,
				created: time,
				modified: time,
				name: ind.subject,
				labels: ['virus'],
			});
			objects.push(this.stixIndicator(ind));
			objects.push({
				type: 'relationship',
				id: ind.ids.relationship,
				created: time,
				modified: time,
				relationship_type: 'indicates',
				source_ref: ind.ids.indicator,
				target_ref: ind.ids.malware,
			});
		}
		return {
			type: 'bundle',
			id: `bundle--${this.rng('bundle').uuid()}`,
			spec_version: '2.0',
			objects,
		};
	}

	private csv(page: FeedIndicator[]): string {
		// Quoted only where needed, as Mimecast's file names with `|` are (AZ-TI's workaround).
		const cell = (v: string) => (/[|"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
		const lines = page.map((ind) => CSV_COLUMNS.map((c) => cell(this.csvRow(ind)[c])).join('|'));
		return `${[CSV_COLUMNS.join('|'), ...lines].join('\r\n')}\r\n`;
	}

	private parseRequest(
		body: unknown,
		now: number,
	):
		| {
				feedType: FeedType;
				fileType: string;
				compress: boolean;
				from: number;
				to: number;
				sent?: { t: number; s: number };
				rawToken?: string;
				item: Obj;
		  }
		| { errors: McError[]; item?: Obj } {
		const b = isObj(body) ? body : {};
		const item = Array.isArray(b.data) && isObj(b.data[0]) ? b.data[0] : undefined;
		if (!item)
			return {
				errors: [
					{ code: CODES.validationNull, message: 'data must hold one request item', field: 'data' },
				],
			};
		const errors: McError[] = [];
		let token: FeedToken | undefined;
		if (item.token !== undefined && item.token !== null && item.token !== '') {
			token = this.codec.open<FeedToken>(item.token);
			if (!token)
				return {
					errors: [{ code: CODES.invalidValue, message: 'The token is not valid', field: 'token' }],
					item,
				};
		}
		const feedType = item.feedType ?? token?.q[0];
		if (!FEED_TYPES.includes(feedType as FeedType))
			errors.push({
				code: CODES.invalidValue,
				message: `feedType must be one of ${FEED_TYPES.join(', ')}`,
				field: 'feedType',
			});
		const fileType = item.fileType ?? token?.q[1] ?? 'stix';
		if (fileType !== 'stix' && fileType !== 'csv')
			errors.push({
				code: CODES.invalidValue,
				message: 'fileType must be stix or csv',
				field: 'fileType',
			});
		if (item.compress !== undefined && typeof item.compress !== 'boolean')
			errors.push({
				code: CODES.invalidValue,
				message: 'compress must be true or false',
				field: 'compress',
			});
		const date = (field: 'start' | 'end', fallback: number): number => {
			const v = item[field];
			if (v === undefined || v === null) return fallback;
			const ms = typeof v === 'string' ? parseMcDate(v) : undefined;
			if (ms === undefined)
				errors.push({
					code: CODES.dateFormat,
					message: `${field} must be an ISO 8601 date time such as 2011-12-03T10:15:30+0000`,
					field,
				});
			return ms ?? fallback;
		};
		// With a token the window is the token's (EL leaves start/end out; NS sends them again).
		const from = date('start', token ? token.q[2] : now - DAY);
		const to = date('end', token ? token.q[3] : now);
		if (errors.length > 0) return { errors, item };
		if (from > to)
			return {
				errors: [{ code: CODES.dateRange, message: 'start must not be after end', field: 'start' }],
				item,
			};
		if (
			token &&
			(token.q[0] !== feedType ||
				token.q[1] !== fileType ||
				token.q[2] !== from ||
				token.q[3] !== to)
		) {
			return {
				errors: [
					{
						code: CODES.invalidValue,
						message: 'The token belongs to a different query',
						field: 'token',
					},
				],
				item,
			};
		}
		return {
			feedType: feedType as FeedType,
			fileType: fileType as string,
			compress: item.compress === true,
			from,
			to,
			sent: token && { t: token.t, s: token.s },
			rawToken: token ? String(item.token) : undefined,
			item,
		};
	}

	private list(feedType: FeedType): FeedIndicator[] {
		const list = this.lists.get(feedType);
		if (!list) throw new Error(`unknown feed type ${feedType}`);
		return list;
	}

	private put(feedType: FeedType, t: number): FeedIndicator {
		const r = this.rng(feedType);
		const [fileName, mimeType] = r.pick(MALICIOUS_FILES);
		// About one file name in eight carries a `|` or quotes, which the CSV must quote.
		const name = r.chance(0.125)
			? fileName.replace('.', r.pick(['|copy.', ' "final".']))
			: fileName;
		const kind = r.weighted([
			['sha256', 8],
			['md5', 1],
			['url', feedType === 'malware_grid' ? 1 : 0],
		] as const);
		const id = () => r.uuid();
		const ind: FeedIndicator = {
			seq: ++this.seq,
			feedType,
			t,
			kind,
			sha256: kind === 'md5' ? null : sha256(r),
			md5: kind === 'sha256' && r.chance(0.3) ? null : r.hex(32),
			fileName: name,
			fileSize: r.int(2_000, 4_000_000),
			mimeType,
			sender: externalSender(r, true),
			sendingIp: publicIp(r),
			subject: r.pick(SUBJECTS),
			ids: {
				indicator: `indicator--${id()}`,
				malware: `malware--${id()}`,
				relationship: `relationship--${id()}`,
			},
		};
		if (kind === 'url')
			ind.url = `http://${r.pick(['n0rthwind.test', 'docu-sign-secure.test'])}/dl/${r.hex(8)}/${encodeURIComponent(fileName)}`;
		const list = this.list(feedType);
		let i = list.length;
		while (i > 0 && (list[i - 1].t > t || (list[i - 1].t === t && list[i - 1].seq > ind.seq))) i--;
		list.splice(i, 0, ind);
		return ind;
	}
}
