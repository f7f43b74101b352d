/**
 * Every polling trigger in a real n8n 2.x under `n8n start`: the emulator adds records while n8n
 * polls, n8n is restarted in the middle, and n8n's own saved executions must hold each new
 * record exactly once.
 *
 * n8n refuses poll intervals under a minute (a cron whose seconds field is not one number),
 * but a trigger may have several poll times: six crons at seconds 0, 10, …, 50 poll every
 * 10 seconds, each of them a valid once-a-minute schedule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Execution } from '../../scripts/n8n-harness';
import { mimecastCredentialRef, nodeItems } from '../../scripts/n8n-harness';
import type { LogRecord } from '../emulator/types';
import type { TriggerCase } from './cases';
import { canonical, PACKAGE, TRIGGERS } from './cases';
import type { E2e } from './setup';
import { assertBuilt, assertNoSecretLeaked, log, startE2e, waitFor } from './setup';

const WORKFLOW_ID = 'e2eTriggers';
const POLL_EVERY_SECONDS = 10;
const PER_BATCH = 3;
const pollTimes = {
	item: Array.from({ length: 60 / POLL_EVERY_SECONDS }, (_, i) => ({ mode: 'custom', cronExpression: `${i * POLL_EVERY_SECONDS} * * * * *` })),
};

const identity = (c: TriggerCase) => c.identity ?? canonical;

interface Batch {
	label: string;
	/** Per trigger name, the records added. */
	added: Map<string, LogRecord[]>;
	/** Executions already saved when the batch was added. */
	after: number;
}

describe('polling triggers in a real n8n (n8n start, restart in between)', () => {
	const cases = TRIGGERS;
	let e2e: E2e;
	const batches: Batch[] = [];
	let executions: Execution[] = [];
	let restartedAtExecution = 0;

	const itemsOf = (c: TriggerCase, list = executions) => list.flatMap((e) => nodeItems(e.data, c.name));
	const seen = (c: TriggerCase) => new Set(itemsOf(c).map(identity(c)));
	const allArrived = (batch: Batch) => cases.every((c) => (batch.added.get(c.name) ?? []).every((r) => seen(c).has(identity(c)(r))));

	async function addBatch(label: string): Promise<Batch> {
		const batch: Batch = { label, added: new Map(), after: executions.length };
		for (const c of cases) batch.added.set(c.name, c.add(e2e.emu, PER_BATCH));
		batches.push(batch);
		log(`batch ${label}: added ${[...batch.added.values()].reduce((n, r) => n + r.length, 0)} records`);
		return batch;
	}

	async function waitForBatch(batch: Batch): Promise<void> {
		// Names the triggers still missing records when it times out.
		const missing = () => cases.filter((c) => !(batch.added.get(c.name) ?? []).every((r) => seen(c).has(identity(c)(r)))).map((c) => c.name);
		await waitFor(`batch ${batch.label} in n8n's executions`, async () => {
			executions = await e2e.home.executions({ workflowId: WORKFLOW_ID });
			return allArrived(batch) ? true : undefined;
		}, { timeoutMs: 6 * POLL_EVERY_SECONDS * 1000 }).catch((error: Error) => {
			throw new Error(`${error.message}; still missing records: ${missing().join(', ')} (${executions.length} executions)`);
		});
		log(`batch ${batch.label} arrived (${executions.length} executions so far)`);
	}

	before(async () => {
		assertBuilt(cases.map((c) => c.node));
		e2e = await startE2e('triggers', { seed: 7, tenant: 'small' });
		await e2e.home.importWorkflows([
			{
				id: WORKFLOW_ID,
				name: 'e2e triggers',
				active: false,
				settings: { executionOrder: 'v1' },
				connections: {},
				nodes: cases.map((c, i) => {
					// Alternate the APIs across triggers so both poll for real.
					const auth = i % 2 === 0 ? 'oAuth2' : 'apiKeys';
					return {
						id: `trigger-${i}`,
						name: c.name,
						type: `${PACKAGE}.${c.node}`,
						typeVersion: 1,
						position: [0, i * 160] as [number, number],
						parameters: {
							authentication: auth,
							pollTimes,
							simplify: false,
							...c.params,
							// A short settle delay: the emulator indexes records at once.
							options: { settleSeconds: 2 },
						},
						credentials: mimecastCredentialRef((c.params.authentication as 'oAuth2' | 'apiKeys' | undefined) ?? auth),
					};
				}),
			},
		]);
		await e2e.home.publish(WORKFLOW_ID);
		await e2e.home.start();
		// Activation runs a first poll that only sets each cursor; wait until every trigger has
		// polled Mimecast once after it, so records added from now on are new to all of them.
		const since = Date.now();
		await waitFor('a poll of every trigger', () => {
			const paths = new Set(e2e.emu.requests.filter((r) => r.at >= since && r.path !== '/oauth/token').map((r) => `${r.path}`));
			return paths.size >= new Set(cases.map((c) => `${c.node}${JSON.stringify(c.params)}`)).size ? true : undefined;
		});

		await waitForBatch(await addBatch('A (running)'));
		await waitForBatch(await addBatch('B (running, next poll)'));
		await e2e.home.stop();
		const whileDown = await addBatch('C (added while n8n was stopped)');
		restartedAtExecution = executions.length;
		await e2e.home.start();
		await waitForBatch(whileDown);
		await waitForBatch(await addBatch('D (after the restart)'));
		// One more poll cycle, so a duplicate emitted late would be seen.
		await new Promise((r) => setTimeout(r, (POLL_EVERY_SECONDS + 2) * 1000));
		executions = await e2e.home.executions({ workflowId: WORKFLOW_ID });
	});

	after(async () => {
		if (!e2e) return;
		try {
			await assertNoSecretLeaked(e2e);
		} finally {
			await e2e.close();
		}
	});

	it('n8n ran the polls as trigger executions that succeeded', () => {
		assert.ok(executions.length > 0);
		for (const e of executions) {
			assert.equal(e.mode, 'trigger');
			assert.equal(e.status, 'success', `execution ${e.id}: ${JSON.stringify(e.data?.resultData?.error ?? {}).slice(0, 500)}`);
		}
	});

	for (const c of TRIGGERS) {
		describe(c.name, () => {
			it('emits every new record exactly once, before and after a restart', () => {
				const expected = batches.flatMap((b) => b.added.get(c.name) ?? []).map(identity(c));
				assert.ok(expected.length >= batches.length, 'records were added in every batch');
				const got = itemsOf(c).map(identity(c));
				const counts = new Map<string, number>();
				for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
				const duplicates = [...counts].filter(([, n]) => n > 1);
				assert.deepEqual(duplicates, [], 'no record emitted twice');
				assert.deepEqual([...got].sort(), [...expected].sort(), 'exactly the records added after activation');
			});

			it('spread over at least two polls before the restart and one after', () => {
				const withItems = (list: Execution[]) => list.filter((e) => nodeItems(e.data, c.name).length > 0).length;
				assert.ok(withItems(executions.slice(0, restartedAtExecution)) >= 2, 'two polls with records before the restart');
				assert.ok(withItems(executions.slice(restartedAtExecution)) >= 1, 'a poll with records after the restart');
			});
		});
	}
});
