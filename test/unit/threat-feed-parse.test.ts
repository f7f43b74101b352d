import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { zipSync, strToU8 } from 'fflate';

import { feedRecords } from '../../nodes/Mimecast/threatFeed/body';
import { parsePipeCsv } from '../../nodes/Mimecast/threatFeed/csv';
import { FeedFormatError } from '../../nodes/Mimecast/threatFeed/errors';
import { parseStixPattern } from '../../nodes/Mimecast/threatFeed/pattern';
import { indicatorsFromBundle } from '../../nodes/Mimecast/threatFeed/stix';
import { Rng } from '../emulator/prng';

const CAPS = { maxFileBytes: 1 << 20, maxTotalBytes: 4 << 20 };
const SHA256 = 'ec5a6c52acdc187fc6c1187f14cd685c686c2b283503a023c4a9d3a977b491be';

describe('STIX pattern', () => {
	const cases: Array<[string, string, string]> = [
		[`[file:hashes.'SHA-256' = '${SHA256}']`, 'sha256', SHA256],
		[`[file:hashes."SHA-256" = '${SHA256.toUpperCase()}']`, 'sha256', SHA256],
		[`[file:hashes.SHA256 = '${SHA256}']`, 'sha256', SHA256],
		[`[file:hashes.sha_256 = '${SHA256}']`, 'sha256', SHA256],
		[
			`[file:hashes.MD5 = '0cc175b9c0f1b6a831c399e269772661']`,
			'md5',
			'0cc175b9c0f1b6a831c399e269772661',
		],
		[
			`[file:hashes.'MD5' = '0cc175b9c0f1b6a831c399e269772661']`,
			'md5',
			'0cc175b9c0f1b6a831c399e269772661',
		],
		[
			`[file:hashes.'SHA-1' = '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8']`,
			'sha1',
			'86f7e437faa5a7fce15d1ddcb9eaeaea377667b8',
		],
		[
			`[file:hashes.SHA1 = '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8']`,
			'sha1',
			'86f7e437faa5a7fce15d1ddcb9eaeaea377667b8',
		],
		[
			`[url:value = 'http://bad.example.com/a?b=c&d=\\'e\\'']`,
			'url',
			"http://bad.example.com/a?b=c&d='e'",
		],
		[`[domain-name:value = 'bad.example.com']`, 'domain', 'bad.example.com'],
		[`[ipv4-addr:value = '198.51.100.7']`, 'ipv4', '198.51.100.7'],
		[`[ipv6-addr:value = '2001:db8::1']`, 'ipv6', '2001:db8::1'],
		[`[email-addr:value = 'phisher@bad.example.com']`, 'email', 'phisher@bad.example.com'],
		[` [ file:hashes.'SHA-256'='${SHA256}' ] `, 'sha256', SHA256],
	];
	for (const [pattern, type, value] of cases) {
		test(`${pattern.trim().slice(0, 40)}… is ${type}`, () => {
			assert.deepEqual(parseStixPattern(pattern), { indicatorType: type, value });
		});
	}

	test('patterns it cannot read are kept whole as unknown', () => {
		for (const pattern of [
			`[file:hashes.MD5 = 'a' OR file:hashes.'SHA-256' = 'b']`,
			`[file:name = 'invoice.exe']`,
			`[file:hashes.'SSDEEP' = '3:a:b']`,
			`[x-custom:value = 'y']`,
			'not a pattern',
			'',
		]) {
			assert.deepEqual(parseStixPattern(pattern), { indicatorType: 'unknown', value: pattern });
		}
	});
});

/** Shaped like Mimecast's recorded STIX answer (mimecast-api-more.md §4), values our own. */
function bundle(objects: unknown[]): unknown {
	return {
		type: 'bundle',
		id: 'bundle--0b6e0f52-1d2c-4b7a-9d8e-3c1f2a4b5c6d',
		spec_version: '2.0',
		objects,
	};
}
const malware = (id: string, name: string) => ({
	type: 'malware',
	id: `malware--${id}`,
	created: '2026-11-19T01:28:37.099Z',
	modified: '2026-11-19T01:28:37.099Z',
	name,
	labels: ['virus'],
});
const indicator = (id: string, pattern: string, modified = '2026-11-19T01:28:37.099Z') => ({
	type: 'indicator',
	id: `indicator--${id}`,
	created: modified,
	modified,
	labels: ['malicious-activity'],
	pattern,
	valid_from: modified,
});
const relationship = (id: string, source: string, target: string) => ({
	type: 'relationship',
	id: `relationship--${id}`,
	created: '2026-11-19T01:28:37.099Z',
	modified: '2026-11-19T01:28:37.099Z',
	relationship_type: 'indicates',
	source_ref: source,
	target_ref: target,
});

describe('STIX bundle', () => {
	test('one item per indicator, pattern parsed, the malware name (email subject) joined in', () => {
		const items = indicatorsFromBundle(
			bundle([
				malware('m1', 'Transaction notice'),
				indicator('i1', `[file:hashes.'SHA-256' = '${SHA256}']`),
				relationship('r1', 'indicator--i1', 'malware--m1'),
				malware('m2', 'Business Proposal_Final'),
				indicator('i2', `[url:value = 'http://bad.example.com/x']`, '2026-11-19T02:00:00.000Z'),
				// Written the other way round: still the same link.
				relationship('r2', 'malware--m2', 'indicator--i2'),
				indicator('i3', `[file:hashes.MD5 = '0cc175b9c0f1b6a831c399e269772661']`),
			]),
		);
		assert.deepEqual(items, [
			{
				indicatorType: 'sha256',
				value: SHA256,
				malwareName: 'Transaction notice',
				...indicator('i1', `[file:hashes.'SHA-256' = '${SHA256}']`),
			},
			{
				indicatorType: 'url',
				value: 'http://bad.example.com/x',
				malwareName: 'Business Proposal_Final',
				...indicator('i2', `[url:value = 'http://bad.example.com/x']`, '2026-11-19T02:00:00.000Z'),
			},
			{
				indicatorType: 'md5',
				value: '0cc175b9c0f1b6a831c399e269772661',
				malwareName: null,
				...indicator('i3', `[file:hashes.MD5 = '0cc175b9c0f1b6a831c399e269772661']`),
			},
		]);
	});

	test('an empty bundle is no data', () => {
		assert.deepEqual(indicatorsFromBundle(bundle([])), []);
	});

	test('a body that is not a bundle, or an indicator without an id, is a clear error', () => {
		assert.throws(
			() => indicatorsFromBundle({ data: [] }, 'f.stix'),
			/not a bundle with an "objects" list \(in "f.stix"\)/,
		);
		assert.throws(() => indicatorsFromBundle({ type: 'report', objects: [] }), FeedFormatError);
		assert.throws(
			() => indicatorsFromBundle(bundle([{ type: 'indicator', pattern: "[url:value = 'x']" }])),
			/STIX object #1 is an indicator without an id/,
		);
	});
});

describe('pipe-delimited CSV', () => {
	const HEADER = 'Timestamp|SenderAddress|FileName|FileSize|SHA256|MD5|SendingIP|FileMimeType';

	test('one object per row keyed by the header; quoted | and "" survive; unquoted null is null', () => {
		const text = `${HEADER}\r\n2026-11-16T12:03:24+0000|a@bad.example.com|"inv|oice ""Q3"".pdf"|1024|${SHA256}|null|198.51.100.7|application/pdf\r\n2026-11-16T12:04:00+0000|b@bad.example.com|"null"|2048|null|0cc175b9c0f1b6a831c399e269772661||application/zip`;
		assert.deepEqual(parsePipeCsv(text), [
			{
				Timestamp: '2026-11-16T12:03:24+0000',
				SenderAddress: 'a@bad.example.com',
				FileName: 'inv|oice "Q3".pdf',
				FileSize: '1024',
				SHA256,
				MD5: null,
				SendingIP: '198.51.100.7',
				FileMimeType: 'application/pdf',
			},
			{
				Timestamp: '2026-11-16T12:04:00+0000',
				SenderAddress: 'b@bad.example.com',
				FileName: 'null',
				FileSize: '2048',
				SHA256: null,
				MD5: '0cc175b9c0f1b6a831c399e269772661',
				SendingIP: '',
				FileMimeType: 'application/zip',
			},
		]);
	});

	test('a quoted field may span lines; blank lines and a trailing newline add nothing', () => {
		assert.deepEqual(parsePipeCsv('\ufeffA|B\n\n"x\ny"|2\n\n'), [{ A: 'x\ny', B: '2' }]);
	});

	test('header only, or nothing, is no data', () => {
		assert.deepEqual(parsePipeCsv(`${HEADER}\n`), []);
		assert.deepEqual(parsePipeCsv(HEADER), []);
		assert.deepEqual(parsePipeCsv(''), []);
	});

	test('rows that do not fit the header are refused with the line number', () => {
		assert.throws(
			() => parsePipeCsv('A|B\n1|2\n1|2|3\n', 'feed.csv'),
			/CSV line 3 has 3 fields where the header has 2 \(in "feed.csv"\)/,
		);
		assert.throws(
			() => parsePipeCsv('A|B\n"open|2\n'),
			/CSV line 2 has a quoted field that is never closed/,
		);
		assert.throws(() => parsePipeCsv('A|B\n"x"y|2\n'), /CSV line 2 has text after a closing quote/);
		assert.throws(() => parsePipeCsv('A|A\n1|2\n'), /repeated \(A\) column name/);
	});
});

describe('feed answer bodies', () => {
	const stix = JSON.stringify(bundle([indicator('i1', `[file:hashes.'SHA-256' = '${SHA256}']`)]));
	const csv = `Timestamp|SHA256\n2026-11-16T12:03:24+0000|${SHA256}\n`;

	test('STIX JSON, CSV text and a zip of both are read by content', async () => {
		assert.equal((await feedRecords(strToU8(stix), 'stix', CAPS))[0].value, SHA256);
		assert.deepEqual(await feedRecords(strToU8(csv), 'csv', CAPS), [
			{ Timestamp: '2026-11-16T12:03:24+0000', SHA256 },
		]);
		const zip = zipSync({
			'malware_customer_stix_20261119012837099.stix': strToU8(stix),
			'b.csv': strToU8(csv),
		});
		const records = await feedRecords(zip, 'stix', CAPS);
		assert.deepEqual(
			records.map((r) => r.value ?? r.SHA256),
			[SHA256, SHA256],
		);
	});

	test('an empty body is no data; text where STIX was asked for and cut-off JSON are errors', async () => {
		assert.deepEqual(await feedRecords(new Uint8Array(0), 'stix', CAPS), []);
		await assert.rejects(
			feedRecords(strToU8('<html>oops</html>'), 'stix', CAPS),
			/not a STIX bundle where STIX was asked for/,
		);
		await assert.rejects(
			feedRecords(strToU8(stix.slice(0, 60)), 'stix', CAPS),
			/not complete JSON .* it may be cut off/,
		);
	});

	test('the zip reader keeps its caps and path checks', async () => {
		const zip = zipSync({ '../evil.csv': strToU8(csv) });
		await assert.rejects(feedRecords(zip, 'csv', CAPS), (error: Error) =>
			/evil/.test(error.message),
		);
		const big = zipSync({ 'a.csv': strToU8(`A\n${'x'.repeat(2 << 20)}\n`) });
		await assert.rejects(
			feedRecords(big, 'csv', CAPS),
			(error: Error) => (error as { kind?: string }).kind === 'tooLarge',
		);
	});
});

describe('parsers under fuzzing (seeded): only clear errors', () => {
	const ALPHABET = [
		'a',
		'b',
		'|',
		'"',
		'""',
		'\n',
		'\r\n',
		'\r',
		'null',
		' ',
		'é',
		'\u0000',
		'{',
		'}',
	];

	test('CSV: random text either parses into rows of the header width or throws FeedFormatError', () => {
		const rng = new Rng(12);
		for (let run = 0; run < 3000; run++) {
			let text = '';
			const n = rng.int(0, 40);
			for (let i = 0; i < n; i++) text += rng.pick(ALPHABET);
			try {
				const rows = parsePipeCsv(text);
				for (const row of rows) assert.equal(Object.keys(row).length, Object.keys(rows[0]).length);
			} catch (error) {
				assert.ok(
					error instanceof FeedFormatError,
					`run ${run} ${JSON.stringify(text)}: ${String(error)}`,
				);
			}
		}
	});

	test('CSV: quoting any field value round-trips', () => {
		const rng = new Rng(13);
		for (let run = 0; run < 500; run++) {
			const values = Array.from({ length: 3 }, () =>
				Array.from({ length: rng.int(0, 6) }, () => rng.pick(ALPHABET)).join(''),
			);
			const line = values.map((v) => `"${v.replace(/"/g, '""')}"`).join('|');
			assert.deepEqual(
				parsePipeCsv(`A|B|C\n${line}\n`),
				[{ A: values[0], B: values[1], C: values[2] }],
				JSON.stringify(values),
			);
		}
	});

	test('STIX: random JSON values either give items or throw FeedFormatError', () => {
		const rng = new Rng(14);
		const anyValue = (depth: number): unknown => {
			const choice = rng.int(0, depth > 2 ? 3 : 6);
			if (choice === 0) return null;
			if (choice === 1) return rng.int(-5, 5);
			if (choice === 2)
				return rng.pick([
					'indicator',
					'malware',
					'relationship',
					'bundle',
					"[url:value = 'x']",
					'indicator--i1',
					'malware--m1',
				]);
			if (choice === 3) return rng.chance(0.5);
			if (choice === 4) return Array.from({ length: rng.int(0, 4) }, () => anyValue(depth + 1));
			const keys = [
				'type',
				'id',
				'objects',
				'pattern',
				'name',
				'source_ref',
				'target_ref',
				'modified',
			];
			return Object.fromEntries(
				Array.from({ length: rng.int(0, 6) }, () => [rng.pick(keys), anyValue(depth + 1)]),
			);
		};
		for (let run = 0; run < 3000; run++) {
			const value = rng.chance(0.7)
				? { type: 'bundle', objects: Array.from({ length: rng.int(0, 5) }, () => anyValue(1)) }
				: anyValue(0);
			try {
				for (const item of indicatorsFromBundle(value)) {
					assert.equal(typeof item.id, 'string');
					assert.equal(typeof item.indicatorType, 'string');
				}
			} catch (error) {
				assert.ok(
					error instanceof FeedFormatError,
					`run ${run} ${JSON.stringify(value)}: ${String(error)}`,
				);
			}
		}
	});
});
