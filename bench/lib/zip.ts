/**
 * Baseline zip reading for the SIEM figures: walks the local file headers (no central
 * directory, no CRC check) and inflates each entry with node's native zlib. This is the
 * "least work anyone could do" the package is compared with.
 */
import { inflateRawSync } from 'node:zlib';

export function* zipEntries(zip: Buffer): Generator<{ name: string; data: Buffer }> {
	let p = 0;
	while (p + 30 <= zip.length && zip.readUInt32LE(p) === 0x04034b50) {
		const method = zip.readUInt16LE(p + 8);
		const compressedSize = zip.readUInt32LE(p + 18);
		const nameLength = zip.readUInt16LE(p + 26);
		const extraLength = zip.readUInt16LE(p + 28);
		const name = zip.toString('utf8', p + 30, p + 30 + nameLength);
		const start = p + 30 + nameLength + extraLength;
		const raw = zip.subarray(start, start + compressedSize);
		yield { name, data: method === 8 ? inflateRawSync(raw) : raw };
		p = start + compressedSize;
	}
}

/**
 * The same entries, inflated the way n8n's rules leave to shipped code: the global
 * DecompressionStream (node:zlib may not be imported). The least work under that rule: one
 * stream per zip, each entry a gzip member (the raw deflate data between a 10-byte header and a
 * trailer of CRC-32 and size from the local header), the output split by the declared sizes.
 * No checks beyond zlib's own. Diagnostic for P3: what the rule costs against zipEntries.
 */
export async function zipEntriesWeb(zip: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
	const header = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
	const parts: Uint8Array[] = [];
	const entries: Array<{ name: string; size: number }> = [];
	let p = 0;
	while (p + 30 <= zip.length && zip.readUInt32LE(p) === 0x04034b50) {
		const compressedSize = zip.readUInt32LE(p + 18);
		const size = zip.readUInt32LE(p + 22);
		const nameLength = zip.readUInt16LE(p + 26);
		const start = p + 30 + nameLength + zip.readUInt16LE(p + 28);
		const trailer = Buffer.alloc(8);
		trailer.writeUInt32LE(zip.readUInt32LE(p + 14), 0);
		trailer.writeUInt32LE(size, 4);
		parts.push(header, zip.subarray(start, start + compressedSize), trailer);
		entries.push({ name: zip.toString('utf8', p + 30, p + 30 + nameLength), size });
		p = start + compressedSize;
	}
	const gunzip = new DecompressionStream('gzip');
	const writer = gunzip.writable.getWriter();
	void (async () => {
		for (const part of parts) await writer.write(part);
		await writer.close();
	})().catch(() => undefined);
	const out = Buffer.allocUnsafe(entries.reduce((n, e) => n + e.size, 0));
	let n = 0;
	for await (const chunk of gunzip.readable) {
		out.set(chunk, n);
		n += chunk.length;
	}
	let at = 0;
	return entries.map((e) => ({ name: e.name, data: out.subarray(at, (at += e.size)) }));
}
