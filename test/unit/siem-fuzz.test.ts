/**
 * The SIEM parsers against random, mutated and hostile input: they answer with records or a
 * SiemFileError (tokens: undefined), never with a crash (TypeError, RangeError, a stack
 * overflow), and their time grows with the input's length, not its square. Seeded and
 * time-boxed: a failure prints the seed and case to replay.
 */
import assert from 'node:assert/strict';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';

import { decodeUtf8, gunzip, unzipLogFiles } from '../../nodes/Mimecast/siem/archive';
import { SiemFileError } from '../../nodes/Mimecast/siem/errors';
import { parseContentDisposition, parseSiemFileName } from '../../nodes/Mimecast/siem/fileName';
import { parseJsonLogFile, parseNdjson } from '../../nodes/Mimecast/siem/jsonFile';
import { parseKeyValueFile, parseKeyValueLine } from '../../nodes/Mimecast/siem/keyValue';
import { parseV1Position, parseV2Position } from '../../nodes/Mimecast/siem/resumeToken';
import { describeSiemToken } from '../../nodes/Mimecast/siem/token';
import { mulberry32 } from '../emulator/prng';

const SEED = 20261202;
const MB = 1024 * 1024;
const CAPS = { maxFileBytes: 4 * MB, maxTotalBytes: 8 * MB };

const SAMPLES = {
	keyValue:
		'datetime=2017-05-26T16:47:41+0100|aCode=7O7I7MvGP1mj8plHRDuHEA|Subject=\\message | subject\\|SpamProcessingDetail={"spf":{"info":"SPF_FAIL","allow":true}}|SpamInfo=[]|SpamScore=1\n',
	json: '{"type":"MTA","data":[{"datetime":"2017-05-26T16:47:41+0100","aCode":"x","acc":"C0A0","SpamScore":"1","Dir":"Inbound"}]}',
	ndjson:
		'{"type":"receipt","timestamp":1731943475250,"tags":null,"direction":"INBOUND"}\n{"type":"receipt","senderEnvelope":""}\n',
};

/** Random bytes, or a sample with bytes flipped, cut, duplicated or spliced with delimiters. */
function mutate(rand: () => number, base: Uint8Array): Uint8Array {
	const pick = (n: number) => Math.floor(rand() * n);
	if (rand() < 0.2) return Uint8Array.from({ length: pick(400) }, () => pick(256));
	const out = Array.from(base);
	const edits = 1 + pick(8);
	const special = [
		0x7b, 0x5b, 0x7d, 0x5d, 0x22, 0x5c, 0x7c, 0x3d, 0x0a, 0x0d, 0x00, 0xff, 0x50, 0x4b, 0x1f, 0x8b,
	];
	for (let e = 0; e < edits && out.length > 0; e++) {
		const at = pick(out.length);
		const kind = pick(5);
		if (kind === 0) out[at] = pick(256);
		else if (kind === 1) out[at] = special[pick(special.length)];
		else if (kind === 2) out.splice(at, pick(out.length - at + 1));
		else if (kind === 3) out.splice(at, 0, ...out.slice(at, at + pick(64)));
		else
			out.splice(
				at,
				0,
				...Array.from({ length: 1 + pick(16) }, () => special[pick(special.length)]),
			);
	}
	return Uint8Array.from(out);
}

function isCrash(error: unknown): boolean {
	return !(error instanceof SiemFileError);
}

/** Runs `parse` on mutated inputs for `ms`; any error other than SiemFileError fails the test. */
async function fuzz(
	name: string,
	base: Uint8Array,
	parse: (input: Uint8Array) => unknown,
	ms = 1000,
): Promise<number> {
	const rand = mulberry32(SEED ^ name.length);
	const until = performance.now() + ms;
	let runs = 0;
	while (performance.now() < until) {
		const input = mutate(rand, base);
		try {
			await parse(input);
		} catch (error) {
			if (isCrash(error)) {
				assert.fail(
					`${name} crashed (seed ${SEED}, run ${runs}) on ${Buffer.from(input).toString('base64')}: ${String(error)}`,
				);
			}
		}
		runs++;
	}
	return runs;
}

/** A zip of deflated entries; `gz`, when given, is the entry's data already gzipped (its body and CRC are reused). */
function zipOf(files: Array<{ name: string; data: Uint8Array; gz?: Buffer }>): Uint8Array {
	const locals: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const f of files) {
		const name = Buffer.from(f.name);
		const body = f.gz ? f.gz.subarray(10, f.gz.length - 8) : deflateRawSync(f.data);
		const crc = f.gz ? f.gz.readUInt32LE(f.gz.length - 8) : crc32(f.data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(f.data.length, 22);
		local.writeUInt16LE(name.length, 26);
		const cd = Buffer.alloc(46);
		cd.writeUInt32LE(0x02014b50, 0);
		cd.writeUInt16LE(8, 10);
		cd.writeUInt32LE(crc, 16);
		cd.writeUInt32LE(body.length, 20);
		cd.writeUInt32LE(f.data.length, 24);
		cd.writeUInt16LE(name.length, 28);
		cd.writeUInt32LE(offset, 42);
		locals.push(local, name, body);
		central.push(cd, name);
		offset += 30 + name.length + body.length;
	}
	const cdBytes = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(cdBytes.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cdBytes, end]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
	return c >>> 0;
});

function crc32(data: Uint8Array): number {
	let crc = 0xffffffff;
	for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

async function readZip(zip: Uint8Array, caps = CAPS): Promise<number> {
	let bytes = 0;
	for await (const entry of unzipLogFiles(zip, caps)) bytes += entry.data.length;
	return bytes;
}

/**
 * The parser's work on a text: characters read one by one (charCodeAt) plus characters skipped
 * by searches (indexOf). Counted, not timed, so the figure does not depend on the machine's
 * load; JSON.parse's own work is not in it.
 */
function workOf(f: () => unknown): number {
	const proto = String.prototype;
	const { charCodeAt, indexOf } = proto;
	let work = 0;
	proto.charCodeAt = function (this: string, at: number) {
		work++;
		return charCodeAt.call(this, at);
	};
	proto.indexOf = function (this: string, search: string, from = 0) {
		const found = indexOf.call(this, search, from);
		work += (found === -1 ? this.length : found) - from + 1;
		return found;
	};
	try {
		f();
	} finally {
		proto.charCodeAt = charCodeAt;
		proto.indexOf = indexOf;
	}
	return work;
}

/** Work on an input 4x as long, over work on the input: 4 when linear, 16 when quadratic. */
function assertLinear(
	name: string,
	make: (size: number) => string,
	parse: (text: string) => unknown,
	size: number,
): void {
	const ratio = workOf(() => parse(make(size * 4))) / workOf(() => parse(make(size)));
	assert.ok(ratio < 5, `${name}: 4x the input took ${ratio.toFixed(1)}x the work`);
}

/** Reads every record of a key_value file. */
function countKeyValue(text: string): number {
	return parseKeyValueFile(text).length;
}

describe('SIEM parsers under fuzzing and hostile input', () => {
	it(
		'key_value: a 1 MB line of unclosed { [ \\ " values parses within a generous bound, in time linear in its length',
		{ timeout: 120_000 },
		() => {
			const patterns = ['|a={', '|a=[', '|a=\\x', '|a={"', '|a=[{"\\', '|k{=\\['];
			for (const pattern of patterns) {
				const line = (size: number) => pattern.repeat(Math.ceil(size / pattern.length)).slice(1);
				const start = performance.now();
				const record = parseKeyValueLine(line(MB));
				assert.ok(
					performance.now() - start < 30_000,
					`${pattern}: ${performance.now() - start} ms`,
				);
				assert.equal(typeof record, 'object');
				assertLinear(
					`line of ${JSON.stringify(pattern)}`,
					line,
					(text) => parseKeyValueLine(text),
					64 * 1024,
				);
			}
		},
	);

	it(
		'key_value: a file of many lines without `|`, `\\` or `"` parses in time linear in its length',
		{ timeout: 120_000 },
		() => {
			for (const line of ['a=b\n', 'a={"x\n', 'a=\\x\n']) {
				const file = (size: number) => line.repeat(Math.ceil(size / line.length));
				assertLinear(`file of ${JSON.stringify(line)}`, file, countKeyValue, 64 * 1024);
			}
		},
	);

	it(
		'json and NDJSON: deep nesting and long unclosed values give a clear error within a generous bound',
		{ timeout: 120_000 },
		() => {
			// Their time is JSON.parse's own (V8's, slow on deep nesting), so only hangs are caught here.
			const makes = [
				(n: number) => '['.repeat(n),
				(n: number) => '{"a":'.repeat(n / 5),
				(n: number) => `{"a":"${'x'.repeat(n)}`,
				(n: number) => '{"a":1}\n{'.repeat(n / 9),
			];
			for (const make of makes) {
				for (const parse of [parseJsonLogFile, parseNdjson]) {
					const start = performance.now();
					assert.throws(() => parse(make(MB), 'f.json'), SiemFileError);
					assert.ok(
						performance.now() - start < 30_000,
						`${parse.name}: ${performance.now() - start} ms`,
					);
				}
			}
			const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
			try {
				parseJsonLogFile(deep);
			} catch (error) {
				assert.ok(!isCrash(error), String(error));
			}
		},
	);

	it(
		'mutated key_value, json, NDJSON, gzip and zip inputs: records or a SiemFileError, never a crash',
		{ timeout: 120_000 },
		async () => {
			const text = (bytes: Uint8Array) => decodeUtf8(bytes);
			const base = (s: string) => new TextEncoder().encode(s);
			const zip = zipOf([
				{ name: 'receipt_20260101.log', data: base(SAMPLES.keyValue.repeat(20)) },
				{ name: 'process_20260101.log', data: base(SAMPLES.keyValue) },
			]);
			const runs = [
				await fuzz('keyValue', base(SAMPLES.keyValue.repeat(3)), (b) =>
					parseKeyValueFile(text(b), { typed: true }),
				),
				await fuzz('json', base(SAMPLES.json), (b) => parseJsonLogFile(text(b), 'f.json')),
				await fuzz('ndjson', base(SAMPLES.ndjson), (b) => parseNdjson(text(b), 'f.json')),
				await fuzz('gzip', gzipSync(SAMPLES.ndjson.repeat(10)), (b) =>
					parseNdjson(text(gunzip(b, CAPS, 'f.json.gz')), 'f.json.gz'),
				),
				await fuzz('zip', zip, (b) => readZip(b)),
			];
			for (const n of runs) assert.ok(n > 20, `only ${n} runs`);
		},
	);

	it(
		'SIEM tokens, resume tokens and file names: a value or undefined, never a throw',
		{ timeout: 60_000 },
		async () => {
			const token = Buffer.from(
				deflateRawSync('{"siemlogid":12,"createTime":1700000000000}'),
			).toString('base64url');
			const v2 = Buffer.from('{"v":2,"t":{"receipt":["p",1,2,"k"]}}').toString('base64url');
			const asText = (b: Uint8Array) => Buffer.from(b).toString('latin1');
			for (const [name, sample] of [
				['siemToken', token],
				['v1', `${token}:3.4`],
				['v2', v2],
				['name', 'attachment; filename="receipt_20170526.json"'],
			]) {
				await fuzz(
					`token ${name}`,
					new TextEncoder().encode(sample),
					(b) => {
						const s = asText(b);
						describeSiemToken(s);
						parseV1Position(s);
						parseV2Position(s, ['receipt']);
						parseV2Position(Buffer.from(s).toString('base64url'));
						parseSiemFileName(s);
						parseContentDisposition(s);
					},
					300,
				);
			}
		},
	);

	it('a zip whose central directory lies about sizes, offsets or counts is refused with a clear error', async () => {
		const data = new TextEncoder().encode(SAMPLES.keyValue.repeat(50));
		const good = zipOf([{ name: 'receipt_1.log', data }]);
		const cd = good.length - 22 - 46 - 'receipt_1.log'.length;
		const lie = (at: number, value: number, bytes: 2 | 4) => {
			const z = Buffer.from(good);
			if (bytes === 2) z.writeUInt16LE(value, at);
			else z.writeUInt32LE(value >>> 0, at);
			return z;
		};
		const lies: Record<string, Uint8Array> = {
			'declared size too small': lie(cd + 24, 10, 4),
			'declared size too large': lie(cd + 24, data.length + 10, 4),
			'compressed size past the end': lie(cd + 20, 0x7fffffff, 4),
			'local header offset past the end': lie(cd + 42, 0x7fffffff, 4),
			'local header offset inside the data': lie(cd + 42, 40, 4),
			'entry count too large': lie(good.length - 12, 0xfffe, 2),
			'directory offset past the end': lie(good.length - 6, 0x7fffffff, 4),
			'directory offset 0': lie(good.length - 6, 0, 4),
		};
		for (const [lieName, zip] of Object.entries(lies)) {
			await assert.rejects(readZip(zip), (error: unknown) => {
				assert.ok(error instanceof SiemFileError, `${lieName}: ${String(error)}`);
				assert.match(error.message, /zip|SIEM file/);
				return true;
			});
		}
	});

	it('zip and gzip bombs, and a gzip that never ends, stop at the cap with a clear error and bounded memory', async () => {
		const caps = { maxFileBytes: MB, maxTotalBytes: MB };
		const zeros = new Uint8Array(64 * MB);
		const gzBomb = gzipSync(zeros, { level: 1 });
		const bomb = zipOf([{ name: 'receipt_1.log', data: zeros, gz: gzBomb }]);
		// The directory says 100 bytes; the entry inflates to 64 MiB.
		const lying = Buffer.from(bomb);
		lying.writeUInt32LE(100, lying.length - 22 - 46 - 'receipt_1.log'.length + 24);
		// Members of a gzip, one after the other: 2 GiB of zeros from 2 MB of input.
		const endless = Buffer.concat(Array.from({ length: 32 }, () => gzBomb));
		const before = process.memoryUsage().arrayBuffers;
		await assert.rejects(
			readZip(bomb, caps),
			(e: unknown) => e instanceof SiemFileError && e.kind === 'tooLarge',
		);
		await assert.rejects(
			readZip(lying, caps),
			(e: unknown) => e instanceof SiemFileError && e.kind === 'tooLarge',
		);
		assert.throws(
			() => gunzip(gzBomb, caps, 'bomb.json.gz'),
			(e: unknown) => e instanceof SiemFileError && e.kind === 'tooLarge',
		);
		assert.throws(
			() => gunzip(endless, caps, 'endless.json.gz'),
			(e: unknown) => e instanceof SiemFileError && e.kind === 'tooLarge',
		);
		const grown = process.memoryUsage().arrayBuffers - before;
		// Garbage included: reading any bomb whole would take 64 MiB or more.
		assert.ok(grown < 32 * MB, `array buffers grew by ${grown} bytes`);
		// A gzip cut before its end (a body that stopped arriving) is corrupt, not a hang.
		const file = gzipSync(SAMPLES.ndjson.repeat(5000));
		assert.throws(
			() => gunzip(file.subarray(0, file.length - 100), CAPS),
			(e: unknown) => e instanceof SiemFileError && e.kind === 'corruptGzip',
		);
	});
});
