/**
 * Every polling trigger in a real n8n 2.x under `n8n start`: the emulator adds records while n8n
 * polls, n8n is restarted in the middle, and n8n's own saved executions must hold each new
 * record exactly once. The scenario's parts are in pollingTriggers.ts (shared with queue mode).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Execution } from '../../scripts/n8n-harness';
import { nodeItems } from '../../scripts/n8n-harness';
import { TRIGGERS } from './cases';
import { pollingWorkflow, TriggerBatches } from './pollingTriggers';
import type { E2e } from './setup';
import { assertBuilt, closeChecked, startE2e } from './setup';

const WORKFLOW_ID = 'e2eTriggers';

describe('polling triggers in a real n8n (n8n start, restart in between)', () => {
	const cases = TRIGGERS;
	let e2e: E2e;
	let run: TriggerBatches;
	let restartedAtExecution = 0;

	before(async () => {
		assertBuilt(cases.map((c) => c.node));
		e2e = await startE2e('triggers', { seed: 7, tenant: 'small' });
		run = new TriggerBatches(e2e.emu, cases, () =>
			e2e.home.executions({ workflowId: WORKFLOW_ID }),
		);
		await e2e.home.importWorkflows([pollingWorkflow(WORKFLOW_ID, cases)]);
		await e2e.home.publish(WORKFLOW_ID);
		await e2e.home.start();
		await run.waitForFirstPolls(Date.now());

		await run.arrived(run.add('A (running)'));
		await run.arrived(run.add('B (running, next poll)'));
		await e2e.home.stop();
		const whileDown = run.add('C (added while n8n was stopped)');
		restartedAtExecution = run.executions.length;
		await e2e.home.start();
		await run.arrived(whileDown);
		await run.arrived(run.add('D (after the restart)'));
		await run.settle();
	});

	after(async () => {
		await closeChecked(e2e);
	});

	it('n8n ran the polls as trigger executions that succeeded', () => {
		assert.ok(run.executions.length > 0);
		for (const e of run.executions) {
			assert.equal(e.mode, 'trigger');
			assert.equal(
				e.status,
				'success',
				`execution ${e.id}: ${JSON.stringify(e.data?.resultData?.error ?? {}).slice(0, 500)}`,
			);
		}
	});

	for (const c of TRIGGERS) {
		describe(c.name, () => {
			it('emits every new record exactly once, before and after a restart', () => {
				const { duplicates, got, expected } = run.emitted(c);
				assert.ok(expected.length >= run.batches.length, 'records were added in every batch');
				assert.deepEqual(duplicates, [], 'no record emitted twice');
				assert.deepEqual(got, expected, 'exactly the records added after activation');
			});

			it('spread over at least two polls before the restart and one after', () => {
				const withItems = (list: Execution[]) =>
					list.filter((e) => nodeItems(e.data, c.name).length > 0).length;
				assert.ok(
					withItems(run.executions.slice(0, restartedAtExecution)) >= 2,
					'two polls with records before the restart',
				);
				assert.ok(
					withItems(run.executions.slice(restartedAtExecution)) >= 1,
					'a poll with records after the restart',
				);
			});
		});
	}
});
