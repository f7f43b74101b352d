import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import { runNode } from '../helpers/n8n';
import {
	asStrings,
	assertForbiddenExplained,
	assertRefusedUnsent,
	batchRequests,
	decodeV1Token,
	eventsOf,
	fileRequests,
	CI_BATCH_PATH,
	CI_TYPES,
	SIEM_TEST_RETRIES,
	V2_TYPES,
	v1Requests,
	v1Truth,
	siemActionRunner,
	warningsOf,
} from './siem-support';
import { MimecastSiemLogs } from '../../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { useFastRetries } from '../helpers/fastRetries';

useFastRetries(SIEM_TEST_RETRIES);

const V1_FILES = 45;
const V1_EVENTS_PER_FILE = 7;

describe('Mimecast SIEM Logs node, API 1.0 (token chain)', () => {
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({
			seed: 41,
			tenant: { siemFiles: V1_FILES, siemEventsPerFile: V1_EVENTS_PER_FILE, days: 2 },
		});
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const run = siemActionRunner(() => emu, 'apiKeys');

	it('walks the whole chain: every event once, in chain order, with its log type, file and resume token', async () => {
		const items = await run({ returnAll: true });
		const truth = v1Truth(emu);
		assert.equal(truth.length, V1_FILES * V1_EVENTS_PER_FILE);
		assert.equal(items.length, truth.length);
		assert.deepEqual(
			eventsOf(items),
			truth.map((t) => t.event),
		);
		for (const [i, item] of items.entries()) {
			assert.deepEqual(Object.keys(item.json), ['logType', 'fileName', 'resumeToken', 'event']);
			assert.equal(item.json.logType, truth[i].logType);
			assert.equal(item.json.fileName, `${truth[i].file}.json`);
			assert.deepEqual(item.pairedItem, { item: 0 });
		}
		// One zip per call, up to ten files each, then the isLastToken answer.
		const requests = v1Requests(emu);
		assert.equal(requests.length, Math.ceil(V1_FILES / 10) + 1);
		for (const [i, request] of requests.entries()) {
			const data = (request.body as IDataObject).data as IDataObject[];
			assert.equal(data.length, 1);
			assert.equal(data[0].type, 'MTA');
			assert.equal(data[0].fileFormat, 'json');
			assert.equal(data[0].compress, true);
			if (i === 0) assert.equal('token' in data[0], false, 'no token: the earliest file');
			else assert.equal(typeof data[0].token, 'string');
			assert.match(request.headers.authorization, /^MC [^:]+:.+/);
		}
		// At the end, the resume token is Mimecast's own token: the one sent for the isLastToken call.
		const lastToken = ((requests.at(-1)!.body as IDataObject).data as IDataObject[])[0].token;
		assert.equal(items.at(-1)!.json.resumeToken, lastToken);
		assert.ok(!String(lastToken).includes(':'));
		assert.equal(decodeV1Token(String(lastToken))?.siemlogid, emu.data.siemFiles().at(-1)!.id);
	});

	it('gives the same events one plain file per call (Compress off)', async () => {
		const items = await run({ returnAll: true, options: { compress: false } });
		assert.deepEqual(
			eventsOf(items),
			v1Truth(emu).map((t) => t.event),
		);
		const requests = v1Requests(emu);
		assert.equal(requests.length, V1_FILES + 1);
		assert.ok(
			requests.every((r) => ((r.body as IDataObject).data as IDataObject[])[0].compress === false),
		);
		// Each file boundary is a plain Mimecast token.
		const boundaries = items
			.filter((_, i) => (i + 1) % V1_EVENTS_PER_FILE === 0)
			.map((i) => String(i.json.resumeToken));
		assert.ok(
			boundaries.every((t) => !t.includes(':')),
			'file boundaries carry the plain mc-siem-token',
		);
		assert.ok(
			items
				.filter((_, i) => (i + 1) % V1_EVENTS_PER_FILE !== 0)
				.every((i) => /:\d+$/.test(String(i.json.resumeToken))),
		);
	});

	it('reads key_value files into the same events (values as strings unless Typed Values is on)', async () => {
		const json = eventsOf(await run({ returnAll: true }));
		emu.clearRequests();
		const keyValue = await run({ returnAll: true, fileFormat: 'keyValue' });
		assert.equal(
			((v1Requests(emu)[0].body as IDataObject).data as IDataObject[])[0].fileFormat,
			'key_value',
		);
		assert.equal(keyValue[0].json.fileName, `${emu.data.siemFiles()[0].name}.log`);
		const kvEvents = eventsOf(keyValue);
		assert.deepEqual(kvEvents.map(asStrings), json.map(asStrings));
		assert.ok(
			kvEvents.every((e) =>
				Object.values(e).every(
					(v) => typeof v === 'string' || (typeof v === 'object' && v !== null),
				),
			),
			'no numbers or booleans',
		);
		const typed = eventsOf(
			await run({
				returnAll: true,
				fileFormat: 'keyValue',
				options: { typedValues: true, compress: false },
			}),
		);
		assert.deepEqual(typed.map(asStrings), json.map(asStrings));
		assert.ok(
			typed.some((e) => Object.values(e).some((v) => typeof v === 'number')),
			'numbers come out as numbers',
		);
	});

	it('stops at the limit and its resume token continues exactly, across zips, plain files and formats', async () => {
		const truth = v1Truth(emu).map((t) => t.event);
		const limits = [7, 13, 1, 30, 9, 71, 5];
		const got: IDataObject[] = [];
		let token = '';
		for (let runIndex = 0; runIndex < 100; runIndex++) {
			const limit = limits[runIndex % limits.length];
			const compress = runIndex % 3 !== 2;
			const items = await run({ startToken: token, limit, options: { compress } });
			if (items.length === 0) break;
			assert.ok(items.length <= limit);
			got.push(...eventsOf(items));
			token = String(items.at(-1)!.json.resumeToken);
		}
		assert.equal(got.length, truth.length, 'no event lost or repeated');
		assert.deepEqual(got, truth);
	});

	it('stops at Max Events per Run and Max Size per Run with Return All, resumable', async () => {
		const truth = v1Truth(emu).map((t) => t.event);
		const first = await run({ returnAll: true, options: { maxEventsPerRun: 40 } });
		assert.equal(first.length, 40);
		const rest = await run({ returnAll: true, startToken: String(first.at(-1)!.json.resumeToken) });
		assert.deepEqual([...eventsOf(first), ...eventsOf(rest)], truth);

		emu.clearRequests();
		const small = await run({
			returnAll: true,
			options: { maxBytesPerRun: 0.01, compress: false },
		});
		assert.ok(small.length > 0 && small.length < truth.length, `stopped early (${small.length})`);
		assert.equal(small.length % V1_EVENTS_PER_FILE, 0, 'stops at a file boundary');
		assert.ok(v1Requests(emu).length < V1_FILES, 'stopped fetching');
		const after = await run({
			returnAll: true,
			startToken: String(small.at(-1)!.json.resumeToken),
		});
		assert.deepEqual([...eventsOf(small), ...eventsOf(after)], truth);
	});

	it('returns one binary item per log file with Output Files', async () => {
		for (const compress of [true, false]) {
			const items = await run({ returnAll: true, output: 'files', options: { compress } });
			const files = emu.data.siemFiles();
			assert.equal(items.length, files.length);
			for (const [i, item] of items.entries()) {
				assert.equal(item.json.fileName, `${files[i].name}.json`);
				assert.equal(item.json.eventCount, V1_EVENTS_PER_FILE);
				assert.equal(item.binary?.data.fileName, `${files[i].name}.json`);
				assert.equal(item.binary?.data.mimeType, 'application/json');
				const content = JSON.parse(
					Buffer.from(item.binary!.data.data, 'base64').toString('utf8'),
				) as IDataObject;
				assert.deepEqual(content.data, files[i].events);
			}
			assert.ok(!String(items.at(-1)!.json.resumeToken).includes(':'));
		}
		const limited = await run({ limit: 3, output: 'files' });
		assert.equal(limited.length, 3);
		const rest = await run({
			returnAll: true,
			output: 'files',
			startToken: String(limited.at(-1)!.json.resumeToken),
		});
		assert.equal(limited.length + rest.length, emu.data.siemFiles().length);
	});

	it('asks again when an answer is cut off on the wire, rather than reading a short file', async () => {
		for (const compress of [false, true]) {
			emu.clearRequests();
			emu.faults.inject({ kind: 'truncated', path: '/api/audit/get-siem-logs', times: 2 });
			const items = await run({ returnAll: true, options: { compress } });
			assert.deepEqual(warningsOf(items), []);
			assert.deepEqual(
				eventsOf(items),
				v1Truth(emu).map((t) => t.event),
			);
			assert.equal(v1Requests(emu).filter((r) => r.fault === 'truncated').length, 2);
		}
	});

	it('skips a truncated file with a warning naming it and its retry token, and goes on', async () => {
		const truth = v1Truth(emu);
		emu.faults.inject({ kind: 'corruptSiemFile', path: '/api/audit/get-siem-logs' });
		const items = await run({ returnAll: true, options: { compress: false } });
		const warnings = warningsOf(items);
		assert.equal(warnings.length, 1);
		const bad = emu.data.siemFiles()[0];
		assert.equal(warnings[0].fileName, `${bad.name}.json`);
		assert.equal(warnings[0].logType, bad.filePrefix);
		assert.match(String(warnings[0].warning), new RegExp(`${bad.name}\\.json.*truncated`));
		assert.deepEqual(Object.keys(warnings[0]), [
			'warning',
			'fileName',
			'logType',
			'retryToken',
			'resumeToken',
		]);
		assert.equal(warnings[0].retryToken, '', 'the first file is fetched again without a token');
		assert.deepEqual(
			eventsOf(items),
			truth.filter((t) => t.id !== bad.id).map((t) => t.event),
			'the chain went on',
		);
		// The retry token fetches the file again (the damage was transient here).
		const again = await run({
			limit: V1_EVENTS_PER_FILE,
			startToken: String(warnings[0].retryToken),
			options: { compress: false },
		});
		assert.deepEqual(eventsOf(again), bad.events);
	});

	it('skips a broken zip with a warning, and fails instead when On Corrupt File is Stop', async () => {
		emu.faults.inject({ kind: 'corruptSiemFile', path: '/api/audit/get-siem-logs' });
		const items = await run({ returnAll: true });
		const warnings = warningsOf(items);
		assert.equal(warnings.length, 1);
		assert.match(String(warnings[0].fileName), /\.zip$/);
		assert.match(String(warnings[0].warning), /zip/);
		const skipped = emu.data
			.siemFiles()
			.slice(0, 10)
			.map((f) => f.id);
		assert.deepEqual(
			eventsOf(items),
			v1Truth(emu)
				.filter((t) => !skipped.includes(t.id))
				.map((t) => t.event),
		);
		assert.equal(decodeV1Token(String(warnings[0].resumeToken))?.siemlogid, skipped.at(-1));

		emu.faults.inject({ kind: 'corruptSiemFile', path: '/api/audit/get-siem-logs' });
		await assert.rejects(
			run({ returnAll: true, options: { onCorruptFile: 'error' } }),
			(error: Error & { description?: string }) => {
				assert.match(error.message, /Could not read SIEM file ".*\.zip"/);
				assert.match(String(error.description), /Start Token/);
				return true;
			},
		);
	});

	it('refuses a zip whose entries carry paths, by name', async () => {
		emu.faults.inject({ kind: 'zipSlip', path: '/api/audit/get-siem-logs' });
		const items = await run({ returnAll: true });
		const warnings = warningsOf(items);
		assert.equal(warnings.length, 1);
		assert.match(String(warnings[0].fileName), /^\.\.\/\.\.\//);
		assert.match(String(warnings[0].warning), /"\.\.\/\.\.\/[a-z_]+_\d{17}\.json".*path/);
		assert.ok(
			items.every((i) => !String(i.json.fileName).includes('/') || i.json.warning),
			'no event carries a path',
		);

		emu.faults.inject({ kind: 'zipSlip', path: '/api/audit/get-siem-logs' });
		await assert.rejects(
			run({ returnAll: true, options: { onCorruptFile: 'error' } }),
			/\.\.\/\.\.\//,
		);
	});

	it('shows Source only with API 2.0, and a notice in its place with API 1.0 (which reads the gateway logs)', async () => {
		const properties = new MimecastSiemLogs().description.properties;
		const source = properties.find((p) => p.name === 'source')!;
		assert.deepEqual(source.displayOptions, { show: { authentication: ['oAuth2'] } });
		assert.deepEqual(
			source.options!.map((o) => (o as { value: string }).value),
			['gateway', 'cloudIntegrated'],
		);
		const notice = properties.find((p) => p.name === 'sourceNotice')!;
		assert.equal(notice.type, 'notice');
		assert.deepEqual(notice.displayOptions, { show: { authentication: ['apiKeys'] } });
		assert.match(notice.displayName, /API 2\.0 only/);
		// A hidden Source does not change what API 1.0 reads.
		const items = await run({ returnAll: false, limit: 3, source: 'cloudIntegrated' });
		assert.deepEqual(
			eventsOf(items),
			v1Truth(emu)
				.slice(0, 3)
				.map((t) => t.event),
		);
	});

	it('refuses a zip bomb with an error naming the file and the cap', async () => {
		emu.faults.inject({ kind: 'zipBomb', path: '/api/audit/get-siem-logs' });
		const started = Date.now();
		await assert.rejects(run({ returnAll: true }), (error: Error & { description?: string }) => {
			assert.match(error.message, /Refused SIEM file/);
			assert.match(error.message, new RegExp(`${emu.data.siemFiles()[0].name}\\.json`));
			assert.match(error.message, /256 MiB/);
			assert.match(String(error.description), /Max File Size/);
			return true;
		});
		assert.ok(Date.now() - started < 5_000, 'refused without inflating a gigabyte');
		// A smaller bomb under the per-file cap but over a small run cap is refused by the run cap.
		emu.faults.inject({ kind: 'zipBomb', path: '/api/audit/get-siem-logs', bombBytes: 8 << 20 });
		await assert.rejects(run({ returnAll: true, options: { maxBytesPerFile: 4 } }), /4 MiB/);
	});

	it('names the permission and Enhanced Logging when Mimecast answers 403, and leaks no secret', async () => {
		emu.faults.inject({ kind: '403', path: '/api/audit/get-siem-logs' });
		await assertForbiddenExplained(
			emu,
			async () => await run({ returnAll: true }),
			[
				/Gateway \| Tracking \| Read/,
				/Enhanced Logging/,
				/Administration \| Account \| Account Settings/,
			],
			async () => await run({ returnAll: true }),
		);
	});

	it('refuses bad input before sending anything, naming the field', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ startToken: 'not a token!' }, /'Start Token' is not a SIEM token/],
			[{ startToken: 'eyJ2IjoyLCJ0Ijp7fX0' }, /'Start Token' is a resume token of API 2\.0/],
			[{ limit: 0 }, /'Limit'/],
			[{ fileFormat: 'xml' }, /File Format/],
			[{ output: 'csv' }, /Output/],
			[{ options: { onCorruptFile: 'ignore' } }, /On Corrupt File/],
			[{ options: { maxEventsPerRun: 0 } }, /Max Events per Run/],
			[{ options: { maxBytesPerFile: -1 } }, /Max File Size/],
		];
		await assertRefusedUnsent(emu, run, cases);
	});

	it('runs each input item on its own and keeps going with Continue On Fail', async () => {
		const items = await runNode(new MimecastSiemLogs(), {
			parameters: { authentication: 'apiKeys', limit: 2, startToken: '={{ $json.token }}' },
			credentials: credentialsFor(emu, 'apiKeys'),
			input: [{ json: { token: '' } }, { json: { token: 'bad token' } }],
			continueOnFail: true,
		});
		assert.equal(items.length, 3);
		assert.deepEqual(
			items.map((i) => (i.pairedItem as { item: number }).item),
			[0, 0, 1],
		);
		assert.match(String(items[2].json.error), /Start Token/);
	});
});

describe('Mimecast SIEM Logs node, API 2.0 (batch files)', () => {
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({
			seed: 42,
			tenant: { siemFiles: 0, batchFilesPerType: 4, batchEventsPerFile: 6, days: 2 },
		});
		// More files than one listing page (100) for one type.
		emu.data.addBatchFiles('delivery', 103, { events: 3 });
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const run = siemActionRunner(() => emu, 'oAuth2');
	const truthByType = () => V2_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never));

	it('drains every log type, one type after the other, from the pre-signed gzip files', async () => {
		const items = await run({ returnAll: true });
		assert.deepEqual(eventsOf(items), truthByType());
		for (const item of items) {
			assert.deepEqual(Object.keys(item.json), ['logType', 'fileName', 'resumeToken', 'event']);
			assert.equal(item.json.logType, (item.json.event as IDataObject).type);
			assert.match(String(item.json.fileName), /\.json\.gz$/);
		}
		const today = new Date().toISOString().slice(0, 10);
		const oldest = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
		const listings = batchRequests(emu);
		assert.deepEqual(
			[...new Set(listings.map((r) => r.query.type))],
			V2_TYPES.map((t) => t.api),
		);
		for (const request of listings) {
			assert.equal(request.method, 'GET');
			assert.equal(request.query.dateRangeStartsAt, oldest);
			assert.equal(request.query.dateRangeEndsAt, today);
			assert.equal(request.query.pageSize, '100');
			assert.match(request.headers.authorization, /^Bearer /);
		}
		const delivery = listings.filter((r) => r.query.type === 'delivery');
		assert.equal(delivery.length, 2, 'a second page for 107 delivery files');
		assert.equal(delivery[0].query.nextPage, undefined);
		assert.ok(delivery[1].query.nextPage);
		const files = fileRequests(emu);
		assert.equal(files.length, emu.data.batchFiles().length);
		assert.ok(
			files.every((r) => r.headers.authorization === undefined),
			'pre-signed links get no credentials',
		);
	});

	it('reads only the chosen log types, mapped to Mimecast type names', async () => {
		const items = await run({ returnAll: true, logTypes: ['internalEmailProtect', 'av'] });
		assert.deepEqual(eventsOf(items), [
			...emu.data.batchEvents('av'),
			...emu.data.batchEvents('internal email protect'),
		]);
		assert.deepEqual(
			[...new Set(batchRequests(emu).map((r) => r.query.type))],
			['av', 'internal email protect'],
		);
	});

	it('Source Cloud Integrated reads entities, mailflow and URL click files from /ci, and its tokens are its own', async () => {
		const ciTruth = CI_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never));
		assert.ok(ciTruth.length > 0);
		const items = await run({ returnAll: true, source: 'cloudIntegrated' });
		assert.deepEqual(eventsOf(items), ciTruth);
		const paths = new Set(
			emu.requests.filter((r) => r.path.startsWith('/siem/')).map((r) => r.path),
		);
		assert.deepEqual([...paths], [CI_BATCH_PATH]);
		assert.deepEqual(
			[...new Set(emu.requests.filter((r) => r.path === CI_BATCH_PATH).map((r) => r.query.type))],
			['entities', 'mailflow', 'urlclick'],
		);
		// Mimecast's quirks come through as they are.
		const events = eventsOf(items);
		assert.ok(events.some((e) => e.tags === null) && events.some((e) => e.senderEnvelope === ''));
		const directions = new Set(events.map((e) => e.direction).filter(Boolean));
		assert.ok(
			[...directions].some((d) => d === String(d).toUpperCase()) &&
				[...directions].some((d) => d !== String(d).toUpperCase()),
		);

		// A limit and its resume token continue exactly, within the same Source.
		const first = await run({
			returnAll: false,
			limit: 7,
			source: 'cloudIntegrated',
			logTypes: ['mailflow'],
		});
		const rest = await run({
			returnAll: true,
			source: 'cloudIntegrated',
			logTypes: ['mailflow'],
			startToken: first.at(-1)!.json.resumeToken as string,
		});
		assert.deepEqual([...eventsOf(first), ...eventsOf(rest)], emu.data.batchEvents('mailflow'));
		// A gateway token is not a Cloud Integrated position, nor the other way round.
		const gateway = await run({ returnAll: false, limit: 1, logTypes: ['av'] });
		emu.clearRequests();
		await assert.rejects(
			run({
				returnAll: true,
				source: 'cloudIntegrated',
				startToken: gateway[0].json.resumeToken as string,
			}),
			/not a resume token of API 2\.0/,
		);
		await assert.rejects(
			run({ returnAll: true, startToken: first.at(-1)!.json.resumeToken as string }),
			/not a resume token of API 2\.0/,
		);
		assert.equal(emu.requests.length, 0, 'refused before sending');
	});

	it('lists the page again when a file link has expired, and goes on with fresh links', async () => {
		// One file at a time, the first file's link expires twice: listed again twice.
		// Four at a time (the default), the first two downloads of the same listing expire: the
		// page is listed again once and every file of it is fetched from the fresh listing.
		for (const [downloadConcurrency, listings] of [
			[1, 3],
			[4, 2],
		]) {
			emu.clearRequests();
			emu.faults.inject({ kind: 'expiredFileUrl', path: /^\/siem-files\//, times: 2 });
			const items = await run({
				returnAll: true,
				logTypes: ['receipt', 'process'],
				options: { downloadConcurrency },
			});
			assert.deepEqual(eventsOf(items), [
				...emu.data.batchEvents('receipt'),
				...emu.data.batchEvents('process'),
			]);
			const receiptListings = batchRequests(emu).filter((r) => r.query.type === 'receipt');
			assert.equal(receiptListings.length, listings, `concurrency ${downloadConcurrency}`);
			assert.equal(warningsOf(items).length, 0);
		}
	});

	it('keeps reading when links expire on their own while a page is being read', async () => {
		// Links that live 150 ms while every answer takes 20 ms: a page of 30 files outlives its
		// links on an idle machine as on a loaded one (wall time alone made this flaky both ways).
		const shortLived = await startEmulator({
			seed: 43,
			tenant: { siemFiles: 0, batchFilesPerType: 0 },
			fileUrlTtlMs: 150,
			latency: 20,
		});
		try {
			shortLived.data.addBatchFiles('attachment protect', 30, { events: 2 });
			const items = await runNode(new MimecastSiemLogs(), {
				parameters: { authentication: 'oAuth2', returnAll: true, logTypes: ['attachmentProtect'] },
				credentials: credentialsFor(shortLived, 'oAuth2'),
			});
			assert.deepEqual(eventsOf(items), shortLived.data.batchEvents('attachment protect'));
			const expired = fileRequests(shortLived).filter((r) => r.status === 403).length;
			assert.ok(expired > 0, 'some links expired');
			// Downloads run four at a time: links of one listing expiring together cost one relist.
			const listings = batchRequests(shortLived).length;
			assert.ok(
				listings > 1 && listings <= 1 + expired,
				`at most one listing more per expired link (${listings} listings, ${expired} expired)`,
			);
		} finally {
			await shortLived.close();
		}
	});

	it('stops at the limit and its resume token continues exactly', async () => {
		const truth = truthByType();
		const got: IDataObject[] = [];
		let token = '';
		const limits = [11, 4, 57, 1, 200];
		for (let runIndex = 0; runIndex < 200; runIndex++) {
			const items = await run({ startToken: token, limit: limits[runIndex % limits.length] });
			if (items.length === 0) break;
			got.push(...eventsOf(items));
			token = String(items.at(-1)!.json.resumeToken);
		}
		assert.deepEqual(got, truth);
		// Caught up: the token still works and now yields only new files.
		const added = emu.data.addBatchFiles('journal', 2, { events: 4 });
		const later = await run({ startToken: token, returnAll: true });
		assert.deepEqual(
			eventsOf(later),
			added.flatMap((f) => f.events),
		);
	});

	it('returns the gzip files as binary items with Output Files', async () => {
		const items = await run({ returnAll: true, output: 'files', logTypes: ['spam'] });
		const files = emu.data.batchFiles('spam');
		assert.equal(items.length, files.length);
		for (const [i, item] of items.entries()) {
			assert.equal(item.json.fileName, `${files[i].id}.json.gz`);
			assert.equal(item.binary?.data.fileName, `${files[i].id}.json.gz`);
			assert.equal(item.binary?.data.mimeType, 'application/gzip');
			const lines = gunzipSync(Buffer.from(item.binary!.data.data, 'base64'))
				.toString('utf8')
				.trim()
				.split('\n');
			assert.deepEqual(
				lines.map((l) => JSON.parse(l) as IDataObject),
				files[i].events,
			);
			assert.equal(item.json.eventCount, files[i].events.length);
		}
	});

	it('asks again when a file download is cut off on the wire', async () => {
		emu.faults.inject({ kind: 'truncated', path: /^\/siem-files\//, times: 2 });
		const items = await run({ returnAll: true, logTypes: ['process'] });
		assert.deepEqual(warningsOf(items), []);
		assert.deepEqual(eventsOf(items), emu.data.batchEvents('process'));
	});

	it('skips an undecodable gzip file with a warning', async () => {
		emu.faults.inject({ kind: 'corruptSiemFile', path: /^\/siem-files\// });
		const items = await run({ returnAll: true, logTypes: ['journal'] });
		const warnings = warningsOf(items);
		assert.equal(warnings.length, 1);
		const bad = emu.data.batchFiles('journal')[0];
		assert.equal(warnings[0].fileName, `${bad.id}.json.gz`);
		assert.equal(warnings[0].logType, 'journal');
		assert.match(String(warnings[0].warning), /gzip/);
		assert.deepEqual(eventsOf(items), emu.data.batchEvents('journal').slice(bad.events.length));
		const again = await run({
			startToken: String(warnings[0].retryToken),
			limit: bad.events.length,
			logTypes: ['journal'],
		});
		assert.deepEqual(eventsOf(again), bad.events);
	});

	it('names the permission and Enhanced Logging on 403, and leaks no secret', async () => {
		emu.faults.inject({ kind: '403', path: '/siem/v1/batch/events/cg' });
		await assertForbiddenExplained(
			emu,
			async () => await run({ returnAll: true }),
			[/Gateway \| Tracking \| Read/, /Enhanced Logging/],
			async () => await run({ limit: 20 }),
		);
	});

	it('refuses bad input before sending anything, naming the field', async () => {
		const day = 86_400_000;
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ start: new Date(Date.now() - 9 * day).toISOString() }, /'Start' .* more than 7 days ago/],
			[
				{
					start: new Date(Date.now() - 2 * day).toISOString(),
					end: new Date(Date.now() - 3 * day).toISOString(),
				},
				/'End' .* is before 'Start'/,
			],
			[{ start: 'yesterday-ish' }, /'Start' parameter/],
			[{ logTypes: ['delivery', 'fax'] }, /Unknown Log Types "fax"/],
			[{ startToken: 'eNo9jUELgjAYQP' }, /not a resume token of API 2\.0/],
			[{ limit: -3 }, /'Limit'/],
			[{ source: 'azure' }, /Unknown Source "azure"/],
		];
		await assertRefusedUnsent(emu, run, cases);
	});
});
