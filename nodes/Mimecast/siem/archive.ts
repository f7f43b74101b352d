import { Gunzip } from '../vendor/fflate';

import { SiemFileError, describeFile } from './errors';

/**
 * Limits on decompressed bytes. Declared sizes in zip and gzip headers are only hints: a zip
 * bomb can declare anything, so the limits are enforced on the bytes actually inflated.
 */
export interface Caps {
	/** Largest decompressed size of one file. */
	maxFileBytes: number;
	/** Largest decompressed size of everything one call returns (all entries of a zip). */
	maxTotalBytes: number;
}

export interface LogFileEntry {
	name: string;
	data: Uint8Array;
}

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

function crc32Update(crc: number, data: Uint8Array): number {
	let c = ~crc;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}

/**
 * Deflate expands at most about 1032:1, so pushing at most budget/1032 compressed bytes at a
 * time keeps what fflate allocates in one step near the remaining budget, whatever the input
 * declares.
 */
const MAX_EXPANSION = 1032;

function inputChunkSize(budget: number): number {
	return Math.max(512, Math.min(65536, Math.floor(budget / MAX_EXPANSION)));
}

function formatBytes(n: number): string {
	if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
	return `${n} bytes`;
}

/** Budget shared by the files of one call. */
class Budget {
	used = 0;
	constructor(readonly caps: Caps) {}

	/** How many more bytes the current file may have after `fileBytes` so far. */
	remaining(fileBytes: number): number {
		return Math.min(this.caps.maxFileBytes - fileBytes, this.caps.maxTotalBytes - this.used);
	}

	check(fileName: string | undefined, fileBytes: number): void {
		if (fileBytes > this.caps.maxFileBytes) {
			throw new SiemFileError(
				'tooLarge',
				`${describeFile(fileName)} decompresses to more than the per-file limit of ${formatBytes(this.caps.maxFileBytes)}`,
				{ fileName },
			);
		}
		if (this.used + fileBytes > this.caps.maxTotalBytes) {
			throw new SiemFileError(
				'tooLarge',
				`${describeFile(fileName)} takes the decompressed total past the limit of ${formatBytes(this.caps.maxTotalBytes)} per call`,
				{ fileName },
			);
		}
	}
}

/** Collects inflated chunks, checking the budget before anything is copied. */
class Sink {
	private buf: Uint8Array;
	length = 0;
	/** CRC-32 of the bytes pushed since it was last set to 0. */
	crc = 0;

	/** The declared size is a hint only, bounded by what the input could expand to. */
	constructor(
		private readonly budget: Budget,
		private readonly fileName: string | undefined,
		declaredSize: number,
		compressedSize: number,
	) {
		const hint = Math.min(declaredSize, compressedSize * MAX_EXPANSION, budget.remaining(0));
		this.buf = new Uint8Array(hint > 0 ? hint : 0);
	}

	/** Appends a decompressed chunk, within the caps, and updates the CRC-32 to check. */
	push(chunk: Uint8Array): void {
		this.pushUnchecked(chunk);
		this.crc = crc32Update(this.crc, chunk);
	}

	/** push() without the JS CRC-32, for when zlib checks it. */
	pushUnchecked(chunk: Uint8Array): void {
		if (chunk.length === 0) return;
		const next = this.length + chunk.length;
		this.budget.check(this.fileName, next);
		if (next > this.buf.length) {
			const grown = new Uint8Array(
				Math.min(Math.max(this.buf.length * 2, next, 65536), this.budget.remaining(0)),
			);
			grown.set(this.buf.subarray(0, this.length));
			this.buf = grown;
		}
		this.buf.set(chunk, this.length);
		this.length = next;
	}

	result(): Uint8Array {
		// Give back spare capacity unless it is small.
		if (this.buf.length - this.length > this.length / 8) return this.buf.slice(0, this.length);
		return this.buf.subarray(0, this.length);
	}
}

function corruptZip(message: string, fileName?: string, cause?: unknown): SiemFileError {
	return new SiemFileError('corruptZip', message, { fileName, cause });
}

function u16(d: Uint8Array, p: number): number {
	return d[p] | (d[p + 1] << 8);
}

function u32(d: Uint8Array, p: number): number {
	return (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0;
}

function u64(d: Uint8Array, p: number): number {
	return u32(d, p) + u32(d, p + 4) * 0x100000000;
}

interface ZipEntry {
	name: string;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

const latin1 = (bytes: Uint8Array): string => {
	let s = '';
	for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
	return s;
};
const utf8Decoder = new TextDecoder('utf-8');

/**
 * Entry names that carry a directory, a drive or a parent reference. The bytes are never
 * written to disk here, but the name travels on (file names, log types, binary data in n8n),
 * and Mimecast's files are flat: such a name means the archive is not what it should be.
 */
export function isUnsafeEntryName(name: string): boolean {
	if (name.length === 0 || name === '.' || name === '..') return true;
	for (let i = 0; i < name.length; i++) {
		const c = name.charCodeAt(i);
		if (c === 47 /* / */ || c === 92 /* \ */ || c === 58 /* : */ || c < 32 || c === 127)
			return true;
	}
	return false;
}

// Long: one pass over the central directory, each record's bounds and caps checked where it is read; split, the checks would drift from the offsets they guard.
function readCentralDirectory(zip: Uint8Array, caps: Caps): ZipEntry[] {
	const len = zip.length;
	if (len < 22 || (u32(zip, 0) !== 0x04034b50 && u32(zip, 0) !== 0x06054b50)) {
		throw corruptZip(
			`the SIEM response is not a zip file (${len} bytes, no zip signature at the start)`,
		);
	}
	let eocd = -1;
	for (let i = len - 22, stop = Math.max(0, len - 22 - 65535); i >= stop; i--) {
		if (u32(zip, i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd === -1)
		throw corruptZip(
			`the SIEM zip has no end-of-archive record (${len} bytes); it is truncated or corrupt`,
		);
	let count = u16(zip, eocd + 10);
	let cdOffset = u32(zip, eocd + 16);
	if (u16(zip, eocd + 4) !== 0 || u16(zip, eocd + 6) !== 0)
		throw corruptZip('the SIEM zip spans several disks, which is not supported');
	if (count === 0xffff || cdOffset === 0xffffffff) {
		const locator = eocd - 20;
		if (locator >= 0 && u32(zip, locator) === 0x07064b50) {
			const z64 = u64(zip, locator + 8);
			if (z64 + 56 > len || u32(zip, z64) !== 0x06064b50)
				throw corruptZip('the SIEM zip has a broken ZIP64 end record');
			count = u64(zip, z64 + 32);
			cdOffset = u64(zip, z64 + 48);
		}
	}
	const entries: ZipEntry[] = [];
	let declaredTotal = 0;
	let p = cdOffset;
	for (let n = 0; n < count; n++) {
		if (p + 46 > len || u32(zip, p) !== 0x02014b50)
			throw corruptZip('the SIEM zip has a broken central directory');
		const flags = u16(zip, p + 8);
		const method = u16(zip, p + 10);
		const crc = u32(zip, p + 16);
		let compressedSize = u32(zip, p + 20);
		let size = u32(zip, p + 24);
		const nameLength = u16(zip, p + 28);
		const extraLength = u16(zip, p + 30);
		const commentLength = u16(zip, p + 32);
		const externalAttributes = u32(zip, p + 38);
		let localOffset = u32(zip, p + 42);
		const nameStart = p + 46;
		if (nameStart + nameLength + extraLength > len)
			throw corruptZip('the SIEM zip has a broken central directory');
		const nameBytes = zip.subarray(nameStart, nameStart + nameLength);
		const name = flags & 0x800 ? utf8Decoder.decode(nameBytes) : latin1(nameBytes);
		// ZIP64 extra field: 64-bit sizes/offset for the fields set to 0xffffffff, in this order.
		let e = nameStart + nameLength;
		const extraEnd = e + extraLength;
		while (e + 4 <= extraEnd) {
			const id = u16(zip, e);
			const size64 = u16(zip, e + 2);
			if (id === 0x0001) {
				let q = e + 4;
				if (size === 0xffffffff && q + 8 <= e + 4 + size64) {
					size = u64(zip, q);
					q += 8;
				}
				if (compressedSize === 0xffffffff && q + 8 <= e + 4 + size64) {
					compressedSize = u64(zip, q);
					q += 8;
				}
				if (localOffset === 0xffffffff && q + 8 <= e + 4 + size64) localOffset = u64(zip, q);
			}
			e += 4 + size64;
		}
		p = extraEnd + commentLength;

		const isDirectory =
			name.endsWith('/') ||
			name.endsWith('\\') ||
			((externalAttributes & 0x10) !== 0 && size === 0);
		if (isDirectory) continue;
		if (isUnsafeEntryName(name)) {
			throw new SiemFileError(
				'unsafeEntryName',
				`the SIEM zip holds an entry named ${JSON.stringify(name)}, which has a path in it; the zip was refused`,
				{ fileName: name },
			);
		}
		if (flags & 0x1) throw corruptZip(`SIEM zip entry ${JSON.stringify(name)} is encrypted`, name);
		if (method !== 0 && method !== 8) {
			throw corruptZip(
				`SIEM zip entry ${JSON.stringify(name)} uses compression method ${method}, which is not supported`,
				name,
			);
		}
		if (size > caps.maxFileBytes) {
			throw new SiemFileError(
				'tooLarge',
				`${describeFile(name)} declares ${size} bytes decompressed, over the per-file limit of ${formatBytes(caps.maxFileBytes)}`,
				{ fileName: name },
			);
		}
		declaredTotal += size;
		if (declaredTotal > caps.maxTotalBytes) {
			throw new SiemFileError(
				'tooLarge',
				`the SIEM zip declares more than the limit of ${formatBytes(caps.maxTotalBytes)} decompressed per call (at entry ${JSON.stringify(name)})`,
				{ fileName: name },
			);
		}
		entries.push({ name, method, crc, compressedSize, size, localOffset });
	}
	return entries;
}

/** A stored (method 0) entry: copied within the caps, its CRC-32 and size checked. */
function storedEntry(
	zip: Uint8Array,
	entry: ZipEntry,
	start: number,
	end: number,
	budget: Budget,
): Uint8Array {
	const { name } = entry;
	const sink = new Sink(budget, name, entry.size, entry.compressedSize);
	sink.push(zip.subarray(start, end));
	if (sink.length !== entry.size || sink.crc !== entry.crc) {
		throw corruptZip(
			`SIEM zip entry ${JSON.stringify(name)} is corrupt (size or checksum does not match)`,
			name,
		);
	}
	budget.used += sink.length;
	return sink.result();
}

/** Where an entry's compressed bytes are, from its local header; corruptZip if they are not there. */
function entryData(zip: Uint8Array, entry: ZipEntry): { start: number; end: number } {
	const { name } = entry;
	const h = entry.localOffset;
	if (h + 30 > zip.length || u32(zip, h) !== 0x04034b50)
		throw corruptZip(`SIEM zip entry ${JSON.stringify(name)} has no local header`, name);
	const start = h + 30 + u16(zip, h + 26) + u16(zip, h + 28);
	const end = start + entry.compressedSize;
	if (end > zip.length)
		throw corruptZip(
			`SIEM zip entry ${JSON.stringify(name)} is cut short; the zip is truncated`,
			name,
		);
	return { start, end };
}

/** Raw deflate data becomes a gzip member with this header and gzipTrailer: zlib checks both. */
const GZIP_HEADER: Readonly<Uint8Array> = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);

function gzipTrailer(crc: number, size: number): Uint8Array {
	const trailer = new Uint8Array(8);
	const dv = new DataView(trailer.buffer);
	dv.setUint32(0, crc, true);
	dv.setUint32(4, size % 0x100000000, true);
	return trailer;
}

/**
 * 16 bytes that follow every entry in a ZipStream, as a gzip member of their own (one stored
 * deflate block). zlib gives them out only after the entry's member has ended with its CRC-32
 * and size verified, so finding them right after the entry's declared size proves the entry
 * whole. 0xfe and 0xff never occur in UTF-8: log text that runs past a size declared too small
 * cannot look like them (other bytes by chance: 2^-128).
 */
const MARK: Readonly<Uint8Array> = new Uint8Array([
	0xfe, 0xff, 0x00, 0x6e, 0x38, 0x6e, 0xfe, 0xff, 0x4d, 0x43, 0x00, 0xff, 0xfe, 0x5a, 0x01, 0xff,
]);
const MARK_MEMBER: Readonly<Uint8Array> = (() => {
	const stored = new Uint8Array([1, MARK.length, 0, ~MARK.length & 0xff, 0xff]);
	const trailer = gzipTrailer(crc32Update(0, MARK as Uint8Array), MARK.length);
	const member = new Uint8Array(GZIP_HEADER.length + stored.length + MARK.length + 8);
	let p = 0;
	for (const part of [GZIP_HEADER, stored, MARK, trailer]) {
		member.set(part, p);
		p += part.length;
	}
	return member;
})();

/**
 * Deflated entries are inflated by the runtime's own zlib (the global DecompressionStream: no
 * import, which n8n Cloud's rules would refuse for node:zlib), about twice as fast as inflating
 * in JavaScript. The raw deflate data is wrapped in a gzip header and a trailer holding the
 * central directory's CRC-32 and size, so zlib verifies the checksum natively too. Caps are
 * enforced on every output chunk, and the stream is cancelled as soon as one is exceeded.
 */
async function inflateEntry(zip: Uint8Array, entry: ZipEntry, budget: Budget): Promise<Uint8Array> {
	const { name } = entry;
	const { start, end } = entryData(zip, entry);
	if (entry.method === 0) return storedEntry(zip, entry, start, end, budget);
	// Written straight into the stream (a Blob's stream would copy and re-chunk the input).
	const gunzip = new DecompressionStream('gzip');
	const writer = gunzip.writable.getWriter();
	void (async () => {
		await writer.write(GZIP_HEADER);
		await writer.write(zip.subarray(start, end));
		await writer.write(gzipTrailer(entry.crc, entry.size));
		await writer.close();
	})().catch(() => undefined);
	const reader = gunzip.readable.getReader();
	const sink = new Sink(budget, name, entry.size, entry.compressedSize);
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			sink.pushUnchecked(value);
		}
	} catch (error) {
		void reader.cancel().catch(() => undefined);
		void writer.abort().catch(() => undefined);
		// A cap reached while collecting is already a SiemFileError; anything else is zlib's.
		throw error instanceof SiemFileError
			? error
			: corruptZip(
					`SIEM zip entry ${JSON.stringify(name)} is corrupt (${(error as Error).message})`,
					name,
					error,
				);
	}
	if (sink.length !== entry.size)
		throw corruptZip(
			`SIEM zip entry ${JSON.stringify(name)} is corrupt (size does not match)`,
			name,
		);
	budget.used += sink.length;
	return sink.result();
}

/**
 * One DecompressionStream for all the deflated entries of a zip, each written as a gzip member
 * followed by MARK_MEMBER. A stream per entry costs about as much again as the inflating itself
 * (set-up, zlib state, teardown: bench P3, 200 entries of 280 KB, 877 against 498 ms CPU).
 *
 * Only what this stream can vouch for comes out of take(): an entry's declared size of bytes,
 * then MARK. Anything else (a zlib error, output past the declared size or short of it, a cap)
 * abandons the stream, and unzipLogFiles inflates that entry and the rest one by one
 * (inflateEntry), which gives each its exact verdict and message. zlib runs a few chunks ahead
 * at most (the stream's backpressure); an error it meets there can discard the output of the
 * entry being read, which is then redone on its own as well.
 */
class ZipStream {
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
	private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
	/** Bytes read past the previous entry's MARK: the start of the next entry. */
	private leftover: Uint8Array | undefined;
	private next = 0;
	private broken = false;

	/** The deflated entries up to the first one whose data is not where its header says. */
	constructor(
		zip: Uint8Array,
		private readonly entries: ZipEntry[],
	) {
		const gunzip = new DecompressionStream('gzip');
		this.reader = gunzip.readable.getReader();
		this.writer = gunzip.writable.getWriter();
		const writer = this.writer;
		void (async () => {
			for (const entry of entries) {
				const { start, end } = entryData(zip, entry);
				await writer.write(GZIP_HEADER as Uint8Array);
				await writer.write(zip.subarray(start, end));
				await writer.write(gzipTrailer(entry.crc, entry.size));
				await writer.write(MARK_MEMBER as Uint8Array);
			}
			await writer.close();
		})().catch(() => undefined);
	}

	static open(zip: Uint8Array, entries: ZipEntry[]): ZipStream | undefined {
		const members: ZipEntry[] = [];
		for (const entry of entries) {
			if (entry.method !== 8) continue;
			try {
				entryData(zip, entry);
			} catch {
				break; // inflateEntry says what is wrong when the iteration gets there
			}
			members.push(entry);
		}
		return members.length > 0 ? new ZipStream(zip, members) : undefined;
	}

	/** The entry's bytes, or undefined when this stream cannot vouch for them. */
	async take(entry: ZipEntry, budget: Budget): Promise<Uint8Array | undefined> {
		if (this.broken || this.entries[this.next] !== entry) return undefined;
		this.next++;
		const sink = new Sink(budget, entry.name, entry.size, entry.compressedSize);
		let matched = 0;
		try {
			while (matched < MARK.length) {
				const chunk = this.leftover ?? (await this.reader.read()).value;
				this.leftover = undefined;
				if (chunk === undefined) return this.abandon();
				let p = Math.min(chunk.length, entry.size - sink.length);
				sink.pushUnchecked(chunk.subarray(0, p));
				while (p < chunk.length && matched < MARK.length)
					if (chunk[p++] !== MARK[matched++]) return this.abandon();
				if (p < chunk.length) this.leftover = chunk.subarray(p);
			}
		} catch {
			return this.abandon(); // zlib's error or a cap: inflateEntry tells which
		}
		budget.used += sink.length;
		return sink.result();
	}

	abandon(): undefined {
		this.broken = true;
		this.leftover = undefined;
		void this.reader.cancel().catch(() => undefined);
		void this.writer.abort().catch(() => undefined);
		return undefined;
	}
}

/**
 * The log files of a get-siem-logs zip (`compress: true`), one at a time: each entry is
 * inflated when the iteration reaches it (zlib may run a few chunks ahead, see ZipStream), so
 * at most one decompressed file is held here.
 *
 * The central directory is checked before the first entry is returned: directory entries are
 * skipped; a name with a path in it (`../x.log`, `a/b.log`, `C:\x`, `/x`) throws
 * 'unsafeEntryName'; declared sizes over the caps throw 'tooLarge'. While inflating, the caps
 * are enforced again on actual bytes ('tooLarge', zip bombs), and sizes and CRC-32 are
 * verified. Anything that is not a readable zip throws 'corruptZip'.
 */
export async function* unzipLogFiles(
	zip: Uint8Array,
	caps: Caps,
): AsyncGenerator<LogFileEntry, void, undefined> {
	const entries = readCentralDirectory(zip, caps);
	const budget = new Budget(caps);
	const stream = ZipStream.open(zip, entries);
	try {
		for (const entry of entries) {
			const data = (await stream?.take(entry, budget)) ?? (await inflateEntry(zip, entry, budget));
			yield { name: entry.name, data };
		}
	} finally {
		stream?.abandon();
	}
}

/** One step through a zip: an entry, or the damage that ends reading it. */
export type ZipStep =
	| { kind: 'entry'; index: number; name: string; data: Uint8Array }
	| { kind: 'damage'; index: number; error: SiemFileError };

/**
 * unzipLogFiles with the damage that stops it (a broken zip, an unsafe name, an entry over the
 * caps) as a last step instead of a throw, so the reader knows how many entries it got before:
 * it decides whether to skip the rest of the zip or fail. Other errors are thrown.
 */
export async function* zipSteps(zip: Uint8Array, caps: Caps): AsyncGenerator<ZipStep> {
	const files = unzipLogFiles(zip, caps);
	try {
		for (let index = 0; ; index++) {
			let entry: IteratorResult<LogFileEntry> | undefined;
			let failure: unknown;
			try {
				entry = await files.next();
			} catch (error) {
				failure = error;
			}
			if (entry === undefined) {
				// Judged outside the catch: only a SiemFileError is damage, anything else is thrown.
				if (!(failure instanceof SiemFileError)) throw failure;
				yield { kind: 'damage', index, error: failure };
				return;
			}
			if (entry.done) return;
			yield { kind: 'entry', index, ...entry.value };
		}
	} finally {
		// A reader that stops mid-zip closes the zip's inflate stream now, not at the next GC.
		await files.return(undefined);
	}
}

/**
 * Decompresses a gzip file (API 2.0 batch files), single or multi-member, within the caps and
 * with each member's CRC-32 and size checked. Input without the gzip magic bytes is returned
 * as it is (HTTP clients sometimes decompress pre-signed downloads on their own), still
 * subject to maxFileBytes.
 */
export function gunzip(data: Uint8Array, caps: Caps, fileName?: string): Uint8Array {
	const budget = new Budget(caps);
	if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) {
		budget.check(fileName, data.length);
		return data;
	}
	const corrupt = (why: string, cause?: unknown): SiemFileError =>
		new SiemFileError(
			'corruptGzip',
			`${describeFile(fileName)} is not a readable gzip file (${why})`,
			{ fileName, cause },
		);
	if (data.length < 18) throw corrupt('it is too short');
	const sink = new Sink(budget, fileName, u32(data, data.length - 4), data.length);
	let memberStart = 0;
	const checkTrailer = (trailerEnd: number): void => {
		const size = sink.length - memberStart;
		if (
			trailerEnd < 8 ||
			u32(data, trailerEnd - 8) !== sink.crc ||
			u32(data, trailerEnd - 4) !== size % 0x100000000
		) {
			throw corrupt('checksum or length does not match; the file is truncated or damaged');
		}
		sink.crc = 0;
		memberStart = sink.length;
	};
	const gz = new Gunzip((chunk) => sink.push(chunk));
	gz.onmember = (offset: number) => checkTrailer(offset);
	try {
		let p = 0;
		do {
			const next = Math.min(data.length, p + inputChunkSize(budget.remaining(sink.length)));
			gz.push(data.subarray(p, next), next === data.length);
			p = next;
		} while (p < data.length);
	} catch (error) {
		throw error instanceof SiemFileError ? error : corrupt((error as Error).message, error);
	}
	checkTrailer(data.length);
	budget.used += sink.length;
	return sink.result();
}

const textDecoder = new TextDecoder('utf-8');

/** UTF-8 bytes to text; a leading byte order mark is dropped, invalid bytes become U+FFFD. */
export function decodeUtf8(data: Uint8Array): string {
	return textDecoder.decode(data);
}
