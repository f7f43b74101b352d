/**
 * Seeded randomness. The emulator never uses Math.random: the same seed must give the same
 * tenant, so a failing test or benchmark can be replayed record for record.
 */

/** mulberry32: tiny, fast, good enough for test data (not for secrets). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** FNV-1a, used to derive independent PRNG streams from (seed, name). */
export function hashString(text: string, seed = 0x811c9dc5): number {
	let h = seed >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

export class Rng {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	/** A child stream: adding records of one kind must not change the records of another. */
	static derive(seed: number, name: string): Rng {
		return new Rng(hashString(name, seed ^ 0x9e3779b9));
	}

	float(): number {
		return this.next();
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Pick with weights: `[[value, weight], ...]`. */
	weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
		let total = 0;
		for (const [, w] of table) total += w;
		let r = this.next() * total;
		for (const [v, w] of table) {
			r -= w;
			if (r < 0) return v;
		}
		return table[table.length - 1][0];
	}

	/** Fisher-Yates on a copy. */
	shuffle<T>(items: readonly T[]): T[] {
		const out = [...items];
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[out[i], out[j]] = [out[j], out[i]];
		}
		return out;
	}

	/** 32 random bits as an unsigned integer. */
	uint32(): number {
		return Math.floor(this.next() * 4294967296) >>> 0;
	}

	/** `n` bytes, four per draw: ids are long and generating them one char per draw is slow. */
	bytes(n: number): Buffer {
		const buf = Buffer.allocUnsafe(Math.ceil(n / 4) * 4); // every byte is written below
		for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(this.uint32(), i);
		return n === buf.length ? buf : buf.subarray(0, n);
	}

	hex(length: number): string {
		return this.bytes(Math.ceil(length / 2))
			.toString('hex')
			.slice(0, length);
	}

	base64url(length: number): string {
		return this.bytes(Math.ceil((length * 3) / 4))
			.toString('base64url')
			.slice(0, length);
	}

	base64(length: number): string {
		return this.bytes(Math.ceil((length * 3) / 4))
			.toString('base64')
			.slice(0, length);
	}

	uuid(): string {
		const h = this.hex(32);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
	}
}
