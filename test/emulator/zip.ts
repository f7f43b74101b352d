/**
 * A minimal zip writer (deflate entries, no zip64). Written here rather than taken from fflate
 * because the emulator must also produce what a correct library refuses to: entry names with
 * path components, and an entry whose declared and real size is far larger than its bytes.
 */
import { crc32, deflateRawSync, constants as zc } from 'node:zlib';

export interface ZipEntry {
	name: string;
	/** Uncompressed content. */
	data?: Buffer;
	/** Already deflated content (the bomb), with its CRC and uncompressed size. */
	deflated?: { bytes: Buffer; crc: number; size: number };
	/** Modification time, epoch ms. */
	mtime: number;
}

function dosDateTime(ms: number): { time: number; date: number } {
	const d = new Date(ms);
	return {
		time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
		date:
			((Math.max(1980, d.getUTCFullYear()) - 1980) << 9) |
			((d.getUTCMonth() + 1) << 5) |
			d.getUTCDate(),
	};
}

export function buildZip(entries: readonly ZipEntry[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = Buffer.from(e.name, 'utf8');
		const payload = e.deflated ?? {
			bytes: deflateRawSync(e.data ?? Buffer.alloc(0)),
			crc: crc32(e.data ?? Buffer.alloc(0)),
			size: (e.data ?? Buffer.alloc(0)).length,
		};
		const { time, date } = dosDateTime(e.mtime);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4); // version needed
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(8, 8); // deflate
		local.writeUInt16LE(time, 10);
		local.writeUInt16LE(date, 12);
		local.writeUInt32LE(payload.crc >>> 0, 14);
		local.writeUInt32LE(payload.bytes.length, 18);
		local.writeUInt32LE(payload.size, 22);
		local.writeUInt16LE(name.length, 26);
		local.writeUInt16LE(0, 28);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4); // made by
		central.writeUInt16LE(20, 6); // needed
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(8, 10);
		central.writeUInt16LE(time, 12);
		central.writeUInt16LE(date, 14);
		central.writeUInt32LE(payload.crc >>> 0, 16);
		central.writeUInt32LE(payload.bytes.length, 20);
		central.writeUInt32LE(payload.size, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, payload.bytes);
		centrals.push(central, name);
		offset += local.length + name.length + payload.bytes.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}

const MIB = 1 << 20;
const bombs = new Map<number, { bytes: Buffer; crc: number; size: number }>();

/**
 * `size` bytes of zeros (rounded up to whole MiB), deflated to about size/1000 bytes in a few ms.
 * The stream is one full-flushed block of 1 MiB zeros repeated (a full flush resets the
 * compressor, so each copy is self-contained) and an empty final block. The CRC of n MiB of
 * zeros is computed without touching n MiB: CRC-32 is affine over GF(2), so "append 1 MiB of
 * zeros" is a 32x32 bit matrix applied n times.
 */
export function zipBombEntry(size: number): { bytes: Buffer; crc: number; size: number } {
	const mib = Math.min(4095, Math.max(1, Math.ceil(size / MIB))); // no zip64: sizes stay under 4 GiB
	const cached = bombs.get(mib);
	if (cached) return cached;
	const zeros = Buffer.alloc(MIB);
	const block = deflateRawSync(zeros, { level: 9, finishFlush: zc.Z_FULL_FLUSH });
	const bytes = Buffer.concat([
		...Array.from({ length: mib }, () => block),
		Buffer.from([0x03, 0x00]),
	]);
	const constant = crc32(zeros, 0);
	const columns = Array.from(
		{ length: 32 },
		(_, bit) => (crc32(zeros, (1 << bit) >>> 0) ^ constant) >>> 0,
	);
	let crc = 0;
	for (let i = 0; i < mib; i++) {
		let next = constant;
		for (let bit = 0; bit < 32; bit++) if ((crc >>> bit) & 1) next ^= columns[bit];
		crc = next >>> 0;
	}
	const entry = { bytes, crc, size: mib * MIB };
	bombs.set(mib, entry);
	return entry;
}
