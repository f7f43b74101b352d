import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { deflateSync, gzipSync, strToU8, zipSync, zlibSync } from 'fflate';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}

import {
	decodeUtf8,
	describeSiemToken,
	gunzip,
	parseContentDisposition,
	parseJsonLogFile,
	parseNdjson,
	SiemFileError,
	parseSiemFileName,
	unzipLogFiles,
	type Caps,
	type SiemFileErrorKind,
} from '../helpers/siemParsers';
import { readSample } from '../helpers/samples';

const MiB = 1024 * 1024;
const CAPS: Caps = { maxFileBytes: 10 * MiB, maxTotalBytes: 20 * MiB };

function siemError(kind: SiemFileErrorKind, check?: (error: SiemFileError) => void) {
	return (error: unknown) => {
		assert.ok(error instanceof SiemFileError, `expected SiemFileError, got ${String(error)}`);
		assert.equal(error.kind, kind, error.message);
		check?.(error);
		return true;
	};
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(data: Uint8Array): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

interface RawEntry {
	name: string;
	data?: Uint8Array;
	/** Compressed bytes as they go in the zip; default: data deflated (method 8) or stored. */
	raw?: Uint8Array;
	method?: number;
	/** What the headers claim; default the truth. */
	size?: number;
	crc?: number;
	flags?: number;
}

/** A zip written byte by byte, so tests can make the headers say anything. */
function makeZip(entries: RawEntry[]): Uint8Array {
	const chunks: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	const header = (size: number, fill: (v: DataView) => void) => {
		const b = new Uint8Array(size);
		fill(new DataView(b.buffer));
		return b;
	};
	for (const e of entries) {
		const data = e.data ?? new Uint8Array(0);
		const method = e.method ?? 8;
		const raw = e.raw ?? (method === 8 ? deflateSync(data) : data);
		const name = strToU8(e.name);
		const crc = e.crc ?? crc32(data);
		const size = e.size ?? data.length;
		const flags = (e.flags ?? 0) | 0x800;
		const local = header(30, (v) => {
			v.setUint32(0, 0x04034b50, true);
			v.setUint16(4, 20, true);
			v.setUint16(6, flags, true);
			v.setUint16(8, method, true);
			v.setUint32(14, crc, true);
			v.setUint32(18, raw.length, true);
			v.setUint32(22, size, true);
			v.setUint16(26, name.length, true);
		});
		central.push(
			header(46, (v) => {
				v.setUint32(0, 0x02014b50, true);
				v.setUint16(4, 20, true);
				v.setUint16(6, 20, true);
				v.setUint16(8, flags, true);
				v.setUint16(10, method, true);
				v.setUint32(16, crc, true);
				v.setUint32(20, raw.length, true);
				v.setUint32(24, size, true);
				v.setUint16(28, name.length, true);
				v.setUint32(42, offset, true);
			}),
			name,
		);
		chunks.push(local, name, raw);
		offset += local.length + name.length + raw.length;
	}
	const cdSize = central.reduce((n, c) => n + c.length, 0);
	const end = header(22, (v) => {
		v.setUint32(0, 0x06054b50, true);
		v.setUint16(8, entries.length, true);
		v.setUint16(10, entries.length, true);
		v.setUint32(12, cdSize, true);
		v.setUint32(16, offset, true);
	});
	return concat([...chunks, ...central, end]);
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let p = 0;
	for (const part of parts) {
		out.set(part, p);
		p += part.length;
	}
	return out;
}

/**
 * Raw deflate of `approxBytes` zeros (a literal 0, then copies of 258 bytes at distance 1),
 * built directly so the test never holds the expanded data: ~13 bits per 258 bytes.
 */
function deflatedZeros(approxBytes: number): Uint8Array {
	const copies = Math.floor((approxBytes - 1) / 258);
	const out = new Uint8Array(Math.ceil((3 + 8 + copies * 13 + 7) / 8) + 1);
	let bit = 0;
	const put = (value: number, n: number) => {
		for (let i = 0; i < n; i++, bit++) if ((value >>> i) & 1) out[bit >>> 3] |= 1 << (bit & 7);
	};
	const code = (value: number, n: number) => {
		for (let i = n - 1; i >= 0; i--, bit++) if ((value >>> i) & 1) out[bit >>> 3] |= 1 << (bit & 7);
	};
	put(1, 1); // BFINAL
	put(1, 2); // fixed Huffman
	code(0x30, 8); // literal 0
	for (let i = 0; i < copies; i++) {
		code(0xc5, 8); // length code 285 = 258 bytes
		code(0, 5); // distance code 0 = 1 byte back
	}
	code(0, 7); // end of block
	return out;
}

describe('json files (get-siem-logs fileFormat=json)', () => {
	test('the XSOAR file body gives its data records', () => {
		const text = readSample('xsoar/siem_response_multiple_events.json');
		const records = parseJsonLogFile(text, 'receipt_20220523162044000.log');
		assert.deepEqual(records, JSON.parse(text).data);
		assert.equal(records.length, 3);
		assert.deepEqual(records[0], {
			acc: 'CUSA102A236',
			SpamLimit: 28,
			IP: '54.243.138.179',
			Dir: 'Outbound',
			Subject: 'Re',
			MsgId: '<4bf108530de00f37-111331@nodered-mimecast-55569955-kthgt.hamilton321.net>',
			headerFrom: 'mark.guzman@paloaltonetworks.mime.integration.com',
			Sender: 'mark.guzman@paloaltonetworks.mime.integration.com',
			datetime: '2022-05-23T12:20:44-0400',
			Rcpt: 'chartman@pilot-meadow.b41.one',
			SpamInfo: '[]',
			Act: 'Acc',
			TlsVer: 'TLSv1.2',
			Cphr: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
			aCode: 'l1b4x0uvOs2sRFzGsHoYzQ',
			SpamScore: 0,
		});
	});

	test("each line of Elastic's per-event file, including the line holding two events joined by a comma", () => {
		const lines = readSample('elastic/test-siem-logs.log')
			.split('\n')
			.filter((l) => l.trim() !== '');
		const perLine = lines.map((line) => parseJsonLogFile(line));
		assert.deepEqual(
			perLine.map((r) => r.length),
			[1, 1, 1, 2, 1, 1, 1],
		);
		perLine.forEach((records, i) => {
			assert.deepEqual(records, i === 3 ? JSON.parse(`[${lines[i]}]`) : [JSON.parse(lines[i])]);
		});
		const [joinedA, joinedB] = perLine[3];
		assert.equal(joinedA.Delivered, true);
		assert.equal(joinedA.Subject, null);
		assert.equal(joinedB.Delivered, false);
		assert.equal(joinedB.RejCode, '550');
		// The whole file at once reads the same eight events.
		assert.deepEqual(parseJsonLogFile(readSample('elastic/test-siem-logs.log')), perLine.flat());
		// The Content-Disposition Elastic kept on each event names the log type.
		assert.deepEqual(
			perLine
				.flat()
				.map(
					(r) =>
						parseSiemFileName(parseContentDisposition(String(r['Content-Disposition'])) ?? '')
							.filePrefix,
				),
			['process', 'delivery', 'process', 'delivery', 'delivery', 'jrnl', 'receipt', 'ttp_url'],
		);
	});

	test('the docs events, per line, as a file, and wrapped in the MTA envelope', () => {
		const text = readSample('elastic/test-siem-docs-logs.log');
		const events = text
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l) => JSON.parse(l) as Record<string, unknown>);
		assert.equal(events.length, 11);
		for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
			assert.deepEqual(parseJsonLogFile(line), [JSON.parse(line)]);
		}
		assert.deepEqual(parseJsonLogFile(text), events);
		assert.deepEqual(
			parseJsonLogFile(JSON.stringify({ type: 'MTA', data: events }, null, 2)),
			events,
		);
		assert.deepEqual(parseJsonLogFile(JSON.stringify(events)), events);
		assert.deepEqual(events[0].SpamProcessingDetail, {
			spf: { info: 'SPF_FAIL', allow: true },
			dkim: { info: 'DKIM_UNKNOWN', allow: true },
		});
		assert.equal(events[9].url, 'http://bgmtechnology.com.au');
	});
});

describe('json files, shapes and failures', () => {
	test('empty bodies, caught-up envelopes and events that happen to have a data field', () => {
		assert.deepEqual(parseJsonLogFile(''), []);
		assert.deepEqual(parseJsonLogFile(' \r\n'), []);
		assert.deepEqual(parseJsonLogFile('{"type":"MTA","data":[]}'), []);
		assert.deepEqual(
			parseJsonLogFile('{"meta":{"isLastToken":true,"status":200},"data":[],"fail":[]}'),
			[],
		);
		assert.deepEqual(parseJsonLogFile('\ufeff{"type":"MTA","data":[{"a":1}]}'), [{ a: 1 }]);
		assert.deepEqual(parseJsonLogFile('{"id":1,"data":[1,2]}'), [{ id: 1, data: [1, 2] }]);
		assert.deepEqual(parseJsonLogFile('{"type":"MTA","data":[{"a":1},"odd"]}'), [
			{ a: 1 },
			{ value: 'odd' },
		]);
	});

	test('the truncated body Mimecast served for real (Elastic #5053) is a truncatedJson error, not a hang or an empty file', () => {
		assert.throws(
			() => parseJsonLogFile('{ "type" : "MTA", "data" : ', 'delivery_20160705162902600.log'),
			siemError('truncatedJson', (e) => {
				assert.equal(e.fileName, 'delivery_20160705162902600.log');
				assert.match(e.message, /delivery_20160705162902600\.log/);
				assert.match(e.message, /truncated/);
				assert.match(e.message, /27 bytes/);
			}),
		);
	});

	test('every cut of a real file is reported as truncated', () => {
		const text = readSample('xsoar/siem_response_multiple_events.json').trimEnd();
		for (let cut = 1; cut < text.length; cut += 7) {
			const prefix = text.slice(0, cut);
			if (prefix.trim() === '') continue;
			assert.throws(() => parseJsonLogFile(prefix), siemError('truncatedJson'), `cut at ${cut}`);
		}
	});

	test('a body that is not JSON at all says so', () => {
		assert.throws(
			() => parseJsonLogFile('<html><body>Bad gateway</body></html>', 'x.log'),
			siemError('truncatedJson', (e) => assert.match(e.message, /not valid JSON/)),
		);
		assert.throws(() => parseJsonLogFile('{"a":1}}'), siemError('truncatedJson'));
	});
});

describe('NDJSON (API 2.0 batch files)', () => {
	test('the Elastic v2 excerpt, field for field', () => {
		const text = readSample('elastic/test-siem-v2-logs.EXCERPT.log');
		const records = parseNdjson(text, 'batch.json');
		assert.equal(records.length, 4);
		assert.deepEqual(records[0], {
			_offset: 71203,
			_partition: 60,
			accountId: 'CUSB4A274',
			aggregateId: 'ycS8ZuP_MPunTsp6ErzBSA_1731499054',
			fileExtension: 'pdf',
			fileName: 'zero-day.pdf',
			md5: '66f03bf072a74bb19db16c952ba3dc47',
			processingId: 'WGY_DvwBSSkQgHEEGRzoLfwigWn9mwWIGqiLvVrPqKc_1731499054',
			sha1: 'ce87cd86f9d9d3ed4c1138530ef259ce83638593',
			sha256: '22a65c438289353d96c707cf55e26be723e3157f0aa00734843a9bdc8f98bab0',
			subtype: null,
			timestamp: 1731499059314,
			type: 'attachment protect',
		});
		assert.deepEqual(
			records.map((r) => r.type),
			['attachment protect', 'delivery', 'internal email protect', 'journal'],
		);
		assert.equal(records[1].messageId, '<27856769-1731451446596@usb-mta-24.usb.mimecast.lan>');
		assert.equal(records[1].deliveryErrors, null);
		assert.equal(records[1].delivered, 'true');
		assert.equal(records[2].urlCategory, 'Compromised');
		assert.equal(records[3].timestamp, 1731698575076);
		// As it arrives: gzip, then bytes.
		assert.deepEqual(parseNdjson(decodeUtf8(gunzip(gzipSync(strToU8(text)), CAPS))), records);
	});

	test('CRLF, blank lines, no trailing newline', () => {
		assert.deepEqual(parseNdjson('{"a":1}\r\n\r\n  \n{"b":"x\\ny"}'), [{ a: 1 }, { b: 'x\ny' }]);
		assert.deepEqual(parseNdjson(''), []);
	});

	test('a bad line names its line number; the records before it were already yielded', () => {
		const text = '{"a":1}\n\n{"b":2\n{"c":3}\n';
		assert.throws(
			() => parseNdjson(text, 'f.json'),
			siemError('badNdjson', (e) => {
				assert.equal(e.lineNumber, 3);
				assert.equal(e.fileName, 'f.json');
				assert.match(e.message, /line 3/);
			}),
		);
		assert.throws(
			() => parseNdjson('{"a":1}\n[1,2]\n'),
			siemError('badNdjson', (e) => assert.equal(e.lineNumber, 2)),
		);
		assert.throws(() => parseNdjson('42'), siemError('badNdjson'));
	});
});

describe('zip files (get-siem-logs compress=true)', () => {
	const receipt = 'datetime=2017-05-26T16:47:41+0100|Subject=\\message subject\\\n';
	const delivery = '{"type":"MTA","data":[{"a":1}]}';

	test('several files come out one by one, directories skipped', async () => {
		const zip = zipSync({
			'receipt_20160705162902600.log': strToU8(receipt),
			'delivery_20160705162902601.log': [strToU8(delivery), { level: 0 }],
			'ttp_url_20160705162902602.log': strToU8('x'.repeat(100_000)),
			'empty_20160705162902603.log': new Uint8Array(0),
		});
		const files = (await collect(unzipLogFiles(zip, CAPS))).map((f) => ({
			name: f.name,
			text: decodeUtf8(f.data),
		}));
		assert.deepEqual(files, [
			{ name: 'receipt_20160705162902600.log', text: receipt },
			{ name: 'delivery_20160705162902601.log', text: delivery },
			{ name: 'ttp_url_20160705162902602.log', text: 'x'.repeat(100_000) },
			{ name: 'empty_20160705162902603.log', text: '' },
		]);
		const withDirectory = makeZip([
			{ name: 'logs/' },
			{ name: 'receipt_1.log', data: strToU8(receipt) },
		]);
		assert.deepEqual(
			(await collect(unzipLogFiles(withDirectory, CAPS))).map((f) => f.name),
			['receipt_1.log'],
		);
		assert.deepEqual(await collect(unzipLogFiles(zipSync({}), CAPS)), []);
	});

	test('entries are inflated as the iteration reaches them', async () => {
		const zip = makeZip([
			{ name: 'good.log', data: strToU8(receipt) },
			{ name: 'bad.log', data: strToU8(receipt), crc: 1 },
		]);
		const files = unzipLogFiles(zip, CAPS)[Symbol.asyncIterator]();
		const first = await files.next();
		assert.equal(first.done, false);
		assert.equal(decodeUtf8(first.value!.data), receipt);
		await assert.rejects(
			files.next(),
			siemError('corruptZip', (e) => assert.equal(e.fileName, 'bad.log')),
		);
	});

	test('one zip inflated as one stream still checks every entry on its own', async () => {
		// All deflated entries of a zip share one zlib stream (archive.ts ZipStream); an entry
		// whose size or checksum is wrong must still be the one refused, the ones before it
		// whole, whatever its neighbours are.
		const texts = [receipt, 'x'.repeat(40_000), '', delivery, receipt.repeat(3)];
		const entry = (i: number) => ({ name: `f${i}.log`, data: strToU8(texts[i]) });
		const whole = makeZip(texts.map((_, i) => entry(i)));
		assert.deepEqual(
			(await collect(unzipLogFiles(whole, CAPS))).map((f) => decodeUtf8(f.data)),
			texts,
		);
		const damaged: Array<[string, Record<string, number>]> = [
			['size understated', { size: 3 }],
			['size overstated', { size: 40_001 }],
			['checksum', { crc: 7 }],
		];
		for (const [what, lie] of damaged) {
			const zip = makeZip(texts.map((_, i) => (i === 1 ? { ...entry(i), ...lie } : entry(i))));
			const names: string[] = [];
			await assert.rejects(
				async () => {
					for await (const file of unzipLogFiles(zip, CAPS)) names.push(file.name);
				},
				siemError('corruptZip', (e) => assert.equal(e.fileName, 'f1.log', what)),
			);
			assert.deepEqual(names, ['f0.log'], what);
		}
	});

	for (const name of ['../x.log', 'a/b.log', 'C:\\x', '/abs.log', 'a\\b.log', '..', 'c:x.log']) {
		test(`an entry named ${JSON.stringify(name)} is refused before anything is returned`, async () => {
			const zip = makeZip([
				{ name: 'fine.log', data: strToU8('a=1') },
				{ name, data: strToU8('a=1') },
			]);
			const iterator = unzipLogFiles(zip, CAPS)[Symbol.asyncIterator]();
			await assert.rejects(
				iterator.next(),
				siemError('unsafeEntryName', (e) => {
					assert.equal(e.fileName, name);
					assert.ok(e.message.includes(JSON.stringify(name)), e.message);
				}),
			);
		});
	}

	test('a zip bomb that declares its size is refused without inflating it', async () => {
		const zip = makeZip([
			{ name: 'av_1.log', raw: deflatedZeros(50 * MiB), size: 50 * MiB, crc: 0 },
		]);
		assert.ok(zip.length < 400_000);
		await assert.rejects(
			collect(unzipLogFiles(zip, CAPS)),
			siemError('tooLarge', (e) => {
				assert.equal(e.fileName, 'av_1.log');
				assert.match(e.message, /av_1\.log/);
				assert.match(e.message, /declares 52428800 bytes/);
				assert.match(e.message, /10 MiB/);
			}),
		);
	});

	test('a zip bomb that lies about its size stops at the cap, without allocating what it expands to', async () => {
		// 256 MiB of zeros in ~1.6 MB, declared as 1,000 bytes.
		const zip = makeZip([{ name: 'av_2.log', raw: deflatedZeros(256 * MiB), size: 1000, crc: 0 }]);
		const rssBefore = process.memoryUsage().rss;
		const started = performance.now();
		await assert.rejects(
			collect(unzipLogFiles(zip, CAPS)),
			siemError('tooLarge', (e) => {
				assert.equal(e.fileName, 'av_2.log');
				assert.match(e.message, /per-file limit of 10 MiB/);
			}),
		);
		const grewMiB = (process.memoryUsage().rss - rssBefore) / MiB;
		assert.ok(grewMiB < 120, `resident memory grew by ${grewMiB.toFixed(0)} MiB`);
		assert.ok(performance.now() - started < 5000);
	});

	test('the per-call total applies across entries', async () => {
		const four = strToU8('y'.repeat(4 * MiB));
		const zip = zipSync({ 'a_1.log': four, 'b_2.log': four, 'c_3.log': four });
		const caps = { maxFileBytes: 10 * MiB, maxTotalBytes: 10 * MiB };
		await assert.rejects(
			collect(unzipLogFiles(zip, caps)),
			siemError('tooLarge', (e) => assert.match(e.message, /declares more than/)),
		);
		// With the last size understated, its actual bytes still hit the total.
		const lying = makeZip([
			{ name: 'a_1.log', data: four },
			{ name: 'b_2.log', data: four },
			{ name: 'c_3.log', data: four, size: 10 },
		]);
		const names: string[] = [];
		await assert.rejects(
			async () => {
				for await (const file of unzipLogFiles(lying, caps)) names.push(file.name);
			},
			siemError('tooLarge', (e) => {
				assert.equal(e.fileName, 'c_3.log');
				assert.match(e.message, /10 MiB per call/);
			}),
		);
		assert.deepEqual(names, ['a_1.log', 'b_2.log']);
	});

	test('what is not a readable zip is corruptZip', async () => {
		const good = zipSync({ 'receipt_1.log': strToU8(receipt.repeat(50)) });
		const flipped = good.slice();
		flipped[45] ^= 0xff; // inside the deflated data
		const cases: [string, Uint8Array][] = [
			['empty', new Uint8Array(0)],
			[
				'JSON error body',
				strToU8(
					'{"meta":{"status":500},"data":[],"fail":[{"errors":[{"code":"not a valid zip file"}]}]}',
				),
			],
			['cut in half', good.subarray(0, good.length >> 1)],
			['damaged data', flipped],
			['bad checksum', makeZip([{ name: 'r.log', data: strToU8(receipt), crc: 12345 }])],
			[
				'bad checksum, stored',
				makeZip([{ name: 'r.log', data: strToU8(receipt), method: 0, crc: 12345 }]),
			],
			['wrong size', makeZip([{ name: 'r.log', data: strToU8(receipt), size: 3 }])],
			['encrypted', makeZip([{ name: 'r.log', data: strToU8(receipt), flags: 1 }])],
			[
				'unknown method',
				makeZip([{ name: 'r.log', data: strToU8(receipt), method: 14, raw: strToU8('xx') }]),
			],
		];
		for (const [what, zip] of cases) {
			await assert.rejects(collect(unzipLogFiles(zip, CAPS)), siemError('corruptZip'), what);
		}
	});
});

describe('gzip (API 2.0 batch files)', () => {
	test('round trip, several members, and input that is already plain', () => {
		const text = '{"a":1}\n'.repeat(10_000);
		assert.equal(decodeUtf8(gunzip(gzipSync(strToU8(text)), CAPS)), text);
		const two = concat([gzipSync(strToU8('{"a":1}\n')), gzipSync(strToU8('{"b":2}\n'))]);
		assert.equal(decodeUtf8(gunzip(two, CAPS)), '{"a":1}\n{"b":2}\n');
		const plain = strToU8('{"a":1}\n');
		assert.equal(gunzip(plain, CAPS), plain);
		assert.equal(gunzip(new Uint8Array(0), CAPS).length, 0);
	});

	test('the cap holds on actual bytes', () => {
		// 64 MiB of zeros with its true length in the trailer, and a cap of 10 MiB.
		const zeros = concat([
			new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
			deflatedZeros(64 * MiB),
			new Uint8Array(8),
		]);
		assert.throws(
			() => gunzip(zeros, CAPS, 'batch_1.json.gz'),
			siemError('tooLarge', (e) => {
				assert.equal(e.fileName, 'batch_1.json.gz');
				assert.match(e.message, /10 MiB/);
			}),
		);
		assert.throws(
			() => gunzip(strToU8('x'.repeat(100)), { maxFileBytes: 10, maxTotalBytes: 10 }),
			siemError('tooLarge'),
		);
	});

	test('damage is corruptGzip', () => {
		const good = gzipSync(strToU8('{"a":1}\n'.repeat(100)));
		const badCrc = good.slice();
		badCrc[badCrc.length - 6] ^= 1;
		const badData = good.slice();
		badData[12] ^= 0xff;
		const cases: [string, Uint8Array][] = [
			['cut', good.subarray(0, good.length - 10)],
			['trailer missing', good.subarray(0, good.length - 8)],
			['bad checksum', badCrc],
			['damaged data', badData],
			['only a header', good.subarray(0, 12)],
			['junk after the member', concat([good, strToU8('junk')])],
		];
		for (const [what, data] of cases) {
			assert.throws(
				() => gunzip(data, CAPS, 'f.gz'),
				siemError('corruptGzip', (e) => assert.equal(e.fileName, 'f.gz')),
				what,
			);
		}
	});

	test('decodeUtf8 drops a byte order mark and survives bad bytes', () => {
		assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9])), 'aé');
		assert.equal(decodeUtf8(new Uint8Array([0x61, 0xff, 0x62])), 'a\ufffdb');
	});
});

describe('file names', () => {
	test('log type and time from the name', () => {
		const cases: [string, ReturnType<typeof parseSiemFileName>][] = [
			[
				'delivery_20160705162902600.log',
				{ filePrefix: 'delivery', fileTime: '2016-07-05T16:29:02.600Z' },
			],
			[
				'ttp_url_20211129153015541.json',
				{ filePrefix: 'ttp_url', fileTime: '2021-11-29T15:30:15.541Z' },
			],
			[
				'ttp_ap_20211129153015541.log',
				{ filePrefix: 'ttp_ap', fileTime: '2021-11-29T15:30:15.541Z' },
			],
			[
				'spameventthread_20211018093329655.log',
				{ filePrefix: 'spameventthread', fileTime: '2021-10-18T09:33:29.655Z' },
			],
			['jrnl_20211018093329655.json', { filePrefix: 'jrnl', fileTime: '2021-10-18T09:33:29.655Z' }],
			['av_20211018093329655.log', { filePrefix: 'av', fileTime: '2021-10-18T09:33:29.655Z' }],
			['iep_20211018093329655.log', { filePrefix: 'iep', fileTime: '2021-10-18T09:33:29.655Z' }],
			[
				'receipt_2_20211018093329655.log',
				{ filePrefix: 'receipt', fileTime: '2021-10-18T09:33:29.655Z' },
			],
			['dlp_20211018093329655.log', { filePrefix: 'dlp', fileTime: '2021-10-18T09:33:29.655Z' }],
			[
				'some_new_type_20211018093329655.log',
				{ filePrefix: 'some_new_type', fileTime: '2021-10-18T09:33:29.655Z' },
			],
			['process_20161318093329655.log', { filePrefix: 'process' }],
			['impersonation.log', { filePrefix: 'impersonation' }],
			[
				'8578FCFC-A305-4D9A-99CB-F4D5ECEFE297.zip',
				{ filePrefix: '8578FCFC-A305-4D9A-99CB-F4D5ECEFE297' },
			],
			[
				'dir/internal_20211018093329655.log',
				{ filePrefix: 'internal', fileTime: '2021-10-18T09:33:29.655Z' },
			],
		];
		for (const [name, expected] of cases) assert.deepEqual(parseSiemFileName(name), expected, name);
	});

	test('Content-Disposition', () => {
		const cases: [string | undefined, string | undefined][] = [
			['attachment; filename="delivery_20160705162902600.log"', 'delivery_20160705162902600.log'],
			['attachment; filename=delivery_20160705162902600.log', 'delivery_20160705162902600.log'],
			[
				'attachment;filename="8578FCFC-A305-4D9A-99CB-F4D5ECEFE297.zip"',
				'8578FCFC-A305-4D9A-99CB-F4D5ECEFE297.zip',
			],
			[
				'attachment; filename="fallback.log"; filename*=UTF-8\'\'r%C3%A9ceipt_1.log',
				'réceipt_1.log',
			],
			["attachment; filename*=utf-8'en'a%20b.log", 'a b.log'],
			['attachment; FILENAME="a;b.log"', 'a;b.log'],
			['attachment; filename="say \\"hi\\".log"', 'say "hi".log'],
			['attachment; filename="../../etc/passwd"', 'passwd'],
			['attachment', undefined],
			['', undefined],
			[undefined, undefined],
		];
		for (const [header, expected] of cases)
			assert.equal(parseContentDisposition(header), expected, String(header));
	});
});

describe('mc-siem-token', () => {
	test('the sample token decodes to its createTime', () => {
		const token = readSample('xsoar/lastTokenSiem.txt').trim();
		const decoded = JSON.parse(readSample('xsoar/lastTokenSiem.decoded.json')) as {
			createTime: number;
			siemlogtype: number;
		};
		assert.deepEqual(describeSiemToken(token), {
			createTime: new Date(decoded.createTime).toISOString(),
			filePrefixCode: decoded.siemlogtype,
		});
		assert.equal(describeSiemToken(`${token}\n`)?.createTime, '2022-06-02T12:43:07.743Z');
	});

	test('anything else gives undefined, never an exception', () => {
		const b64url = (bytes: Uint8Array) =>
			btoa(String.fromCharCode(...bytes))
				.replace(/\+/g, '-')
				.replace(/\//g, '_')
				.replace(/=+$/, '');
		assert.deepEqual(
			describeSiemToken(
				b64url(zlibSync(strToU8('{"createTime":"1654173787743","siemlogtype":"receipt"}'))),
			),
			{
				createTime: '2022-06-02T12:43:07.743Z',
				filePrefix: 'receipt',
			},
		);
		assert.deepEqual(describeSiemToken(b64url(zlibSync(strToU8('{"offset":1}')))), {});
		// Valid JSON, but a megabyte once inflated: a token is not allowed to cost that much.
		const padded = zlibSync(strToU8(`{"createTime":1654173787743,"pad":"${'a'.repeat(MiB)}"}`), {
			level: 9,
		});
		assert.ok(b64url(padded).length < 8192);
		assert.equal(describeSiemToken(b64url(padded)), undefined);
		for (const token of [
			'',
			'not a token',
			'eNo9jUELgjAYQP_Ldx60xTTyVi1a',
			b64url(strToU8('{"createTime":1}')),
			b64url(zlibSync(strToU8('not json'))),
			b64url(zlibSync(strToU8('[1,2]'))),
			b64url(zlibSync(new Uint8Array(10 * MiB))),
			'A'.repeat(100_000),
		]) {
			assert.equal(describeSiemToken(token), undefined, token.slice(0, 40));
		}
	});
});
