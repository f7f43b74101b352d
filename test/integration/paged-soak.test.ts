/**
 * The exactly-once proof for the paged-log triggers: hundreds of polls per log type through
 * n8n-core's PollContext while the emulator keeps adding records (same-second groups, late
 * arrivals, bursts over the per-poll cap), a fifth or more of the requests fail, and the
 * trigger is restarted from its persisted static data at random points. Then what was
 * emitted is compared with the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { mulberry32 } from '../emulator/prng';
import type { Emulator, LogRecord } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import type { Auth } from '../helpers/credentials';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { LOG_CASES, recordTime } from '../helpers/logCases';
import type { PollHarness } from '../helpers/n8n';
import { pollHarness } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const POLLS = 500;
const POLL_EVERY_MS = 15_000;
const SETTLE_S = 10;
const CAP = 40;

describe('soak: paged triggers emit each record exactly once through faults and restarts', () => {
	const clock = new FakeClock();
	useFakeClock(clock);
	useFastRetries();
	let emu: Emulator;
	before(async () => (emu = await startEmulator({ seed: 99, tenant: 'empty', now: clock.now })));
	after(async () => await emu.close());

	LOG_CASES.forEach((logCase, index) => {
		const auth: Auth = index % 2 === 0 ? 'apiKeys' : 'oAuth2';
		it(`${logCase.name} (${auth}): ${POLLS} polls, nothing lost, nothing twice, in order`, async () => {
			const random = mulberry32(1000 + index);
			const credentials = credentialsFor(emu, auth);
			const parameters = {
				authentication: auth,
				...logCase.params,
				simplify: false,
				options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: CAP },
			};
			const start = (staticData?: IDataObject): PollHarness =>
				pollHarness(nodeType(`${logCase.node}Trigger`), { parameters, credentials, staticData });

			let trigger = start();
			await trigger.poll();
			const activatedAt = clock.ms;
			const truth: LogRecord[] = [];
			const emitted: IDataObject[] = [];
			let failedPolls = 0;
			let restarts = 0;
			emu.clearRequests();
			const faultsBefore = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
			emu.faults.random({
				rate: 0.3,
				kinds: ['429', '500', '503', 'reset', 'truncated'],
				path: logCase.path,
				resetMs: 5,
			});

			for (let poll = 0; poll < POLLS; poll++) {
				const tick = clock.ms;
				const roll = random();
				// Each record's event time is at most SETTLE_S - 3 seconds behind the clock when it
				// appears: the settle delay is the promise made for records Mimecast indexes late.
				const addAt = (n: number, lateMs: number) =>
					truth.push(...emu.data.add(logCase.kind, n, { at: tick - lateMs, sameTimestamp: true }));
				if (roll < 0.35)
					for (let n = 1 + Math.floor(random() * 5); n > 0; n--)
						addAt(1, Math.floor(random() * 3000));
				else if (roll < 0.5) addAt(2 + Math.floor(random() * 6), 0);
				else if (roll < 0.6)
					addAt(1 + Math.floor(random() * 3), Math.floor(random() * (SETTLE_S - 3) * 1000));
				else if (roll < 0.63)
					for (let n = CAP * 2 + Math.floor(random() * CAP); n > 0; n -= 4)
						addAt(4, Math.floor(random() * 5000));
				clock.advance(POLL_EVERY_MS);
				try {
					const items = await trigger.poll();
					if (items) emitted.push(...items.map((item) => item.json));
				} catch {
					failedPolls++;
				}
				if (random() < 0.05) {
					// A restart: n8n reloads the node's static data from its database.
					trigger = start(JSON.parse(JSON.stringify(trigger.staticData)));
					restarts++;
				}
			}
			emu.faults.random(null);
			const requests = emu.requests.length;
			const faults = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0) - faultsBefore;
			for (let drain = 0; drain < 200; drain++) {
				clock.advance(POLL_EVERY_MS);
				const items = await trigger.poll();
				if (!items) break;
				emitted.push(...items.map((item) => item.json));
			}

			const key = (r: IDataObject) => JSON.stringify(r);
			const expected = truth.filter(
				(r) => recordTime(r as IDataObject, logCase.timeField) >= activatedAt - SETTLE_S * 1000,
			);
			const emittedKeys = emitted.map(key);
			const unique = new Set(emittedKeys);
			const lost = expected.filter((r) => !unique.has(key(r as IDataObject))).length;
			const duplicated = emittedKeys.length - unique.size;
			const times = emitted.map((r) => recordTime(r, logCase.timeField));
			const outOfOrder = times.filter((t, i) => i > 0 && t < times[i - 1]).length;
			console.log(
				`soak ${logCase.name} (${auth}): records ${expected.length} emitted ${emitted.length} polls ${POLLS} failed-polls ${failedPolls} restarts ${restarts} requests ${requests} faults ${faults} (${Math.round((100 * faults) / requests)}%) lost ${lost} duplicated ${duplicated} out-of-order ${outOfOrder}`,
			);
			assert.ok(faults >= requests * 0.2, 'at least a fifth of the requests failed');
			assert.ok(restarts >= 5);
			assert.equal(lost, 0, 'lost');
			assert.equal(duplicated, 0, 'duplicated');
			assert.equal(outOfOrder, 0, 'out of order');
			assert.equal(emitted.length, expected.length);
		});
	});
});
