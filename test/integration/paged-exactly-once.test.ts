/**
 * A seeded property test of the paged triggers' exactly-once contract: random bursts (many
 * records in one second, more than Max Records per Poll or not), random caps and random
 * arrival times, for every paged trigger kind of the case table (newest-first and oldest-first
 * endpoints alike). Each record must come out exactly once, in a bounded number of polls, with a
 * bounded number of requests per poll. A failure prints the seed and the case to replay it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { hashString, Rng } from '../emulator/prng';
import { FakeClock, useFakeClock } from '../helpers/clock';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import type { LogCase } from '../helpers/logCases';
import { LOG_CASES } from '../helpers/logCases';
import { pollHarness } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const SEED = 20261202;
const CASES_PER_KIND = 6;
const SETTLE_S = 5;
const CAPS = [1, 2, 3, 5, 10, 40, 499, 501];

interface Scenario {
	cap: number;
	/** Per round: groups of records (size, same second or spread) and the clock step after it. */
	rounds: Array<{
		groups: Array<{ size: number; sameSecond: boolean; ageMs: number }>;
		stepMs: number;
	}>;
}

function scenario(rng: Rng): Scenario {
	const cap = rng.pick(CAPS);
	// Keep the number of polls small: at most ~6 caps' worth of records per group; with a cap
	// near the 500-record page size, a burst of up to 700 still spans two pages.
	const maxGroup = cap >= 499 ? 700 : cap * 6 + 4;
	const rounds = Array.from({ length: rng.int(1, 3) }, () => ({
		groups: Array.from({ length: rng.int(1, 2) }, () => ({
			size: rng.int(1, maxGroup),
			sameSecond: rng.chance(0.6),
			ageMs: rng.int(0, SETTLE_S * 1000),
		})),
		stepMs: rng.int(0, 20) * 1000,
	}));
	return { cap, rounds };
}

async function check(
	logCase: LogCase,
	clock: FakeClock,
	seed: number,
	plan: Scenario,
	rng: Rng,
): Promise<void> {
	const emu = await startEmulator({ seed, tenant: 'empty', now: clock.now });
	const where = `seed ${seed}, ${logCase.name}, ${JSON.stringify(plan)}`;
	try {
		const only = logCase.triggerFilters;
		const trigger = pollHarness(nodeType(`${logCase.node}Trigger`), {
			parameters: {
				authentication: 'apiKeys',
				...logCase.params,
				simplify: false,
				...(only ? { filters: only.filters as INodeParameters } : {}),
				options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: plan.cap },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
		});
		assert.equal(await trigger.poll(), null, 'the first poll only sets the cursor');
		let covered = clock.ms - SETTLE_S * 1000;
		const emitted: string[] = [];
		let biggest = 0;
		// The cursor's records-per-second hint only sizes a first window: a stale or wrong one (an
		// earlier rate, an edit) must never cost a record. Its own generator keeps the scenarios.
		const hints = new Rng(hashString('hint', seed));
		const poll = async () => {
			const cursor = trigger.staticData.cursor as IDataObject | undefined;
			if (cursor && hints.chance(0.3)) cursor.recordsPerSecond = hints.pick([0.001, 0.3, 5, 400]);
			emu.clearRequests();
			const items = await trigger.poll();
			const requests = emu.requests.length;
			// Probes of a window search, plus the pages of the records emitted (or of one whole second).
			const bound = 40 + 2 * Math.ceil((Math.max(biggest, plan.cap) + 2 * plan.cap) / 500);
			assert.ok(requests <= bound, `${requests} requests in one poll (bound ${bound}); ${where}`);
			for (const item of items ?? []) emitted.push(JSON.stringify(item.json));
			covered = clock.ms - SETTLE_S * 1000;
			return items;
		};
		let total = 0;
		for (const round of plan.rounds) {
			for (const group of round.groups) {
				// Only after what the trigger has read: an arrival behind its window is a late arrival,
				// which Settle Delay (not this test) is about.
				const from = Math.max(covered + 1000, clock.ms - group.ageMs);
				if (group.sameSecond)
					emu.data.add(logCase.kind, group.size, { at: from, sameTimestamp: true });
				else
					for (let i = 0; i < group.size; i++)
						emu.data.add(logCase.kind, 1, { at: rng.int(from, clock.ms) });
				total += group.size;
				if (group.sameSecond) biggest = Math.max(biggest, group.size);
			}
			clock.advance(round.stepMs);
			await poll();
		}
		const bursts = plan.rounds.reduce((n, r) => n + r.groups.length, 0);
		const maxPolls = Math.ceil(total / plan.cap) + 2 * bursts + 3;
		let polls = 0;
		const expected = emu.data
			.records(logCase.kind)
			.filter((r) => !only || only.keep(r))
			.map((r) => JSON.stringify(r as IDataObject));
		while (emitted.length < expected.length && polls < maxPolls) {
			clock.advance((SETTLE_S + 1) * 1000);
			await poll();
			polls++;
		}
		clock.advance((SETTLE_S + 1) * 1000);
		assert.equal(await poll(), null, `nothing more once drained; ${where}`);
		assert.equal(
			emitted.length,
			expected.length,
			`emitted ${emitted.length} of ${expected.length} in ${polls} polls after the last arrival (bound ${maxPolls}); ${where}`,
		);
		assert.deepEqual(
			[...emitted].sort(),
			[...expected].sort(),
			`each record exactly once; ${where}`,
		);
	} finally {
		await emu.close();
	}
}

describe('paged triggers emit every record exactly once (seeded property test)', () => {
	const clock = new FakeClock(Date.UTC(2026, 11, 2, 12, 0, 0));
	useFakeClock(clock);
	useFastRetries();

	for (const logCase of LOG_CASES) {
		it(`${logCase.name}: random bursts, caps and arrival times`, async () => {
			const rng = new Rng(hashString(logCase.name, SEED));
			for (let index = 0; index < CASES_PER_KIND; index++) {
				await check(logCase, clock, SEED + index, scenario(rng), rng);
			}
		});
	}
});
