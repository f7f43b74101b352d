/**
 * The tenant's data: ground truth for tests and the source every endpoint reads from.
 *
 * Paged logs are kept per kind in ascending (event time, seq) order, so a time window is two
 * binary searches and a page is a slice. Filtered selections are cached per query until the
 * kind changes, which keeps a 100k-record walk at a few ms per 500-record page.
 */
import { DAY, HOUR, MINUTE, SECOND, formatFileStamp, type Clock } from '../clock';
import { Rng } from '../prng';
import type {
	AddOptions,
	BatchFile,
	BatchFileOptions,
	BatchType,
	EmulatorData,
	GrowthKind,
	GrowthOptions,
	LogKind,
	LogRecord,
	SiemFile,
	SiemFileOptions,
	SiemFilePrefix,
} from '../types';
import { AUDIT_CATEGORIES } from './audit';
import { GENERATORS, LOG_KINDS } from './kinds';
import { SIEM_FILE_PREFIXES, SIEM_V1_EVENTS } from './siem-v1-events';
import { BATCH_TYPES, batchEvent, CI_BATCH_TYPES } from './siem-v2-events';
import type { ResolvedTenant } from './tenant';

export { LOG_KINDS } from './kinds';

/** Mimecast keeps SIEM files (1.0 and 2.0) for 7 days. */
export const SIEM_RETENTION_MS = 7 * DAY;

export interface StoredRecord {
	seq: number;
	/** Event time, epoch ms, whole seconds. */
	t: number;
	rec: LogRecord;
	/** Serialized once, on first use: pages are built by joining these. */
	json?: string;
	/** Stored as given (AddOptions.raw), not generated. */
	raw?: boolean;
}

/** Text written as is by stringifyDeep. */
class Literal {
	constructor(readonly text: string) {}
}

/**
 * JSON.stringify without recursion: raw test records may be nested deeper than the call stack
 * lets JSON.stringify go (about 4,000 levels).
 */
function stringifyDeep(value: unknown): string {
	const out: string[] = [];
	const todo: unknown[] = [value];
	while (todo.length > 0) {
		const next = todo.pop();
		if (next instanceof Literal) out.push(next.text);
		else if (next === null || typeof next !== 'object') out.push(JSON.stringify(next) ?? 'null');
		else {
			const array = Array.isArray(next);
			const entries = array
				? next.map((v, i) => [String(i), v] as const)
				: Object.entries(next).filter(([, v]) => v !== undefined);
			out.push(array ? '[' : '{');
			todo.push(new Literal(array ? ']' : '}'));
			for (let i = entries.length - 1; i >= 0; i--) {
				todo.push(entries[i][1]);
				if (!array) todo.push(new Literal(`${JSON.stringify(entries[i][0])}:`));
				if (i > 0) todo.push(new Literal(','));
			}
		}
	}
	return out.join('');
}

export function recordJson(entry: StoredRecord): string {
	return (entry.json ??= JSON.stringify(entry.rec));
}

const floorSecond = (ms: number): number => ms - (((ms % SECOND) + SECOND) % SECOND);

const before = (a: StoredRecord, t: number, seq: number): boolean =>
	a.t < t || (a.t === t && a.seq < seq);

/** First index whose key is >= (t, seq). */
export function lowerBound(list: readonly StoredRecord[], t: number, seq: number): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (before(list[mid], t, seq)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

interface Selection {
	version: number;
	entries: StoredRecord[];
}

class LogTable {
	readonly entries: StoredRecord[] = [];
	version = 0;
	private readonly cache = new Map<string, Selection>();

	insert(entry: StoredRecord): void {
		const last = this.entries[this.entries.length - 1];
		if (!last || !before(entry, last.t, last.seq)) this.entries.push(entry);
		else this.entries.splice(lowerBound(this.entries, entry.t, entry.seq), 0, entry);
		this.version++;
	}

	/** Records with from <= t <= to (both inclusive) passing `keep`, ascending; cached per key. */
	select(
		key: string,
		from: number,
		to: number,
		keep: ((rec: LogRecord) => boolean) | null,
	): StoredRecord[] {
		const hit = this.cache.get(key);
		if (hit && hit.version === this.version) return hit.entries;
		const lo = lowerBound(this.entries, from, -Infinity);
		const hi = lowerBound(this.entries, to + 1, -Infinity);
		const window = this.entries.slice(lo, hi);
		// Raw records (AddOptions.raw) pass every filter: they are there to be seen.
		const entries = keep ? window.filter((e) => e.raw || keep(e.rec)) : window;
		if (this.cache.size >= 32) this.cache.delete(this.cache.keys().next().value as string);
		this.cache.set(key, { version: this.version, entries });
		return entries;
	}
}

export class DataStore implements EmulatorData {
	private readonly tables = new Map<LogKind, LogTable>();
	// A Map, not a WeakMap: records live as long as the store, and large WeakMaps cost a lot of GC.
	private readonly ids = new Map<LogRecord, number>();
	private readonly rngs = new Map<string, Rng>();
	private seq = 0;
	/** Contents of the records of each (kind, second), to keep them distinct. */
	private readonly secondContents = new Map<string, Set<string>>();

	private readonly siem: SiemFile[] = [];
	private siemTypeCursor = 0;
	private nextSiemId = 510_644_951;

	private readonly batches = new Map<BatchType, BatchFile[]>();
	private readonly batchOffsets = new Map<BatchType, number>();
	private batchTypeCursor = 0;
	private batchSeq = 0;

	private growth: NodeJS.Timeout | undefined;

	constructor(
		private readonly seed: number,
		private readonly clock: Clock,
		private readonly tenant: ResolvedTenant,
	) {
		for (const kind of LOG_KINDS) this.tables.set(kind, new LogTable());
		for (const type of [...BATCH_TYPES, ...CI_BATCH_TYPES]) {
			this.batches.set(type, []);
			this.batchOffsets.set(type, 70_000);
		}
		this.seedTenant();
	}

	private rng(name: string): Rng {
		let r = this.rngs.get(name);
		if (!r) this.rngs.set(name, (r = Rng.derive(this.seed, name)));
		return r;
	}

	// ---- paged logs -------------------------------------------------------------------------

	table(kind: LogKind): LogTable {
		const t = this.tables.get(kind);
		if (!t) throw new Error(`unknown log kind ${kind}`);
		return t;
	}

	/** Used by the paged endpoint: cached, filtered, ascending. */
	select(
		kind: LogKind,
		key: string,
		from: number,
		to: number,
		keep: ((rec: LogRecord) => boolean) | null,
	): StoredRecord[] {
		return this.table(kind).select(key, from, to, keep);
	}

	records(kind: LogKind): LogRecord[] {
		return this.table(kind).entries.map((e) => e.rec);
	}

	idOf(record: LogRecord): number | undefined {
		return this.ids.get(record);
	}

	categories(): Array<{ code: string; name: string }> {
		return AUDIT_CATEGORIES.map((c) => ({ ...c }));
	}

	private put(kind: LogKind, t: number, malicious: boolean | undefined): LogRecord {
		const rec = this.distinctRecord(kind, t, malicious);
		const entry: StoredRecord = { seq: ++this.seq, t, rec };
		this.ids.set(rec, entry.seq);
		this.table(kind).insert(entry);
		return rec;
	}

	/**
	 * Records of one second are kept distinct: logs without an id (archive search, view logs)
	 * can hold byte-identical records, which no reader can tell apart and a trigger rightly
	 * emits once; tests count records, so the emulator draws again (a few times at most).
	 */
	private distinctRecord(kind: LogKind, t: number, malicious: boolean | undefined): LogRecord {
		const key = `${kind}:${t}`;
		const seen = this.secondContents.get(key) ?? new Set<string>();
		this.secondContents.set(key, seen);
		let rec = GENERATORS[kind].generate(this.rng(kind), { at: t, malicious });
		for (let tries = 0; tries < 8 && seen.has(JSON.stringify(rec)); tries++) {
			rec = GENERATORS[kind].generate(this.rng(kind), { at: t, malicious });
		}
		seen.add(JSON.stringify(rec));
		return rec;
	}

	private putRaw(kind: LogKind, t: number, rec: LogRecord): LogRecord {
		this.table(kind).insert({ seq: ++this.seq, t, rec, json: stringifyDeep(rec), raw: true });
		return rec;
	}

	add(kind: LogKind, n: number, opts: AddOptions = {}): LogRecord[] {
		const base = floorSecond((opts.at ?? this.clock.now()) - (opts.lateByMs ?? 0));
		let times: number[];
		if (opts.sameTimestamp || opts.lateByMs !== undefined || n <= 1) {
			times = Array.from({ length: n }, () => base);
		} else {
			// Spread over the gap since the newest record so an add never lands behind data a
			// reader may already have seen (that is what lateByMs is for).
			const entries = this.table(kind).entries;
			const newest = entries.length ? entries[entries.length - 1].t : base - n * SECOND;
			const start = Math.min(Math.max(newest, base - 60 * SECOND), base);
			times = spreadTimes(this.rng(`${kind}:time`), n, start, base);
		}
		if ('raw' in opts) return times.map((t) => this.putRaw(kind, t, opts.raw as LogRecord));
		return times.map((t) => this.put(kind, t, opts.malicious));
	}

	// ---- SIEM API 1.0 files -----------------------------------------------------------------

	/** First index still within retention. */
	private firstHeldSiem(): number {
		const cutoff = this.clock.now() - SIEM_RETENTION_MS;
		let i = 0;
		while (i < this.siem.length && this.siem[i].createTime < cutoff) i++;
		return i;
	}

	/** Files held now, in chain order: what `get-siem-logs` walks. */
	heldSiemFiles(): readonly SiemFile[] {
		const first = this.firstHeldSiem();
		return first === 0 ? this.siem : this.siem.slice(first);
	}

	siemFiles(): SiemFile[] {
		return [...this.heldSiemFiles()];
	}

	siemEvents(): LogRecord[] {
		return this.heldSiemFiles().flatMap((f) => f.events);
	}

	private makeSiemFile(filePrefix: SiemFilePrefix, createTime: number, events: number): SiemFile {
		const id = this.nextSiemId++;
		const file = {
			id,
			name: `${filePrefix}_${formatFileStamp(createTime)}`,
			filePrefix,
			createTime,
		} as SiemFile;
		// Events are generated on first read, from a stream of their own: startup stays fast with
		// thousands of files, and the content does not depend on which files were read first.
		lazy(file, 'events', () => {
			const rng = Rng.derive(this.seed, `siem:${id}`);
			// A file holds what one server wrote in the half hour before it was published.
			const times = spreadTimes(rng, events, createTime - 30 * MINUTE, createTime - SECOND);
			return times.map((t) => SIEM_V1_EVENTS[filePrefix](rng, t));
		});
		this.siem.push(file);
		return file;
	}

	addSiemFiles(n: number, opts: SiemFileOptions = {}): SiemFile[] {
		const out: SiemFile[] = [];
		for (let i = 0; i < n; i++) {
			const last = this.siem[this.siem.length - 1];
			// Chain order is publication order: a new file never lands before one already served.
			const createTime = Math.max(opts.at ?? this.clock.now(), last ? last.createTime + 1 : 0);
			const filePrefix =
				opts.filePrefix ?? SIEM_FILE_PREFIXES[this.siemTypeCursor++ % SIEM_FILE_PREFIXES.length];
			out.push(
				this.makeSiemFile(filePrefix, createTime, opts.events ?? this.tenant.siemEventsPerFile),
			);
		}
		return out;
	}

	// ---- SIEM API 2.0 batch files -----------------------------------------------------------

	private batchList(type: BatchType): BatchFile[] {
		const list = this.batches.get(type);
		if (!list) throw new Error(`unknown batch type ${type}`);
		return list;
	}

	/** Held files of a type, oldest first. */
	heldBatchFiles(type: BatchType): readonly BatchFile[] {
		const cutoff = this.clock.now() - SIEM_RETENTION_MS;
		return this.batchList(type).filter((f) => f.createTime >= cutoff);
	}

	findBatchFile(id: string): BatchFile | undefined {
		for (const list of this.batches.values()) {
			const f = list.find((b) => b.id === id);
			if (f) return f;
		}
		return undefined;
	}

	batchFiles(type?: BatchType): BatchFile[] {
		const types = type ? [type] : BATCH_TYPES;
		return types
			.flatMap((t) => this.heldBatchFiles(t))
			.sort((a, b) => a.createTime - b.createTime || (a.id < b.id ? -1 : 1));
	}

	batchEvents(type?: BatchType): LogRecord[] {
		return this.batchFiles(type).flatMap((f) => f.events);
	}

	private makeBatchFile(type: BatchType, createTime: number, events: number): BatchFile {
		const seq = ++this.batchSeq;
		const firstOffset = this.batchOffsets.get(type) ?? 0;
		this.batchOffsets.set(type, firstOffset + events);
		const file = {
			id: `${type.replace(/ /g, '-')}-${String(seq).padStart(6, '0')}-${this.rng('batch:ids').hex(8)}`,
			type,
			createTime,
		} as BatchFile;
		lazy(file, 'events', () => {
			const rng = Rng.derive(this.seed, `batch:${seq}`);
			const times = spreadTimes(rng, events, createTime - 15 * MINUTE, createTime - 1, 1);
			return times.map((t, i) => batchEvent(rng, type, t, firstOffset + i));
		});
		this.batchList(type).push(file);
		return file;
	}

	addBatchFiles(type: BatchType, n: number, opts: BatchFileOptions = {}): BatchFile[] {
		const out: BatchFile[] = [];
		for (let i = 0; i < n; i++) {
			const list = this.batchList(type);
			const last = list[list.length - 1];
			const createTime = Math.max(opts.at ?? this.clock.now(), last ? last.createTime + 1 : 0);
			out.push(this.makeBatchFile(type, createTime, opts.events ?? this.tenant.batchEventsPerFile));
		}
		return out;
	}

	// ---- growth -----------------------------------------------------------------------------

	startGrowth(opts: GrowthOptions = {}): void {
		this.stopGrowth();
		const kinds: GrowthKind[] = opts.kinds ?? [...LOG_KINDS];
		const perTick = opts.perTick ?? 3;
		this.growth = setInterval(() => {
			for (const kind of kinds) {
				if (kind === 'siemFiles') this.addSiemFiles(1);
				else if (kind === 'batchFiles')
					this.addBatchFiles(BATCH_TYPES[this.batchTypeCursor++ % BATCH_TYPES.length], 1);
				else if (kind === 'ciBatchFiles')
					this.addBatchFiles(CI_BATCH_TYPES[this.batchTypeCursor++ % CI_BATCH_TYPES.length], 1);
				else this.add(kind, perTick);
			}
		}, opts.everyMs ?? 2000);
		this.growth.unref();
	}

	stopGrowth(): void {
		if (this.growth) clearInterval(this.growth);
		this.growth = undefined;
	}

	// ---- seeding ----------------------------------------------------------------------------

	private seedTenant(): void {
		const now = this.clock.now();
		const t = this.tenant;
		const start = now - t.days * DAY;
		for (const kind of LOG_KINDS) {
			const n = t[kind];
			for (const at of spreadTimes(this.rng(`${kind}:time`), n, start, now))
				this.put(kind, at, undefined);
		}
		// Files are published at a steady pace across the held window (never older than retention).
		const fileSpan = Math.min(t.days * DAY, SIEM_RETENTION_MS - HOUR);
		const jitter = this.rng('siem:schedule');
		for (let i = 0; i < t.siemFiles; i++) {
			const at =
				now - fileSpan + Math.floor(((i + 1) * fileSpan) / t.siemFiles) - jitter.int(0, 60_000);
			this.addSiemFiles(1, { at: Math.min(at, now) });
		}
		// Cloud Integrated types come last, so the gateway's seeded files stay as they were.
		for (const type of [...BATCH_TYPES, ...CI_BATCH_TYPES]) {
			for (let i = 0; i < t.batchFilesPerType; i++) {
				const at =
					now -
					fileSpan +
					Math.floor(((i + 1) * fileSpan) / t.batchFilesPerType) -
					jitter.int(0, 60_000);
				this.addBatchFiles(type, 1, { at: Math.min(at, now) });
			}
		}
	}
}

/** Defines `obj[key]` as computed on first read, then a plain value. */
function lazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
	Object.defineProperty(obj, key, {
		configurable: true,
		enumerable: true,
		get(): T[K] {
			const value = compute();
			Object.defineProperty(obj, key, {
				value,
				enumerable: true,
				writable: false,
				configurable: false,
			});
			return value;
		},
	});
}

/**
 * n sorted times in [start, end], rounded to `resolution` ms. About a quarter repeat the
 * previous value: Mimecast dates have second resolution and bursts share a second, which is
 * exactly where cursor-based readers lose or duplicate records.
 */
export function spreadTimes(
	rng: Rng,
	n: number,
	start: number,
	end: number,
	resolution = SECOND,
): number[] {
	const out: number[] = [];
	const round = (ms: number): number => ms - (((ms % resolution) + resolution) % resolution);
	const lo = Math.ceil(start / resolution) * resolution;
	const hi = round(end);
	for (let i = 0; i < n; i++) {
		if (i > 0 && rng.chance(0.25)) out.push(out[i - 1]);
		else out.push(hi <= lo ? hi : round(lo + rng.float() * (hi - lo + resolution - 1)));
	}
	return out.sort((a, b) => a - b);
}
