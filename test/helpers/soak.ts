/**
 * The exactly-once soak shared by the trigger suites (paged-soak, threat-feed-soak): many polls
 * through n8n-core's PollContext while the emulator keeps adding records (same-second groups,
 * late arrivals, bursts over the per-poll cap), a share of the requests fail, and the trigger
 * restarts from its persisted static data at random points; then a drain, and what was emitted
 * is held against the ground truth.
 */
import assert from 'node:assert/strict';

import type { IDataObject } from 'n8n-workflow';

import type { Emulator, FaultKind, RecordedRequest } from '../emulator/types';
import type { FakeClock } from './clock';
import type { PollHarness } from './n8n';

/**
 * The trigger's settings in every soak: a poll each 15 s, Settle Seconds 10 (records arrive at
 * most 7 s late), Max Records per Poll 40 (bursts are sized over it).
 */
export const SOAK = { pollEveryMs: 15_000, settleS: 10, cap: 40 } as const;

export interface SoakPlan<T> {
	emu: Emulator;
	clock: FakeClock;
	random: () => number;
	polls: number;
	/** A trigger on this static data (none: a fresh activation). */
	start: (staticData?: IDataObject) => PollHarness;
	/** Adds `n` records of one second, `at` (epoch ms), to the emulator; returns them. */
	add: (n: number, at: number) => T[];
	/** Where the random faults strike, and which. */
	faults: { path: string; kinds: FaultKind[] };
	/** The requests the fault share is counted against (default: all). */
	counted?: (request: RecordedRequest) => boolean;
}

export interface SoakRun<T> {
	/** The clock when the trigger was activated (its first poll). */
	activatedAt: number;
	/** Every record added during the polls, in order. */
	truth: T[];
	/** The json of every item emitted, in order. */
	emitted: IDataObject[];
	polls: number;
	failedPolls: number;
	restarts: number;
	requests: number;
	faults: number;
}

const faultCount = (emu: Emulator) => Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);

/** Adds this poll's records: nothing, a few stragglers, a group of one second, late ones, a burst. */
function addRecords<T>(plan: SoakPlan<T>, truth: T[]): void {
	const { random } = plan;
	const { settleS, cap } = SOAK;
	const tick = plan.clock.ms;
	const roll = random();
	// Each record's event time is at most settleS - 3 seconds behind the clock when it appears:
	// the settle delay is the promise made for records Mimecast indexes late.
	const addAt = (n: number, lateMs: number) => truth.push(...plan.add(n, tick - lateMs));
	if (roll < 0.35)
		for (let n = 1 + Math.floor(random() * 5); n > 0; n--) addAt(1, Math.floor(random() * 3000));
	else if (roll < 0.5) addAt(2 + Math.floor(random() * 6), 0);
	else if (roll < 0.6)
		addAt(1 + Math.floor(random() * 3), Math.floor(random() * (settleS - 3) * 1000));
	else if (roll < 0.63)
		for (let n = cap * 2 + Math.floor(random() * cap); n > 0; n -= 4)
			addAt(4, Math.floor(random() * 5000));
}

export async function runSoak<T>(plan: SoakPlan<T>): Promise<SoakRun<T>> {
	const { emu, clock, random } = plan;
	let trigger = plan.start();
	await trigger.poll();
	const run: SoakRun<T> = {
		activatedAt: clock.ms,
		truth: [],
		emitted: [],
		polls: plan.polls,
		failedPolls: 0,
		restarts: 0,
		requests: 0,
		faults: 0,
	};
	emu.clearRequests();
	const faultsBefore = faultCount(emu);
	emu.faults.random({ rate: 0.3, kinds: plan.faults.kinds, path: plan.faults.path, resetMs: 5 });
	for (let poll = 0; poll < plan.polls; poll++) {
		addRecords(plan, run.truth);
		clock.advance(SOAK.pollEveryMs);
		try {
			const items = await trigger.poll();
			if (items) run.emitted.push(...items.map((item) => item.json));
		} catch {
			run.failedPolls++;
		}
		if (random() < 0.05) {
			// A restart: n8n reloads the node's static data from its database.
			trigger = plan.start(JSON.parse(JSON.stringify(trigger.staticData)));
			run.restarts++;
		}
	}
	emu.faults.random(null);
	run.requests = plan.counted ? emu.requests.filter(plan.counted).length : emu.requests.length;
	run.faults = faultCount(emu) - faultsBefore;
	for (let drain = 0; drain < 200; drain++) {
		clock.advance(SOAK.pollEveryMs);
		const items = await trigger.poll();
		if (!items) break;
		run.emitted.push(...items.map((item) => item.json));
	}
	return run;
}

/**
 * Logs the tally and asserts it: a fifth of the requests failed, five restarts or more, and
 * every expected record came out once, in time order.
 */
export function assertExactlyOnce(
	label: string,
	run: SoakRun<unknown>,
	expectedKeys: string[],
	emittedKeys: string[],
	emittedTimes: number[],
): void {
	const unique = new Set(emittedKeys);
	const lost = expectedKeys.filter((k) => !unique.has(k)).length;
	const duplicated = emittedKeys.length - unique.size;
	const outOfOrder = emittedTimes.filter((t, i) => i > 0 && t < emittedTimes[i - 1]).length;
	const { emitted, failedPolls, restarts, requests, faults } = run;
	console.log(
		`${label} ${expectedKeys.length} emitted ${emitted.length} polls ${run.polls} failed-polls ${failedPolls} restarts ${restarts} requests ${requests} faults ${faults} (${Math.round((100 * faults) / requests)}%) lost ${lost} duplicated ${duplicated} out-of-order ${outOfOrder}`,
	);
	assert.ok(faults >= requests * 0.2, 'at least a fifth of the requests failed');
	assert.ok(restarts >= 5);
	assert.equal(lost, 0, 'lost');
	assert.equal(duplicated, 0, 'duplicated');
	assert.equal(outOfOrder, 0, 'out of order');
	assert.equal(emitted.length, expectedKeys.length);
}
