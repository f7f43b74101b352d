/**
 * SIEM 2.0 batch files downloaded several at a time (Options > Download Concurrency, issue 14).
 * First walkBatch itself, run by a probe node under n8n-core's ExecuteContext (real OAuth, real
 * HTTP) so what it yields before a failure or a stop can be seen; then the SIEM Logs node and
 * trigger as a user runs them. The emulator counts the downloads in flight at once
 * (RecordedRequest.inFlight); nothing here measures time.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { MimecastSiemLogs } from '../../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { MimecastSiemLogsTrigger } from '../../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { LOG_DEFINITIONS } from '../../nodes/Mimecast/logTypes';
import type { BatchOptions, BatchUnit } from '../../nodes/Mimecast/siem/fetch/batchV2';
import { walkBatch } from '../../nodes/Mimecast/siem/fetch/batchV2';
import type { V2TypePosition } from '../../nodes/Mimecast/siem/resumeToken';
import { startEmulator } from '../emulator';
import type { BatchFile, Emulator } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { pollHarness, runNode } from '../helpers/n8n';
import {
	batchRequests,
	eventsOf,
	fileRequests,
	siemActionRunner,
	SIEM_TEST_RETRIES,
	warningsOf,
} from './siem-support';

useFastRetries(SIEM_TEST_RETRIES);

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
process.on('unhandledRejection', onRejection);
after(() => {
	process.off('unhandledRejection', onRejection);
	assert.deepEqual(rejections, [], 'no download left a rejected promise unhandled');
});

const peakFileDownloads = (emu: Emulator): number =>
	Math.max(0, ...fileRequests(emu).map((r) => r.inFlight));
const fileOf = (file: BatchFile): RegExp => new RegExp(`^/siem-files/${file.id}\\.json\\.gz$`);

interface Walked {
	units: Array<
		{ kind: string; fileName?: string; firstEvent?: number; events?: number } & IDataObject
	>;
	error?: string;
	context?: IDataObject;
}

/**
 * A node that walks one batch type with walkBatch and reports the units it yielded and how the
 * walk ended. `onUnit` runs after each unit (a slow reader, a check); `stopAfter` units, the
 * reader stops iterating; `shouldStop` is handed to walkBatch as the caps are.
 */
function probe(
	type: string,
	options: {
		concurrency?: number;
		start?: V2TypePosition;
		stopAfter?: number;
		shouldStop?: (units: number) => boolean;
		onUnit?: (unit: BatchUnit, index: number) => Promise<void> | void;
	},
): INodeType {
	const { description } = new MimecastSiemLogs();
	const definition = LOG_DEFINITIONS.siemLogs;
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const walked: Walked = { units: [] };
			const batch: BatchOptions = {
				path: definition.v2.path,
				pageSize: definition.v2.pageSize,
				type: definition.v2.types.find((t) => t.api === type)!,
				startDay: new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10),
				caps: { maxFileBytes: 2 ** 30, maxTotalBytes: 2 ** 30 },
				permission: definition.permission,
				operation: 'probe',
				concurrency: options.concurrency,
				shouldStop: options.shouldStop && (() => options.shouldStop!(walked.units.length)),
			};
			try {
				for await (const unit of walkBatch(this, options.start, batch)) {
					walked.units.push(
						unit.kind === 'end'
							? { kind: 'end', position: unit.position as unknown as IDataObject }
							: {
									kind: unit.kind,
									fileName: unit.fileName,
									before: unit.before as unknown as IDataObject,
									after: unit.after as unknown as IDataObject,
									...(unit.kind === 'file'
										? { firstEvent: unit.firstEvent, events: unit.events.length }
										: {}),
								},
					);
					await options.onUnit?.(unit, walked.units.length - 1);
					if (walked.units.length === options.stopAfter) break;
				}
			} catch (error) {
				walked.error = (error as Error).message;
				walked.context = (error as { context?: IDataObject }).context;
			}
			return [[{ json: walked as unknown as IDataObject }]];
		},
	};
}

describe('walkBatch with concurrent downloads (probe node under n8n-core)', () => {
	let emu: Emulator;
	let av: BatchFile[];
	before(async () => {
		emu = await startEmulator({ seed: 61, tenant: { siemFiles: 0, batchFilesPerType: 0 } });
		av = emu.data.addBatchFiles('av', 12, { events: 3 });
		// Two listing pages (100 files a page).
		emu.data.addBatchFiles('delivery', 102, { events: 2 });
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const walk = async (type: string, options: Parameters<typeof probe>[1]): Promise<Walked> => {
		const [item] = await runNode(probe(type, options), {
			parameters: { authentication: 'oAuth2' },
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		return item.json as unknown as Walked;
	};

	it('yields the same units in listing order, with the same positions, at any concurrency, across pages and from mid-file', async () => {
		const one = await walk('delivery', { concurrency: 1 });
		assert.equal(one.error, undefined);
		assert.equal(one.units.length, 103, '102 files, then the end');
		assert.deepEqual(
			one.units.slice(0, -1).map((u) => u.fileName),
			emu.data.batchFiles('delivery').map((f) => `${f.id}.json.gz`),
		);
		for (const concurrency of [4]) {
			emu.clearRequests();
			assert.deepEqual(await walk('delivery', { concurrency }), one, `concurrency ${concurrency}`);
			assert.equal(fileRequests(emu).length, 102, 'each file downloaded once');
		}
		// From the middle of a file of the second page, as a resume token would start.
		const mid = { ...(one.units[101].before as unknown as V2TypePosition), event: 1 };
		assert.ok(mid.page, 'a position on the second page');
		const fromOne = await walk('delivery', { concurrency: 1, start: mid });
		assert.equal(fromOne.units[0].fileName, one.units[101].fileName);
		assert.equal(fromOne.units[0].firstEvent, 1);
		assert.deepEqual(fromOne.units.slice(1), one.units.slice(102));
		assert.deepEqual(await walk('delivery', { concurrency: 4, start: mid }), fromOne);
	});

	it('lists the next page beside the last downloads of a page, not after them', async () => {
		const listingsAt: number[] = [];
		const walked = await walk('delivery', {
			concurrency: 4,
			onUnit: async (unit, index) => {
				if (index !== 99) return;
				// The last file of page 1 is in hand: the page 2 listing was already asked for.
				// (The wait only lets that request arrive; a walk that lists after the page
				// ends never gets here with 2 listings.)
				for (let waited = 0; batchRequests(emu).length < 2 && waited < 2_000; waited += 10)
					await sleep(10);
				listingsAt.push(batchRequests(emu).length);
			},
		});
		assert.equal(walked.error, undefined);
		assert.deepEqual(listingsAt, [2]);
		assert.equal(batchRequests(emu).length, 2, 'and not listed again');
	});

	it('holds at most `concurrency` files ahead of a slow reader, in flight or downloaded', async () => {
		const concurrency = 3;
		const started: number[] = [];
		const walked = await walk('av', {
			concurrency,
			// A reader slower than the downloads: a walk that ran ahead would have started more.
			onUnit: async (unit) => {
				if (unit.kind === 'end') return;
				await sleep(15);
				started.push(fileRequests(emu).length);
			},
		});
		assert.equal(walked.error, undefined);
		assert.equal(walked.units.length, av.length + 1);
		// After the reader has had unit i: files 0..i taken, at most concurrency - 1 more started.
		started.forEach((n, i) =>
			assert.ok(n <= i + concurrency, `${n} files started when unit ${i} was read`),
		);
		assert.equal(started.at(-1), av.length);
		assert.ok(started[0] > 1, 'downloads ahead of the reader');
	});

	it('checks shouldStop before starting each download, and waits for those in flight when the reader stops', async () => {
		// A download in flight at the stop fails: the walk still ends cleanly, without its error.
		emu.faults.inject({ kind: '500', path: fileOf(av[4]), times: 8 });
		const concurrency = 4;
		const stopped = await walk('av', { concurrency, shouldStop: (units) => units >= 3 });
		assert.equal(stopped.error, undefined);
		assert.deepEqual(
			stopped.units.map((u) => u.fileName),
			av.slice(0, 3).map((f) => `${f.id}.json.gz`),
		);
		const downloaded = new Set(fileRequests(emu).map((r) => r.path));
		assert.ok(
			downloaded.size <= 3 + concurrency - 1,
			`${downloaded.size} files started for 3 read`,
		);
		assert.ok(downloaded.has(`/siem-files/${av[4].id}.json.gz`), 'the failing one was started');
		assert.ok(
			fileRequests(emu).every((r) => r.status !== 0 && r.status !== undefined),
			'every download was answered before the walk returned',
		);

		// The reader breaks off: the same, and nothing more is requested afterwards.
		emu.clearRequests();
		emu.faults.clear();
		const broke = await walk('av', { concurrency, stopAfter: 2 });
		assert.deepEqual(
			broke.units.map((u) => u.fileName),
			av.slice(0, 2).map((f) => `${f.id}.json.gz`),
		);
		const seen = emu.requests.length;
		assert.ok(fileRequests(emu).length <= 2 + concurrency - 1);
		await sleep(50);
		assert.equal(emu.requests.length, seen, 'nothing was still in flight');
	});

	it('surfaces a failing download at its own turn, after the files before it', async () => {
		emu.faults.inject({ kind: '500', path: fileOf(av[5]), times: 8 });
		const walked = await walk('av', { concurrency: 4 });
		assert.match(String(walked.error), /server error/);
		assert.deepEqual(
			walked.units.map((u) => u.fileName),
			av.slice(0, 5).map((f) => `${f.id}.json.gz`),
		);
		const later = fileRequests(emu).filter((r) => r.path === `/siem-files/${av[6].id}.json.gz`);
		assert.deepEqual(
			later.map((r) => r.status),
			[200],
			'a later file was already downloaded, and is not yielded',
		);
	});

	it('lists the same page again for an expired link among concurrent downloads, and goes on at that file', async () => {
		const one = await walk('av', { concurrency: 1 });
		emu.clearRequests();
		emu.faults.inject({ kind: 'expiredFileUrl', path: fileOf(av[5]), times: 1 });
		const walked = await walk('av', { concurrency: 4 });
		assert.deepEqual(walked, one);
		assert.equal(batchRequests(emu).length, 2, 'listed again once');
		const expired = fileRequests(emu).filter((r) => r.status === 403);
		assert.deepEqual(
			expired.map((r) => r.path),
			[`/siem-files/${av[5].id}.json.gz`],
		);

		// Expired again and again: after three fresh listings it is an error, at that file.
		emu.clearRequests();
		emu.faults.inject({ kind: 'expiredFileUrl', path: fileOf(av[5]), times: 4 });
		const failed = await walk('av', { concurrency: 4 });
		assert.equal(failed.context?.fileLinkExpired, true, String(failed.error));
		assert.deepEqual(
			failed.units.map((u) => u.fileName),
			av.slice(0, 5).map((f) => `${f.id}.json.gz`),
		);
		assert.equal(batchRequests(emu).length, 4);
	});
});

describe('SIEM Logs node and trigger: Download Concurrency', () => {
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({
			seed: 62,
			tenant: { siemFiles: 0, batchFilesPerType: 0 },
			// Downloads overlap only when they take a while, as over a real network.
			latency: 8,
		});
		emu.data.addBatchFiles('delivery', 30, { events: 1 });
		emu.data.addBatchFiles('spam', 10, { events: 3 });
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const run = siemActionRunner(() => emu, 'oAuth2');

	it('downloads up to Download Concurrency files at once and emits the same items, in order, as one at a time', async () => {
		const parameters = { returnAll: true, logTypes: ['delivery'] };
		const one = await run({ ...parameters, options: { downloadConcurrency: 1 } });
		assert.deepEqual(eventsOf(one), emu.data.batchEvents('delivery'));
		assert.equal(peakFileDownloads(emu), 1);
		for (const [options, most] of [
			[{ downloadConcurrency: 3 }, 3],
			[{}, 4],
		] as const) {
			emu.clearRequests();
			const items = await run({ ...parameters, options });
			assert.deepEqual(
				items.map((i) => i.json),
				one.map((i) => i.json),
				'same events, files and resume tokens',
			);
			const peak = peakFileDownloads(emu);
			assert.ok(peak > 1 && peak <= most, `${peak} downloads at once with ${most} allowed`);
			assert.equal(fileRequests(emu).length, 30, 'each file once');
		}
	});

	it('stops at the limit mid-way; the resume token gives exactly the rest', async () => {
		const truth = emu.data.batchEvents('spam');
		const options = { downloadConcurrency: 8 };
		const first = await run({ limit: 7, logTypes: ['spam'], options });
		assert.deepEqual(eventsOf(first), truth.slice(0, 7));
		const rest = await run({
			returnAll: true,
			logTypes: ['spam'],
			options,
			startToken: String(first.at(-1)!.json.resumeToken),
		});
		assert.deepEqual(eventsOf(rest), truth.slice(7));
	});

	it('still stops at Max Size per Run, and goes on from there', async () => {
		const truth = emu.data.batchEvents('spam');
		const got: IDataObject[] = [];
		let token = '';
		let runs = 0;
		for (; runs < 20; runs++) {
			const items = await run({
				returnAll: true,
				logTypes: ['spam'],
				startToken: token,
				options: { downloadConcurrency: 4, maxBytesPerRun: 0.002 },
			});
			if (items.length === 0) break;
			assert.ok(items.length < truth.length, 'the cap stopped the run');
			got.push(...eventsOf(items));
			token = String(items.at(-1)!.json.resumeToken);
		}
		assert.deepEqual(got, truth);
		assert.ok(runs > 2);
	});

	it('the trigger keeps Max Events per Run and emits each event once, in order', async () => {
		const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
			parameters: {
				authentication: 'oAuth2',
				startFrom: 'earliest',
				logTypes: ['spam'],
				options: { maxEventsPerRun: 5, downloadConcurrency: 6 },
			},
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		const got: INodeExecutionData[] = [];
		for (let items = await trigger.poll(); items; items = await trigger.poll()) {
			assert.ok(items.length <= 5);
			got.push(...items);
		}
		assert.deepEqual(eventsOf(got), emu.data.batchEvents('spam'));
		assert.equal(warningsOf(got).length, 0);
	});

	it('refuses a Download Concurrency outside 1-16 or not whole, naming it, before sending anything', async () => {
		for (const downloadConcurrency of [0, 17, 2.5, 'many']) {
			emu.clearRequests();
			await assert.rejects(
				run({ returnAll: true, options: { downloadConcurrency } }),
				(error: Error) => {
					assert.equal(error.constructor.name, 'NodeOperationError');
					assert.match(error.message, /'Download Concurrency' must be a whole number from 1 to 16/);
					return true;
				},
			);
			assert.equal(emu.requests.length, 0, `nothing sent for ${downloadConcurrency}`);
		}
		const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
			parameters: { authentication: 'oAuth2', options: { downloadConcurrency: 17 } },
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		await assert.rejects(trigger.poll(), /'Download Concurrency'/);
		assert.equal(emu.requests.length, 0);
	});
});
