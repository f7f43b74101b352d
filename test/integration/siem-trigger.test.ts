import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import { pollHarness } from '../helpers/n8n';
import {
	batchRequests,
	eventKey,
	eventsOf,
	fileRequests,
	CI_BATCH_PATH,
	CI_TYPES,
	SIEM_TEST_RETRIES,
	V2_TYPES,
	v1Requests,
	v1Truth,
	warningsOf,
} from './siem-support';
import { MimecastSiemLogsTrigger } from '../../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { useFastRetries } from '../helpers/fastRetries';

useFastRetries(SIEM_TEST_RETRIES);

type Cursor = {
	position: string;
	resumeAt?: number;
	skipBefore?: number;
	seek?: string[];
	stream: string;
};
const cursorOf = (staticData: IDataObject): Cursor => staticData.siemCursor as unknown as Cursor;
const copy = (staticData: IDataObject): IDataObject =>
	JSON.parse(JSON.stringify(staticData)) as IDataObject;

describe('Mimecast SIEM Logs trigger, API 1.0', () => {
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({
			seed: 51,
			tenant: { siemFiles: 23, siemEventsPerFile: 4, days: 2 },
		});
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const harness = (
		parameters: INodeParameters,
		staticData?: IDataObject,
		mode: 'trigger' | 'manual' = 'trigger',
	) =>
		pollHarness(new MimecastSiemLogsTrigger(), {
			parameters: { authentication: 'apiKeys', startFrom: 'earliest', ...parameters },
			credentials: credentialsFor(emu, 'apiKeys'),
			staticData,
			mode,
		});

	it('emits everything Mimecast holds, then each new file once, across restarts from persisted JSON', async () => {
		const trigger = harness({});
		const first = await trigger.poll();
		assert.deepEqual(
			eventsOf(first),
			v1Truth(emu).map((t) => t.event),
		);
		assert.equal(first![0].pairedItem, undefined);
		assert.deepEqual(Object.keys(first![0].json), ['logType', 'fileName', 'resumeToken', 'event']);
		assert.equal(
			cursorOf(trigger.staticData).position,
			first!.at(-1)!.json.resumeToken,
			'the cursor is the last resume token',
		);
		assert.equal(await trigger.poll(), null, 'nothing twice');

		const added = emu.data.addSiemFiles(3);
		const second = await trigger.poll();
		assert.deepEqual(
			eventsOf(second),
			added.flatMap((f) => f.events),
		);

		// A restart: a new trigger from a JSON copy of the static data.
		const restarted = harness({}, copy(trigger.staticData));
		assert.equal(await restarted.poll(), null);
		const more = emu.data.addSiemFiles(2);
		assert.deepEqual(
			eventsOf(await restarted.poll()),
			more.flatMap((f) => f.events),
		);
		assert.equal(await restarted.poll(), null);
	});

	it('starts "now" by passing over the files Mimecast already holds, then emits new ones', async () => {
		const trigger = harness({ startFrom: 'now' });
		assert.equal(await trigger.poll(), null, 'existing files are not emitted');
		assert.ok(v1Requests(emu).length > 1, 'walked the chain to its end');
		assert.equal(cursorOf(trigger.staticData).skipBefore, undefined, 'the end was reached');
		const added = emu.data.addSiemFiles(2);
		assert.deepEqual(
			eventsOf(await trigger.poll()),
			added.flatMap((f) => f.events),
		);
	});

	it('refuses an unknown Start From before sending anything, naming the choices', async () => {
		emu.clearRequests();
		await assert.rejects(
			harness({ startFrom: 'later' }).poll(),
			(error: Error & { description?: string }) => {
				assert.match(error.message, /Unknown Start From "later"/);
				assert.equal(error.description, 'Set Start From to Now, Backfill or Earliest Available.');
				return true;
			},
		);
		assert.equal(emu.requests.length, 0);
	});

	it('backfills the files published in the hours before activation', async () => {
		const since = Date.now() - 12 * 3_600_000;
		const trigger = harness({ startFrom: 'backfill', backfillHours: 12 });
		const expected = emu.data.siemFiles().filter((f) => f.createTime >= since);
		assert.ok(expected.length > 0 && expected.length < emu.data.siemFiles().length);
		assert.deepEqual(
			eventsOf(await trigger.poll()),
			expected.flatMap((f) => f.events),
		);
	});

	it('emits a backlog larger than one poll over several polls, in order', async () => {
		const trigger = harness({ options: { maxEventsPerRun: 9, compress: true } });
		const got: IDataObject[] = [];
		let polls = 0;
		for (;;) {
			const items = await trigger.poll();
			if (!items) break;
			assert.ok(items.length <= 9);
			got.push(...eventsOf(items));
			polls++;
		}
		assert.deepEqual(
			got,
			v1Truth(emu).map((t) => t.event),
		);
		assert.equal(polls, Math.ceil(got.length / 9));
	});

	it('leaves the cursor where it was when a poll fails (5xx beyond retries, or a 403)', async () => {
		const trigger = harness({ options: { maxEventsPerRun: 10 } });
		const first = await trigger.poll();
		const saved = JSON.stringify(trigger.staticData);
		emu.faults.inject({ kind: '500', path: '/api/audit/get-siem-logs', times: 4 });
		await assert.rejects(trigger.poll(), /server error/);
		assert.equal(JSON.stringify(trigger.staticData), saved);
		emu.faults.inject({ kind: '403', path: '/api/audit/get-siem-logs' });
		await assert.rejects(trigger.poll(), /lacks permission/);
		assert.equal(JSON.stringify(trigger.staticData), saved);

		const got = eventsOf(first);
		for (let items = await trigger.poll(); items; items = await trigger.poll())
			got.push(...eventsOf(items));
		assert.deepEqual(
			got,
			v1Truth(emu).map((t) => t.event),
		);
	});

	it('reports a corrupt file once, as a warning item, and moves past it', async () => {
		const trigger = harness({ options: { compress: false } });
		await trigger.poll();
		const added = emu.data.addSiemFiles(3);
		emu.faults.inject({ kind: 'corruptSiemFile', path: '/api/audit/get-siem-logs' });
		const items = await trigger.poll();
		const warnings = warningsOf(items);
		assert.equal(warnings.length, 1);
		assert.equal(warnings[0].fileName, `${added[0].name}.json`);
		assert.deepEqual(
			eventsOf(items),
			added.slice(1).flatMap((f) => f.events),
		);
		assert.equal(await trigger.poll(), null, 'not reported again');
	});

	it('ends the poll quietly on a 429 it cannot wait out, keeps what it read, and resumes later', async () => {
		// Three calls per 2.5 s window: the fourth is refused for longer than the retry policy and the poll may wait.
		const limited = await startEmulator({
			seed: 53,
			tenant: { siemFiles: 6, siemEventsPerFile: 3 },
			rateLimit: { limit: 3, windowMs: 2_500 },
		});
		try {
			const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
				parameters: {
					authentication: 'apiKeys',
					startFrom: 'earliest',
					options: { compress: false },
				},
				credentials: credentialsFor(limited, 'apiKeys'),
				budgetMs: 1_000,
			});
			const truth = v1Truth(limited).map((t) => t.event);
			const first = await trigger.poll();
			assert.deepEqual(
				eventsOf(first),
				truth.slice(0, 9),
				'the three files read before the 429 are emitted',
			);
			const resumeAt = cursorOf(trigger.staticData).resumeAt;
			assert.ok(resumeAt && resumeAt > Date.now() + 1_000, 'remembers when to resume');
			limited.clearRequests();
			assert.equal(await trigger.poll(), null);
			assert.equal(v1Requests(limited).length, 0, 'does not call Mimecast before resumeAt');
			await new Promise((resolve) => setTimeout(resolve, resumeAt - Date.now() + 50));
			assert.deepEqual(eventsOf(await trigger.poll()), truth.slice(9), 'the rest, in order');
		} finally {
			await limited.close();
		}
	});

	it('starts afresh, knowingly, when the file format changes', async () => {
		const trigger = harness({});
		await trigger.poll();
		const stream = cursorOf(trigger.staticData).stream;
		const switched = harness({ fileFormat: 'keyValue' }, trigger.staticData);
		const items = await switched.poll();
		assert.notEqual(cursorOf(trigger.staticData).stream, stream);
		assert.equal(
			eventsOf(items).length,
			v1Truth(emu).length,
			'a new stream with Start From Earliest reads everything again',
		);
	});

	it('returns a few events in a manual run and leaves the cursor alone', async () => {
		const trigger = harness({});
		const saved = JSON.stringify(trigger.staticData);
		const sample = await harness({}, trigger.staticData, 'manual').poll();
		assert.ok(sample && sample.length > 0 && sample.length <= 5);
		assert.equal(JSON.stringify(trigger.staticData), saved);
		await trigger.poll();
		const after = JSON.stringify(trigger.staticData);
		await harness({}, trigger.staticData, 'manual').poll();
		assert.equal(JSON.stringify(trigger.staticData), after);
	});

	it('emits one binary item per file with Output Files', async () => {
		const trigger = harness({ output: 'files' });
		const items = await trigger.poll();
		assert.deepEqual(
			items!.map((i) => i.json.fileName),
			emu.data.siemFiles().map((f) => `${f.name}.json`),
		);
		assert.ok(items!.every((i) => i.binary?.data.data));
	});
});

describe('Mimecast SIEM Logs trigger, API 2.0', () => {
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({
			seed: 52,
			tenant: { siemFiles: 0, batchFilesPerType: 3, batchEventsPerFile: 4, days: 2 },
		});
	});
	after(async () => await emu.close());
	beforeEach(() => {
		emu.clearRequests();
		emu.faults.clear();
	});

	const harness = (parameters: INodeParameters, staticData?: IDataObject) =>
		pollHarness(new MimecastSiemLogsTrigger(), {
			parameters: { authentication: 'oAuth2', startFrom: 'earliest', ...parameters },
			credentials: credentialsFor(emu, 'oAuth2'),
			staticData,
		});
	const byType = (events: IDataObject[]) => {
		const out: Record<string, string[]> = {};
		for (const e of events) (out[String(e.type)] ??= []).push(eventKey(e));
		return out;
	};
	const truthByType = () =>
		Object.fromEntries(
			V2_TYPES.map((t) => [
				t.api,
				emu.data.batchEvents(t.api as never).map((e) => eventKey(e as IDataObject)),
			]).filter(([, v]) => v.length > 0),
		);

	it('Source Cloud Integrated: each /ci event once, new files next poll, and a change of Source never reuses the other positions', async () => {
		const staticData: IDataObject = {};
		const ci = harness({ source: 'cloudIntegrated' }, staticData);
		const first = await ci.poll();
		assert.deepEqual(
			eventsOf(first),
			CI_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never)),
		);
		assert.ok(
			emu.requests
				.filter((r) => r.path.startsWith('/siem/'))
				.every((r) => r.path === CI_BATCH_PATH),
		);
		assert.equal(await ci.poll(), null);
		const added = emu.data.addBatchFiles('urlclick', 2, { events: 3 });
		assert.deepEqual(
			eventsOf(await ci.poll()),
			added.flatMap((f) => f.events),
		);
		assert.equal(await ci.poll(), null);
		// Same node, Source switched to the gateway: its own reading from its own start.
		const gateway = harness({ source: 'gateway' }, staticData);
		assert.deepEqual(
			eventsOf(await gateway.poll()),
			V2_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never)),
		);
		// And back: Cloud Integrated starts afresh too (the gateway's cursor replaced its own).
		const again = harness({ source: 'cloudIntegrated' }, staticData);
		assert.deepEqual(
			eventsOf(await again.poll()),
			CI_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never)),
		);
	});

	it('emits every type, then each new file once, across restarts from persisted JSON', async () => {
		const trigger = harness({});
		const first = await trigger.poll();
		assert.deepEqual(
			eventsOf(first),
			V2_TYPES.flatMap((t) => emu.data.batchEvents(t.api as never)),
		);
		assert.equal(await trigger.poll(), null);
		const added = [
			...emu.data.addBatchFiles('delivery', 2),
			...emu.data.addBatchFiles('url protect', 1),
		];
		assert.deepEqual(
			eventsOf(await trigger.poll()),
			added.flatMap((f) => f.events),
		);
		const restarted = harness({}, copy(trigger.staticData));
		assert.equal(await restarted.poll(), null);
		const more = emu.data.addBatchFiles('av', 1);
		assert.deepEqual(eventsOf(await restarted.poll()), more[0].events);
	});

	it('starts "now" by listing to the end without downloading, then emits new files', async () => {
		const trigger = harness({ startFrom: 'now', logTypes: ['delivery', 'journal'] });
		assert.equal(await trigger.poll(), null);
		assert.equal(fileRequests(emu).length, 0, 'no file downloaded');
		assert.equal(cursorOf(trigger.staticData).seek, undefined, 'the end of every type was found');
		// Files published after the first poll are not skipped, even if the next poll fails.
		const early = emu.data.addBatchFiles('delivery', 1);
		emu.faults.inject({ kind: '500', path: /^\/siem-files\//, times: 4 });
		await assert.rejects(trigger.poll());
		assert.deepEqual(eventsOf(await trigger.poll()), early[0].events);
		assert.deepEqual([...new Set(batchRequests(emu).map((r) => r.query.type))].sort(), [
			'delivery',
			'journal',
		]);
		assert.equal(
			batchRequests(emu)[0].query.dateRangeStartsAt,
			new Date().toISOString().slice(0, 10),
		);
		const added = [
			...emu.data.addBatchFiles('journal', 1),
			...emu.data.addBatchFiles('receipt', 1),
			...emu.data.addBatchFiles('delivery', 1),
		];
		assert.deepEqual(
			byType(eventsOf(await trigger.poll())),
			byType([...added[2].events, ...added[0].events] as IDataObject[]),
		);
	});

	it('backfills whole UTC days', async () => {
		const startDay = new Date(Date.now() - 30 * 3_600_000).toISOString().slice(0, 10);
		const trigger = harness({ startFrom: 'backfill', backfillHours: 30, logTypes: ['process'] });
		const expected = emu.data
			.batchFiles('process')
			.filter((f) => f.createTime >= Date.parse(`${startDay}T00:00:00Z`));
		assert.deepEqual(
			eventsOf(await trigger.poll()),
			expected.flatMap((f) => f.events),
		);
		assert.equal(batchRequests(emu)[0].query.dateRangeStartsAt, startDay);
	});

	it('emits a backlog over several polls, each type in order, rotating which type goes first', async () => {
		const trigger = harness({ options: { maxEventsPerRun: 7 } });
		const got: IDataObject[] = [];
		for (let items = await trigger.poll(); items; items = await trigger.poll()) {
			assert.ok(items.length <= 7);
			got.push(...eventsOf(items));
		}
		assert.deepEqual(byType(got), truthByType());
	});

	it('leaves the cursor where it was when a poll fails, and lists again for expired links', async () => {
		const trigger = harness({ options: { maxEventsPerRun: 10 } });
		const got = eventsOf(await trigger.poll());
		const saved = JSON.stringify(trigger.staticData);
		emu.faults.inject({ kind: '500', path: '/siem/v1/batch/events/cg', times: 4 });
		await assert.rejects(trigger.poll(), /server error/);
		assert.equal(JSON.stringify(trigger.staticData), saved);
		emu.faults.inject({ kind: 'expiredFileUrl', path: /^\/siem-files\//, times: 3 });
		for (let items = await trigger.poll(); items; items = await trigger.poll())
			got.push(...eventsOf(items));
		assert.deepEqual(byType(got), truthByType());
	});

	it('reports a corrupt file once and moves past it', async () => {
		const trigger = harness({ logTypes: ['spam'] });
		await trigger.poll();
		const added = emu.data.addBatchFiles('spam', 2);
		emu.faults.inject({ kind: 'corruptSiemFile', path: /^\/siem-files\// });
		const items = await trigger.poll();
		assert.equal(warningsOf(items).length, 1);
		assert.equal(warningsOf(items)[0].fileName, `${added[0].id}.json.gz`);
		assert.deepEqual(eventsOf(items), added[1].events);
		assert.equal(await trigger.poll(), null);
	});
});
