/**
 * The package in n8n's queue mode: a main process (`n8n start`, EXECUTIONS_MODE=queue), two
 * workers (`n8n worker`), Postgres and Redis, all real and on 127.0.0.1, against the emulator.
 *
 * Which process ran an execution: n8n keeps no worker column in `execution_entity` (checked on
 * n8n 2.41.1: id, workflowId, mode, status, startedAt, stoppedAt, …). Each worker logs
 * "Worker started execution <id> (job <n>)" and the main process logs "Enqueued execution <id>"
 * when it hands one to Redis, so the suite reads every process's own log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Execution, N8nHome, Workflow } from '../../scripts/n8n-harness';
import { N8nHome as Home, emulatorCredentials } from '../../scripts/n8n-harness';
import type { Postgres, Redis } from '../../scripts/queue-services';
import { startPostgres, startRedis } from '../../scripts/queue-services';
import { startEmulator } from '../emulator';
import type { Emulator, LogRecord } from '../emulator/types';
import type { PagedActionCase } from '../e2e/cases';
import { canonical, PAGED_ACTIONS, recordTime, TRIGGERS } from '../e2e/cases';
import { pollingWorkflow, TriggerBatches } from '../e2e/pollingTriggers';
import {
	assertBuilt,
	assertNoSecretIn,
	homeFiles,
	log,
	mimecastNode,
	secretsOf,
} from '../e2e/setup';

const HOUR = 3_600_000;
const END = Math.floor((Date.now() - 60_000) / 1000) * 1000;
const START = END - 24 * HOUR;
const TRIGGER_WORKFLOW = 'queueTriggers';
const actionCases = PAGED_ACTIONS;
const triggerCases = TRIGGERS;

const ACTIONS_WORKFLOW = 'queueActions';
const hookPath = (c: PagedActionCase) => `mimecast-${c.kind}`;

/**
 * One webhook per action node, each answering with its node's items (`lastNode`): a webhook
 * call runs only its own branch, on a worker. One workflow, so one publish.
 */
function actionsWorkflow(cases: PagedActionCase[]): Workflow {
	const window = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };
	return {
		id: ACTIONS_WORKFLOW,
		name: 'queue actions',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: cases.flatMap((c, i) => {
			const auth = i % 2 === 0 ? 'oAuth2' : 'apiKeys';
			const node = mimecastNode(c.name, c.node, auth, {
				...c.params,
				...window,
				returnAll: true,
				simplify: false,
			});
			return [
				{
					id: `hook-${i}`,
					name: `Webhook ${c.name}`,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: randomUUID(),
					position: [0, i * 200] as [number, number],
					parameters: {
						httpMethod: 'POST',
						path: hookPath(c),
						responseMode: 'lastNode',
						responseData: 'allEntries',
						options: {},
					},
				},
				{ ...node, id: `node-${i}`, typeVersion: 1, position: [300, i * 200] as [number, number] },
			];
		}),
		connections: Object.fromEntries(
			cases.map((c) => [
				`Webhook ${c.name}`,
				{ main: [[{ node: c.name, type: 'main' as const, index: 0 }]] },
			]),
		),
	};
}

/** Execution id → which processes logged that they ran it (workers) or enqueued it (main). */
function whoRan(homes: Record<string, N8nHome>): {
	ranBy: Map<number, string[]>;
	enqueued: Set<number>;
} {
	const ranBy = new Map<number, string[]>();
	const enqueued = new Set<number>();
	for (const [name, home] of Object.entries(homes)) {
		for (const m of home.transcript.matchAll(/Worker started execution (\d+) \(job/g))
			ranBy.set(Number(m[1]), [...(ranBy.get(Number(m[1])) ?? []), name]);
		for (const m of home.transcript.matchAll(/Enqueued execution (\d+) \(job/g))
			if (name === 'main') enqueued.add(Number(m[1]));
	}
	return { ranBy, enqueued };
}

describe('queue mode: n8n main, two workers, Postgres and Redis', () => {
	let emu: Emulator;
	let pg: Postgres;
	let redis: Redis;
	let main: N8nHome;
	let workers: Record<string, N8nHome>;
	let run: TriggerBatches;
	const responses = new Map<string, { status: number; items: Array<Record<string, unknown>> }>();
	let killed = '';
	let killedAfterExecution = 0;
	let restartedAtExecution = 0;
	const homes = () => ({ main, ...workers });

	before(async () => {
		assertBuilt([...actionCases, ...triggerCases].map((c) => c.node));
		const started = Date.now();
		emu = await startEmulator({
			port: 0,
			seed: 1401,
			// Every log kind of the case table, enough for more than one 500-record page a day.
			tenant: {
				...Object.fromEntries(actionCases.map((c) => [c.kind, 1100])),
				days: 2,
				siemFiles: 4,
				batchFilesPerType: 1,
			},
		});
		pg = await startPostgres(log);
		redis = await startRedis(log);
		const env = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
		};
		// One home each: every process loads the package from its own user folder, as on
		// separate machines; they share the database, Redis and N8N_ENCRYPTION_KEY.
		main = await Home.create({ name: 'queue-main', log, env });
		workers = {
			worker1: await Home.create({ name: 'queue-w1', log, env }),
			worker2: await Home.create({ name: 'queue-w2', log, env }),
		};
		await main.importCredentials(emulatorCredentials(emu));
		// (import:workflow --activeState=fromJson, meant for queue mode, fails to activate in
		// 2.41.1: "User attempted to activate a workflow without permissions".)
		await main.importWorkflows([
			actionsWorkflow(actionCases),
			pollingWorkflow(TRIGGER_WORKFLOW, triggerCases),
		]);
		await Promise.all([main.publish(ACTIONS_WORKFLOW), main.publish(TRIGGER_WORKFLOW)]);
		run = new TriggerBatches(emu, triggerCases, () =>
			main.executions({ workflowId: TRIGGER_WORKFLOW }),
		);
		const mainStarted = Date.now();
		// Three n8n processes booting at once on a small machine: more than start()'s default wait.
		const timeoutMs = 300_000;
		await Promise.all([
			main.start({ timeoutMs }),
			...Object.values(workers).map((w) => w.start({ worker: true, timeoutMs })),
		]);
		await run.waitForFirstPolls(mainStarted);
		log(`services and n8n up in ${((Date.now() - started) / 1000).toFixed(0)} s`);

		await Promise.all(
			actionCases.map(async (c) => {
				const res = await fetch(`${main.url}/webhook/${hookPath(c)}`, { method: 'POST' });
				const text = await res.text();
				let items: Array<Record<string, unknown>> = [];
				try {
					items = JSON.parse(text) as Array<Record<string, unknown>>;
				} catch {
					assert.fail(
						`${c.name}: the webhook answered ${res.status} with no JSON: ${text.slice(0, 500)}`,
					);
				}
				responses.set(c.name, { status: res.status, items });
			}),
		);

		await run.arrived(run.add('A (running)'));
		await run.arrived(run.add('B (running, next poll)'));
		// Kill a worker that has done work, as a crash or an OOM kill would.
		const ranBy = whoRan(workers).ranBy;
		killed =
			Object.keys(workers).find((w) => [...ranBy.values()].some((names) => names.includes(w))) ??
			'worker1';
		await workers[killed].kill('SIGKILL');
		killedAfterExecution = Math.max(0, ...run.executions.map((e) => e.id));
		await run.arrived(run.add(`C (${killed} killed)`));
		await main.stop();
		const whileDown = run.add('D (added while the main process was stopped)');
		restartedAtExecution = run.executions.length;
		await main.start({ timeoutMs: 300_000 });
		await run.arrived(whileDown);
		await run.arrived(run.add('E (after the restart)'));
		await run.settle();
		log(`scenario done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	});

	after(async () => {
		try {
			if (main && pg && redis) {
				const executions = JSON.stringify(await main.executions());
				const places: Array<[string, string]> = [
					['saved executions', executions],
					['Postgres (pg_dump)', pg.dump()],
					['Redis (RDB snapshot, uncompressed)', redis.dump().toString('latin1')],
					['Postgres log', pg.output()],
					['Redis log', redis.output()],
				];
				for (const [name, home] of Object.entries(homes()))
					places.push([`${name} output`, home.transcript], ...homeFiles(home));
				assertNoSecretIn(secretsOf(emu), places);
			}
		} finally {
			// E2E_KEEP=1 keeps each n8n home, with what its process printed in transcript.log.
			const keep = process.env.E2E_KEEP === '1';
			for (const home of Object.values(homes())) {
				if (keep && home)
					fs.writeFileSync(path.join(home.userFolder, 'transcript.log'), home.transcript);
				await home?.dispose({ keep });
			}
			await pg?.close();
			await redis?.close();
			await emu?.close();
		}
	});

	it('every execution ran on a worker, after the main process enqueued it', async () => {
		const all: Execution[] = await main.executions();
		const { ranBy, enqueued } = whoRan(homes());
		assert.ok(all.length > actionCases.length, 'actions and polls were executed');
		for (const e of all) {
			const ran = ranBy.get(e.id) ?? [];
			assert.equal(
				ran.length,
				1,
				`execution ${e.id} (${e.mode}) ran once, on a worker: ${JSON.stringify(ran)}`,
			);
			assert.ok(ran[0].startsWith('worker'), `execution ${e.id} ran on ${ran[0]}`);
			assert.ok(enqueued.has(e.id), `the main process enqueued execution ${e.id}`);
			assert.equal(
				e.status,
				'success',
				`execution ${e.id}: ${JSON.stringify(e.data?.resultData?.error ?? {}).slice(0, 500)}`,
			);
		}
	});

	it('a killed worker loses nothing: the other one ran every execution after it', () => {
		const { ranBy } = whoRan(workers);
		const before = [...ranBy].filter(
			([id, names]) => id <= killedAfterExecution && names.includes(killed),
		);
		assert.ok(before.length > 0, `${killed} ran executions before it was killed`);
		const later = run.executions.filter((e) => e.id > killedAfterExecution);
		assert.ok(later.length > 0, 'polls went on after the kill');
		for (const e of later)
			assert.notDeepEqual(ranBy.get(e.id), [killed], `execution ${e.id} ran on the killed worker`);
	});

	for (const c of PAGED_ACTIONS) {
		it(`${c.name}: the action workflow returns every record of the window`, () => {
			const response = responses.get(c.name);
			assert.ok(response, 'the webhook answered');
			assert.equal(response.status, 200);
			const inWindow: LogRecord[] = emu.data.records(c.kind).filter((r) => {
				const t = recordTime(r, c.timeField);
				return t >= START && t <= END;
			});
			assert.ok(inWindow.length > 500, 'the window spans more than one page');
			assert.deepEqual(response.items.map(canonical).sort(), inWindow.map(canonical).sort());
		});
	}

	for (const c of TRIGGERS) {
		it(`${c.name}: each record exactly once, across a killed worker and a restart of main`, () => {
			const { duplicates, got, expected } = run.emitted(c);
			assert.ok(expected.length >= run.batches.length, 'records were added in every batch');
			assert.deepEqual(duplicates, [], 'no record emitted twice');
			assert.deepEqual(got, expected, 'exactly the records added after activation');
			const withItems = run.executions
				.slice(restartedAtExecution)
				.filter((e) => run.itemsOf(c, [e]).length > 0);
			assert.ok(withItems.length >= 1, 'a poll with records after the restart');
		});
	}
});
