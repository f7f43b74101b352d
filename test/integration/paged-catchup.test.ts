/**
 * Catch-up of the newest-first paged triggers (Audit Events, View Logs, Search Logs, Release
 * Logs): a window must be read whole before any of it is emitted, so a poll first has to find a
 * window that fits Max Records per Poll, and every window found too big costs a call against
 * Mimecast's quota. The cursor remembers the records per second of the last window read, so a
 * catch-up sizes each poll's first window right: one request per poll for an even backlog.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { LOG_CASES, recordTime } from '../helpers/logCases';
import { pollHarness } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const SETTLE_S = 10;
const CAP = 50;
const NEWEST_FIRST = ['auditEvents', 'viewLogs', 'archiveSearchLogs', 'releaseLogs'];

describe('newest-first paged triggers catching up', () => {
	const clock = new FakeClock();
	let emu: Emulator;
	useFakeClock(clock);
	useFastRetries();
	before(async () => (emu = await startEmulator({ seed: 14, tenant: 'empty', now: clock.now })));
	after(async () => await emu.close());

	for (const logCase of LOG_CASES.filter((c) => NEWEST_FIRST.includes(c.kind))) {
		const harness = (staticData?: IDataObject) =>
			pollHarness(nodeType(`${logCase.node}Trigger`), {
				parameters: {
					authentication: 'apiKeys',
					...logCase.params,
					simplify: false,
					options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: CAP },
				},
				credentials: credentialsFor(emu, 'apiKeys'),
				staticData,
			});
		/** An even backlog after the cursor: one record every 2 s for 20 minutes. */
		const backlog = (): IDataObject[] => {
			const added: IDataObject[] = [];
			for (let i = 0; i < 600; i++)
				added.push(
					...(emu.data.add(logCase.kind, 1, { at: clock.ms + 1000 + i * 2000 }) as IDataObject[]),
				);
			clock.advance((1200 + SETTLE_S + 2) * 1000);
			return added;
		};
		const drain = async (trigger: ReturnType<typeof harness>) => {
			const seen: IDataObject[] = [];
			const requests: number[] = [];
			const rates: unknown[] = [];
			for (let poll = 0; poll < 40; poll++) {
				emu.clearRequests();
				const items = await trigger.poll();
				requests.push(emu.requests.length);
				rates.push((trigger.staticData.cursor as IDataObject).recordsPerSecond);
				if (!items) break;
				seen.push(...items.map((i) => i.json));
			}
			return { seen, requests, rates };
		};
		const assertExactlyOnceInOrder = (seen: IDataObject[], added: IDataObject[]) => {
			assert.deepEqual(
				seen.map((r) => JSON.stringify(r)).sort(),
				added.map((r) => JSON.stringify(r)).sort(),
			);
			const times = seen.map((r) => recordTime(r, logCase.timeField));
			assert.deepEqual(
				times,
				[...times].sort((a, b) => a - b),
			);
		};

		it(`${logCase.name}: sizes each poll's first window from the last one, one request per poll`, async () => {
			const trigger = harness();
			assert.equal(await trigger.poll(), null, 'the first poll only sets the cursor');
			const added = backlog();
			const { seen, requests, rates } = await drain(trigger);
			assertExactlyOnceInOrder(seen, added);
			// The first poll knows nothing of the backlog: one window too big, then one that fits.
			assert.equal(requests[0], 2, `first poll: ${requests}`);
			// From then on the remembered rate sizes the window: no refused probe, one page each.
			for (const [poll, n] of requests.slice(1).entries())
				assert.equal(n, 1, `poll ${poll + 1} made ${n} requests (${requests})`);
			assert.ok(requests.length <= Math.ceil(600 / (0.9 * CAP)) + 3, `${requests.length} polls`);
			const cursor = trigger.staticData.cursor as IDataObject;
			assert.deepEqual(JSON.parse(JSON.stringify(cursor)), cursor, 'the cursor stays plain JSON');
			// One record every 2 s while catching up; once caught up, the (empty) tail's rate.
			for (const rate of rates.slice(0, -2))
				assert.ok(Math.abs((rate as number) - 0.5) < 0.05, `rates ${rates}`);
			assert.equal(cursor.recordsPerSecond, 0);
		});

		it(`${logCase.name}: resumes from a cursor stored before the rate hint, or with a wrong one`, async () => {
			for (const hint of [undefined, 1000, 0.001, 'fast']) {
				const first = harness();
				await first.poll();
				const added = backlog();
				// The cursor as an earlier version stored it (no hint), or edited to a wrong hint.
				const { recordsPerSecond: _ignored, ...stored } = first.staticData.cursor as IDataObject;
				const cursor = hint === undefined ? stored : { ...stored, recordsPerSecond: hint };
				const trigger = harness({ cursor: JSON.parse(JSON.stringify(cursor)) as IDataObject });
				const { seen, requests } = await drain(trigger);
				assertExactlyOnceInOrder(seen, added);
				// A wrong hint costs at most a few probes in the first poll, then the rate is learnt.
				assert.ok(requests[0] <= 4, `hint ${hint}: first poll made ${requests[0]} requests`);
				assert.ok(
					requests.slice(1).every((n) => n === 1),
					`hint ${hint}: ${requests}`,
				);
			}
		});
	}
});
