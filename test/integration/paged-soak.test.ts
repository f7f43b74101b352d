/**
 * The exactly-once proof for the paged-log triggers: hundreds of polls per log type through
 * n8n-core's PollContext while the emulator keeps adding records, a fifth or more of the
 * requests fail, and the trigger is restarted from its persisted static data at random points
 * (test/helpers/soak.ts). Then what was emitted is compared with the emulator's ground truth.
 */
import { after, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { mulberry32 } from '../emulator/prng';
import type { Emulator } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import type { Auth } from '../helpers/credentials';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { LOG_CASES, recordTime } from '../helpers/logCases';
import type { PollHarness } from '../helpers/n8n';
import { pollHarness } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';
import { assertExactlyOnce, runSoak, SOAK } from '../helpers/soak';

const POLLS = 500;

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
				options: { settleSeconds: SOAK.settleS, maxRecordsPerPoll: SOAK.cap },
			};
			const start = (staticData?: IDataObject): PollHarness =>
				pollHarness(nodeType(`${logCase.node}Trigger`), { parameters, credentials, staticData });

			const run = await runSoak({
				emu,
				clock,
				random,
				polls: POLLS,
				start,
				add: (n, at) => emu.data.add(logCase.kind, n, { at, sameTimestamp: true }),
				faults: { path: logCase.path, kinds: ['429', '500', '503', 'reset', 'truncated'] },
			});

			const key = (r: IDataObject) => JSON.stringify(r);
			const expected = run.truth.filter(
				(r) =>
					recordTime(r as IDataObject, logCase.timeField) >= run.activatedAt - SOAK.settleS * 1000,
			);
			assertExactlyOnce(
				`soak ${logCase.name} (${auth}): records`,
				run,
				expected.map((r) => key(r as IDataObject)),
				run.emitted.map(key),
				run.emitted.map((r) => recordTime(r, logCase.timeField)),
			);
		});
	});
});
