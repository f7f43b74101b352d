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
