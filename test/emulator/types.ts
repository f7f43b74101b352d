/** The emulator's public types. Other suites code against these; keep them stable. */
import type { ActionState } from './actions/state';
import type { ThreatFeed } from './threat-feed';

export type LogKind =
	| 'auditEvents'
	| 'viewLogs'
	| 'ttpUrl'
	| 'ttpAttachment'
	| 'ttpImpersonation'
	| 'dlpLogs'
	| 'archiveSearchLogs'
	| 'releaseLogs';

/** SIEM API 1.0 file-name prefixes (`delivery_20160705162902600.log`). */
export type SiemFilePrefix =
	| 'receipt'
	| 'process'
	| 'delivery'
	| 'av'
	| 'spameventthread'
	| 'internal'
	| 'impersonation'
	| 'ttp_url'
	| 'ttp_ap'
	| 'jrnl';

/**
 * SIEM API 2.0 batch event types: `/siem/v1/batch/events/cg?type=…` (gateway) and the last
 * three, `/siem/v1/batch/events/ci?type=…` (Cloud Integrated).
 */
export type BatchType =
	| 'entities'
	| 'mailflow'
	| 'urlclick'
	| 'receipt'
	| 'process'
	| 'delivery'
	| 'av'
	| 'spam'
	| 'internal email protect'
	| 'impersonation protect'
	| 'url protect'
	| 'attachment protect'
	| 'journal';

export type LogRecord = Record<string, unknown>;

/** Seeded records per paged log kind (default 0), and the SIEM files. */
export interface TenantCounts extends Partial<Record<LogKind, number>> {
	/** API 1.0 SIEM files (all log types together). */
	siemFiles?: number;
	siemEventsPerFile?: number;
	/** Extension: API 2.0 batch files per type (default: siemFiles / 10, at least 1 when siemFiles > 0). */
	batchFilesPerType?: number;
	/** Extension: events per API 2.0 batch file (default: siemEventsPerFile). */
	batchEventsPerFile?: number;
	/** Records are spread over the last `days` days (default 2). */
	days?: number;
}

export interface EmulatorOptions {
	port?: number;
	seed?: number;
	now?: () => number;
	tenant?: 'small' | 'realistic' | 'empty' | TenantCounts;
	region?: string;
	tokenTtlSeconds?: number;
	fileUrlTtlMs?: number;
	rateLimit?: { limit: number; windowMs: number };
	logRequests?: boolean;
	/**
	 * Mimecast's recorded end of walk on the DLP, archive search and release logs: the last page
	 * still carries `next`, and that token answers an empty page carrying it again. Off by
	 * default (suites count requests per walk); paged-actions runs those endpoints with it on.
	 */
	emptyLastPage?: boolean;
	/**
	 * Network latency: each response waits `ms`, plus a seeded uniform 0..`jitterMs` (a number
	 * means a fixed delay). Applied to every response, faults included.
	 */
	latency?: number | { ms: number; jitterMs?: number };
	/** HTTPS with a self-signed certificate made at start (`emu.ca`); base URL `https://…`. */
	tls?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** The path as received (with a region prefix if one was used), without the query. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	api: 'v1' | 'v2' | 'oauth' | 'file' | 'other';
	/** HTTP status sent; 0 when the socket was destroyed before any status ('reset'). */
	status: number;
	fault?: string;
	at: number;
	/** Milliseconds the emulator waited before handling it (options.latency); absent when none. */
	latencyMs?: number;
	/**
	 * Requests of its `api` family being handled when it arrived, itself included: the peak
	 * over a run is the most the client had in flight at once (e.g. SIEM 2.0 file downloads).
	 */
	inFlight: number;
}

export type FaultKind =
	| '429'
	| '500'
	| '502'
	| '503'
	| 'reset'
	| 'slow'
	| 'failOn200'
	| 'truncated'
	| '418'
	| '401'
	| '403'
	| 'invalidSignature'
	| 'corruptSiemFile'
	| 'expiredFileUrl'
	/** SIEM 1.0 compress=true: zip entries named `../../<file>` (path traversal). */
	| 'zipSlip'
	/** SIEM 1.0 compress=true: one highly compressible entry of `bombBytes` (default 1 GiB). */
	| 'zipBomb'
	/** Paged JSON endpoints: HTTP 200, no records, but `meta.pagination.next` set (seen in the wild). */
	| 'emptyPageWithNext'
	/** Paged JSON endpoints: HTTP 200 whose records are not where Mimecast puts them (`shape`). */
	| 'badPageShape'
	/** Paged JSON endpoints: the page as usual, but always a fresh `next` that asks for it again. */
	| 'freshNextForever'
	/** Any endpoint: the handler runs (a write is applied), then the socket is destroyed unanswered. */
	| 'resetAfterApplying';

/** What a 'badPageShape' answer gets wrong. */
export type PageShapeFault = 'noData' | 'dataNotArray' | 'noRecordsKey' | 'recordsKeyNotArray';

export interface FaultSpec {
	kind: FaultKind;
	path?: string | RegExp;
	times?: number;
	resetMs?: number;
	delayMs?: number;
	code?: string;
	message?: string;
	/** zipBomb only: uncompressed size of the bomb entry in bytes (default 1 GiB). */
	bombBytes?: number;
	/** badPageShape only (default 'noData'). The records-key shapes apply to TTP endpoints only. */
	shape?: PageShapeFault;
}

export interface RandomFaults {
	rate: number;
	kinds: FaultKind[];
	path?: string | RegExp;
	resetMs?: number;
	delayMs?: number;
}

export interface FaultController {
	inject(spec: FaultSpec): void;
	random(opts: RandomFaults | null): void;
	counts(): Record<string, number>;
	clear(): void;
}

export interface AddOptions {
	/** Event time in epoch ms (default: now). Rounded down to the second, like Mimecast's dates. */
	at?: number;
	/** All n records get exactly the same second. */
	sameTimestamp?: boolean;
	/** Late arrival: event time `at - lateByMs`, i.e. behind records already served. */
	lateByMs?: number;
	/** TTP kinds only: malicious click / attachment / tagged-malicious impersonation. */
	malicious?: boolean;
	/**
	 * Stored and served as is instead of a generated record, still indexed at `at`: bad data
	 * (null, a string, a record nested thousands deep, a time field that says the future).
	 */
	raw?: unknown;
}

export interface SiemFile {
	/** `siemlogid` in the 1.0 token. */
	id: number;
	/** File-name stem, e.g. `delivery_20160705162902600`; served as `.log` (key_value) or `.json`. */
	name: string;
	filePrefix: SiemFilePrefix;
	createTime: number;
	events: LogRecord[];
}

export interface BatchFile {
	id: string;
	type: BatchType;
	createTime: number;
	events: LogRecord[];
}

export interface SiemFileOptions {
	filePrefix?: SiemFilePrefix;
	events?: number;
	/** createTime (default now); files never go backwards in the chain. */
	at?: number;
}

export interface BatchFileOptions {
	events?: number;
	at?: number;
}

export type GrowthKind = LogKind | 'siemFiles' | 'batchFiles' | 'ciBatchFiles';

export interface GrowthOptions {
	everyMs?: number;
	perTick?: number;
	kinds?: GrowthKind[];
}

export interface EmulatorData {
	/** Every record of a kind, exactly as the API serves it, in ascending event time. */
	records(kind: LogKind): LogRecord[];
	/** Appends generated records (visible to the API at once) and returns them. */
	add(kind: LogKind, n: number, opts?: AddOptions): LogRecord[];
	/** The emulator's stable id for a record (API payloads only carry the ids Mimecast has). */
	idOf(record: LogRecord): number | undefined;
	/** The audit categories served by `/api/audit/get-categories`. */
	categories(): Array<{ code: string; name: string }>;
	/** API 1.0 SIEM files still held (7-day retention), in chain order. */
	siemFiles(): SiemFile[];
	addSiemFiles(n: number, opts?: SiemFileOptions): SiemFile[];
	/** Events of `siemFiles()`, flattened in chain order. */
	siemEvents(): LogRecord[];
	/** API 2.0 batch files still held, oldest first. */
	batchFiles(type?: BatchType): BatchFile[];
	batchEvents(type?: BatchType): LogRecord[];
	addBatchFiles(type: BatchType, n: number, opts?: BatchFileOptions): BatchFile[];
	startGrowth(opts?: GrowthOptions): void;
	stopGrowth(): void;
}

export interface Emulator {
	baseUrl: string;
	regionBaseUrl(region: string): string;
	keys: {
		v1: { appId: string; appKey: string; accessKey: string; secretKey: string };
		v2: { clientId: string; clientSecret: string };
	};
	requests: RecordedRequest[];
	clearRequests(): void;
	faults: FaultController;
	data: EmulatorData;
	/** The threat intel feed's indicators, end style and page size (threat-feed.ts). */
	threatFeed: ThreatFeed;
	/** Tenant state the response actions change (managed senders, held messages, …). */
	actions: ActionState;
	setClock(now: () => number): void;
	/** With `tls`: the certificate (PEM) a client passes as `ca` to trust this emulator only. */
	ca?: string;
	close(): Promise<void>;
}
