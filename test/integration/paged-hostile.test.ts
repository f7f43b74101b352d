/**
 * Paged log nodes against answers a broken or hostile server gives (issue 10): 200s whose
 * records are not where they belong, values that are not records, records nested thousands
 * deep or dated in the future, and paging that never ends. For every row of the case table,
 * action and trigger: a clear error or warning, bounded requests, the cursor where it belongs.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, PageShapeFault } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import { credentialsFor, secretsOf } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { LOG_CASES, mimecastDate } from '../helpers/logCases';
import { pollHarness, runNode } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';
import { usePageCap } from '../helpers/pageLimits';

const SETTLE_S = 10;
const ATTEMPTS = 6;

function deeplyNested(depth: number): IDataObject {
	let value: IDataObject = { leaf: true };
	for (let i = 0; i < depth; i++) value = { level: value };
	return value;
}

describe('paged log nodes against hostile answers', () => {
	const clock = new FakeClock(Date.UTC(2026, 11, 2, 12, 0, 0));
	let emu: Emulator;
	useFakeClock(clock);
	useFastRetries();
	usePageCap(10);
	before(async () => (emu = await startEmulator({ seed: 5, tenant: 'empty', now: clock.now })));
	after(async () => await emu.close());
	afterEach(() => {
		emu.faults.clear();
		emu.clearRequests();
	});

	for (const logCase of LOG_CASES) {
		describe(logCase.name, () => {
			const only = logCase.triggerFilters;
			const filters = only ? { filters: only.filters as INodeParameters } : {};
			const runAction = (from: number, to: number) =>
				runNode(nodeType(logCase.node), {
					parameters: {
						authentication: 'apiKeys',
						...logCase.params,
						...filters,
						start: new Date(from).toISOString(),
						end: new Date(to).toISOString(),
						returnAll: true,
						simplify: false,
					},
					credentials: credentialsFor(emu, 'apiKeys'),
				});
			const trigger = (staticData?: IDataObject, budgetMs?: number) =>
				pollHarness(nodeType(`${logCase.node}Trigger`), {
					parameters: {
						authentication: 'apiKeys',
						...logCase.params,
						...filters,
						simplify: false,
						options: { settleSeconds: SETTLE_S },
					},
					credentials: credentialsFor(emu, 'apiKeys'),
					staticData,
					budgetMs,
				});
			const calls = () => emu.requests.filter((r) => r.path === logCase.path);
			// Each action test reads its own hour in the past, so no test sees another's records.
			let slots = 0;
			const slot = () => clock.ms - ++slots * 3_600_000;
			const add = (n: number, at: number) =>
				emu.data
					.add(logCase.kind, n, { at, sameTimestamp: true })
					.filter((r) => !only || only.keep(r));
			// Every row: no data array; the rest once per place records can be (data[], data[].key).
			const shapes: PageShapeFault[] = logCase.recordsKey
				? ['noData', 'noRecordsKey', 'recordsKeyNotArray']
				: ['noData'];
			if (logCase === LOG_CASES[0]) shapes.push('dataNotArray');

			for (const shape of shapes) {
				it(`retries a 200 whose records are not where they belong (${shape}), then names the endpoint and the problem`, async () => {
					const at = slot();
					const records = add(3, at);
					emu.faults.inject({ kind: 'badPageShape', shape, path: logCase.path, times: 2 });
					const items = await runAction(at - 60_000, at + 60_000);
					assert.equal(items.length, records.length, 'retried until the records came');
					assert.deepEqual(
						calls().map((r) => r.fault ?? ''),
						['badPageShape', 'badPageShape', ''],
					);

					emu.clearRequests();
					emu.faults.inject({ kind: 'badPageShape', shape, path: logCase.path, times: 50 });
					await assert.rejects(
						runAction(at - 60_000, at + 60_000),
						(error: Error & { description?: string }) => {
							assert.match(
								error.message,
								new RegExp(
									`${logCase.path}.*unexpected response: .*(data|${logCase.recordsKey ?? 'data'})`,
								),
							);
							assert.equal(error.constructor.name, 'NodeApiError');
							return true;
						},
					);
					assert.equal(calls().length, ATTEMPTS, 'retried like a cut-off body, then stopped');
				});
			}

			it('keeps the trigger cursor where it was when a page has no data array, and reads the window again', async () => {
				const poller = trigger();
				await poller.poll();
				const records = add(3, clock.ms + 1_000);
				clock.advance((SETTLE_S + 5) * 1000);
				const before = JSON.stringify(poller.staticData);
				emu.faults.inject({ kind: 'badPageShape', shape: 'noData', path: logCase.path, times: 50 });
				await assert.rejects(poller.poll(), /unexpected response/);
				assert.equal(JSON.stringify(poller.staticData), before, 'cursor unchanged');
				emu.faults.clear();
				assert.equal(
					(await poller.poll())?.length,
					records.length,
					'the same window is read again',
				);
			});

			it('skips values that are not records with a warning item (no content), in the action and the trigger', async () => {
				const past = slot();
				for (const raw of [null, 'secret-looking text', 42])
					emu.data.add(logCase.kind, 1, { at: past, raw });
				const inPast = add(2, past);
				const items = await runAction(past - 5_000, past + 5_000);
				const warnings = items
					.filter((i) => typeof i.json.warning === 'string')
					.map((i) => String(i.json.warning));
				assert.equal(warnings.length, 3);
				for (const what of ['null', 'a string \\(19 characters\\)', 'a number']) {
					assert.match(
						warnings.join('\n'),
						new RegExp(`Skipped record \\d of page 1 from ${logCase.path}: it is ${what}, where`),
					);
				}
				assert.ok(
					!warnings.join(' ').includes('secret-looking'),
					'the value itself is not repeated',
				);
				assert.equal(items.length - warnings.length, inPast.length);
				for (const item of items) assert.deepEqual(item.pairedItem, { item: 0 });

				const poller = trigger();
				await poller.poll();
				const at = clock.ms + 1_000;
				const records = add(2, at);
				for (const raw of [null, 'secret-looking text', 42])
					emu.data.add(logCase.kind, 1, { at, raw });
				clock.advance((SETTLE_S + 5) * 1000);
				const polled = (await poller.poll()) ?? [];
				assert.equal(polled.filter((i) => i.json.warning !== undefined).length, 3);
				assert.equal(polled.filter((i) => i.json.warning === undefined).length, records.length);
				const next = add(1, clock.ms);
				clock.advance((SETTLE_S + 5) * 1000);
				const after = ((await poller.poll()) ?? []).filter((i) => i.json.warning === undefined);
				assert.deepEqual(
					after.map((i) => i.json),
					next,
					'the trigger goes on',
				);
			});

			it('fingerprints a record nested 4,200 levels deep and emits it once', async () => {
				const poller = trigger();
				await poller.poll();
				const deep = {
					...deeplyNested(4_200),
					[logCase.timeField]: mimecastDate(clock.ms + 1_000),
				};
				emu.data.add(logCase.kind, 1, { at: clock.ms + 1_000, raw: deep });
				clock.advance((SETTLE_S + 5) * 1000);
				assert.equal((await poller.poll())?.length, 1);
				clock.advance(2_000);
				assert.equal(await poller.poll(), null, 'not again');
			});

			it('emits a future-dated record once and never moves the cursor past the window it read', async () => {
				const poller = trigger();
				await poller.poll();
				const future = mimecastDate(clock.ms + 400 * 86_400_000);
				emu.data.add(logCase.kind, 1, {
					at: clock.ms + 1_000,
					raw: { [logCase.timeField]: future, note: 'clock skew' },
				});
				clock.advance((SETTLE_S + 5) * 1000);
				const windowEnd = clock.ms - SETTLE_S * 1000;
				const first = (await poller.poll()) ?? [];
				assert.deepEqual(
					first.map((i) => i.json[logCase.timeField]),
					[future],
				);
				const since = (poller.staticData.cursor as IDataObject).since as number;
				assert.ok(
					since <= windowEnd,
					`cursor at ${new Date(since).toISOString()}, window ended ${new Date(windowEnd).toISOString()}`,
				);
				clock.advance(2_000);
				assert.equal(await poller.poll(), null, 'not emitted again');
				const later = add(2, clock.ms);
				clock.advance((SETTLE_S + 5) * 1000);
				assert.equal((await poller.poll())?.length, later.length, 'later records still come');
			});

			it('stops on an empty page even when it carries a fresh next token (action: 2 requests, no items)', async () => {
				emu.faults.inject({ kind: 'freshNextForever', path: logCase.path, times: 10_000 });
				const at = slot();
				const items = await runAction(at - 60_000, at + 60_000);
				assert.deepEqual(items, []);
				assert.ok(calls().length <= 2, `${calls().length} requests`);
			});

			it('follows an empty page in the middle of a walk, where totalCount says more records remain', async () => {
				const at = slot();
				const records = add(3, at);
				emu.faults.inject({ kind: 'emptyPageWithNext', path: logCase.path });
				const items = await runAction(at - 60_000, at + 60_000);
				assert.equal(items.length, records.length);
			});

			it('ends a walk of fresh tokens that never ends at the page cap with a clear error', async () => {
				const at = slot();
				add(2, at);
				emu.faults.inject({ kind: 'freshNextForever', path: logCase.path, times: 10_000 });
				await assert.rejects(
					runAction(at - 60_000, at + 60_000),
					(error: Error & { description?: string }) => {
						assert.match(error.message, /Stopped paging .* after 10 pages/);
						assert.match(error.description ?? '', /Narrow the time window/);
						for (const secret of secretsOf(emu))
							assert.ok(!`${error.message}${error.description}`.includes(secret));
						return true;
					},
				);
				assert.equal(calls().length, 10);
			});

			it('ends a trigger poll quietly at the page cap, keeping the cursor right, and emits every record once', async () => {
				const poller = trigger();
				await poller.poll();
				const records = add(4, clock.ms + 1_000);
				clock.advance((SETTLE_S + 5) * 1000);
				emu.faults.inject({ kind: 'freshNextForever', path: logCase.path, times: 10_000 });
				const seen = ((await poller.poll()) ?? []).map((i) => JSON.stringify(i.json));
				assert.ok(calls().length <= 60, `${calls().length} requests`);
				emu.faults.clear();
				for (let i = 0; i < 3; i++) {
					for (const item of (await poller.poll()) ?? []) seen.push(JSON.stringify(item.json));
					clock.advance(2_000);
				}
				assert.deepEqual(seen.sort(), records.map((r) => JSON.stringify(r)).sort());
			});
		});
	}
});

describe('paged log triggers against a server paging without end, in real time', () => {
	let emu: Emulator;
	useFastRetries();
	before(async () => (emu = await startEmulator({ seed: 6, tenant: 'empty' })));
	after(async () => await emu.close());

	for (const logCase of LOG_CASES) {
		it(`${logCase.name}: the poll ends at its deadline, quietly, the cursor where it belongs`, async () => {
			const only = logCase.triggerFilters;
			const poller = pollHarness(nodeType(`${logCase.node}Trigger`), {
				parameters: {
					authentication: 'apiKeys',
					...logCase.params,
					...(only ? { filters: only.filters as INodeParameters } : {}),
					simplify: false,
					options: { settleSeconds: 0, backfillHours: 1 },
				},
				credentials: credentialsFor(emu, 'apiKeys'),
				budgetMs: 1_000,
			});
			emu.data.add(logCase.kind, 3, { at: Date.now() - 60_000, sameTimestamp: true });
			emu.faults.inject({ kind: 'freshNextForever', path: logCase.path, times: 1_000_000 });
			emu.clearRequests();
			const began = Date.now();
			await poller.poll();
			const took = Date.now() - began;
			assert.ok(took < 15_000, `the poll took ${took} ms with a 1 s budget`);
			const cursor = poller.staticData.cursor as IDataObject;
			assert.ok((cursor.since as number) <= Date.now(), 'the cursor is not past now');
			emu.faults.clear();
		});
	}
});
