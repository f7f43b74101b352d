import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { LOG_CASES, recordTime } from '../helpers/logCases';
import { drainPolls, pollHarness } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const SETTLE_S = 10;

describe('paged log triggers', () => {
	const clock = new FakeClock();
	let emu: Emulator;
	useFakeClock(clock);
	useFastRetries();
	before(async () => (emu = await startEmulator({ seed: 21, tenant: 'small', now: clock.now })));
	after(async () => await emu.close());
	afterEach(() => emu.faults.clear());

	for (const logCase of LOG_CASES) {
		describe(logCase.name, () => {
			const parameters = (extra: IDataObject = {}): INodeParameters => ({
				authentication: 'apiKeys',
				...logCase.params,
				simplify: false,
				options: { settleSeconds: SETTLE_S, ...((extra.options as INodeParameters) ?? {}) },
				...(extra.filters ? { filters: extra.filters as INodeParameters } : {}),
			});
			const harness = (
				staticData?: IDataObject,
				extra: IDataObject = {},
				mode: 'trigger' | 'manual' = 'trigger',
			) =>
				pollHarness(nodeType(`${logCase.node}Trigger`), {
					parameters: parameters(extra),
					credentials: credentialsFor(emu, 'apiKeys'),
					staticData,
					mode,
				});
			const times = (items: Array<{ json: IDataObject }> | null) =>
				(items ?? []).map((i) => recordTime(i.json, logCase.timeField));

			it('starts at activation, then emits each new record once, oldest first, across restarts', async () => {
				const trigger = harness();
				assert.equal(await trigger.poll(), null, 'the first poll only sets the cursor');
				assert.ok(trigger.staticData.cursor, 'cursor stored');

				clock.advance(5_000);
				const burst = emu.data.add(logCase.kind, 4, { sameTimestamp: true });
				const single = emu.data.add(logCase.kind, 1, { at: clock.ms - 2_000 });
				clock.advance((SETTLE_S + 1) * 1000);
				const first = await trigger.poll();
				assert.equal(first?.length, 5);
				assert.deepEqual(
					times(first),
					[...times(first)].sort((a, b) => a - b),
					'oldest first',
				);
				assert.deepEqual(
					new Set(first!.map((i) => JSON.stringify(i.json))),
					new Set([...single, ...burst].map((r) => JSON.stringify(r))),
				);

				// More records in the same second as the last ones: only the new ones come out.
				emu.data.add(logCase.kind, 2, {
					at: recordTime(burst[0] as IDataObject, logCase.timeField) + 30_000,
				});
				clock.advance(60_000);
				const restarted = harness(JSON.parse(JSON.stringify(trigger.staticData)));
				const second = await restarted.poll();
				assert.equal(second?.length, 2);
				clock.advance(60_000);
				assert.equal(await restarted.poll(), null, 'nothing twice');
			});

			it('returns a few recent records in a manual run and leaves the cursor alone', async () => {
				const trigger = harness();
				await trigger.poll();
				const cursor = JSON.stringify(trigger.staticData);
				const manual = harness(trigger.staticData, {}, 'manual');
				const sample = await manual.poll();
				assert.ok(sample && sample.length > 0 && sample.length <= 5, `sample of ${sample?.length}`);
				assert.equal(JSON.stringify(trigger.staticData), cursor);
			});

			it('leaves the cursor where it was when a poll fails', async () => {
				const trigger = harness();
				await trigger.poll();
				emu.data.add(logCase.kind, 3, { at: clock.ms, sameTimestamp: true });
				clock.advance((SETTLE_S + 5) * 1000);
				const before = JSON.stringify(trigger.staticData);
				emu.faults.inject({ kind: '403', path: logCase.path });
				await assert.rejects(trigger.poll(), /lacks permission/);
				assert.equal(JSON.stringify(trigger.staticData), before);
				const retried = await trigger.poll();
				assert.equal(retried?.length, 3, 'the same window is read again');
			});

			it('ends the poll quietly on a 429 longer than the poll may wait, and resumes after it', async () => {
				const trigger = pollHarness(nodeType(`${logCase.node}Trigger`), {
					parameters: parameters(),
					credentials: credentialsFor(emu, 'apiKeys'),
					budgetMs: 2_000,
				});
				await trigger.poll();
				emu.data.add(logCase.kind, 2, { at: clock.ms, sameTimestamp: true });
				clock.advance((SETTLE_S + 5) * 1000);
				emu.faults.inject({ kind: '429', path: logCase.path, resetMs: 60_000 });
				assert.equal(await trigger.poll(), null);
				const cursor = trigger.staticData.cursor as IDataObject;
				assert.ok(
					typeof cursor.resumeAt === 'number' && cursor.resumeAt >= clock.ms + 59_000,
					'remembers when to resume',
				);
				emu.clearRequests();
				assert.equal(await trigger.poll(), null, 'does not call Mimecast before the reset');
				assert.equal(emu.requests.length, 0);
				clock.advance(61_000);
				assert.equal((await trigger.poll())?.length, 2);
			});

			it('starts Backfill (Hours) back on first activation', async () => {
				const old = emu.data.add(logCase.kind, 3, { at: clock.ms - 2 * 3_600_000 });
				const trigger = harness(undefined, { options: { backfillHours: 3 } });
				const items = await trigger.poll();
				const emitted = new Set((items ?? []).map((i) => JSON.stringify(i.json)));
				for (const record of old) assert.ok(emitted.has(JSON.stringify(record)));
			});

			it('emits a second holding more records than Max Records per Poll, whole, and moves on', async () => {
				const trigger = harness(undefined, { options: { maxRecordsPerPoll: 10 } });
				await trigger.poll();
				clock.advance(3_000);
				const before = emu.data.add(logCase.kind, 2, { at: clock.ms - 1_000, sameTimestamp: true });
				const busy = emu.data.add(logCase.kind, 11, { at: clock.ms, sameTimestamp: true });
				const after = emu.data.add(logCase.kind, 1, { at: clock.ms + 2_000 });
				clock.advance((SETTLE_S + 5) * 1000);
				const seen: string[] = [];
				for (let i = 0; i < 4; i++) {
					emu.clearRequests();
					for (const item of (await trigger.poll()) ?? []) seen.push(JSON.stringify(item.json));
					assert.ok(emu.requests.length <= 12, `${emu.requests.length} requests in one poll`);
					clock.advance(SETTLE_S * 1000);
				}
				assert.deepEqual(
					seen.sort(),
					[...before, ...busy, ...after].map((r) => JSON.stringify(r)).sort(),
				);
			});

			it('emits a backlog larger than one poll over several polls, in order, without loss', async () => {
				const trigger = harness(undefined, { options: { maxRecordsPerPoll: 10 } });
				await trigger.poll();
				const added = [];
				for (let i = 0; i < 35; i++)
					added.push(...emu.data.add(logCase.kind, 1, { at: clock.ms + i * 1000 }));
				clock.advance((35 + SETTLE_S + 1) * 1000);
				const seen = await drainPolls(trigger, { maxPolls: 10, cap: 10 });
				assert.equal(seen.length, 35);
				assert.deepEqual(
					seen.map((r) => JSON.stringify(r)).sort(),
					added.map((r) => JSON.stringify(r)).sort(),
				);
				const t = seen.map((r) => recordTime(r, logCase.timeField));
				assert.deepEqual(
					t,
					[...t].sort((a, b) => a - b),
				);
			});
		});
	}

	for (const logCase of LOG_CASES.filter((c) => c.kind === 'auditEvents' || c.kind === 'dlpLogs')) {
		it(`${logCase.name}: moves on through consecutive seconds that each hold more than a poll's cap`, async () => {
			const trigger = pollHarness(nodeType(`${logCase.node}Trigger`), {
				parameters: {
					authentication: 'apiKeys',
					...logCase.params,
					simplify: false,
					options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: 10 },
				},
				credentials: credentialsFor(emu, 'apiKeys'),
			});
			await trigger.poll();
			const added = [];
			for (let second = 1; second <= 4; second++)
				added.push(
					...emu.data.add(logCase.kind, 15, { at: clock.ms + second * 1000, sameTimestamp: true }),
				);
			clock.advance((4 + SETTLE_S + 1) * 1000);
			const seen: IDataObject[] = [];
			for (let poll = 0; poll < 12 && seen.length < added.length; poll++)
				seen.push(...((await trigger.poll()) ?? []).map((i) => i.json));
			assert.deepEqual(
				seen.map((r) => JSON.stringify(r)).sort(),
				added.map((r) => JSON.stringify(r)).sort(),
			);
		});
	}

	it('refuses a saved Max Records per Poll above 50,000 before sending anything', async () => {
		const audit = LOG_CASES[0];
		const trigger = pollHarness(nodeType(`${audit.node}Trigger`), {
			parameters: {
				authentication: 'apiKeys',
				...audit.params,
				options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: 150_000 },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
		});
		emu.clearRequests();
		await assert.rejects(
			trigger.poll(),
			/'Max Records per Poll' must be a whole number from 1 to 50000 \(got 150000\)/,
		);
		assert.equal(emu.requests.length, 0);
	});

	it('starts a new cursor when a filter changes, instead of mixing streams', async () => {
		const ttp = LOG_CASES.find((c) => c.kind === 'ttpUrl')!;
		const staticData: IDataObject = {};
		const make = (route: string) =>
			pollHarness(nodeType(`${ttp.node}Trigger`), {
				parameters: {
					authentication: 'apiKeys',
					logType: 'url',
					filters: { route },
					options: { settleSeconds: SETTLE_S },
				},
				credentials: credentialsFor(emu, 'apiKeys'),
				staticData,
			});
		await make('all').poll();
		const stream = (staticData.cursor as IDataObject).stream;
		clock.advance(30_000);
		assert.equal(await make('inbound').poll(), null, 'a new stream starts at now');
		assert.notEqual((staticData.cursor as IDataObject).stream, stream);
	});
});
