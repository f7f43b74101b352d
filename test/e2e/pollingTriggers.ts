/**
 * The polling-trigger scenario shared by triggers.test.ts (one n8n process) and
 * test/e2e-queue/ (queue mode): one workflow holding every trigger of cases.ts, records added in
 * labelled batches while n8n polls, and n8n's saved executions read until each batch arrived.
 *
 * n8n refuses poll intervals under a minute (a cron whose seconds field is not one number),
 * but a trigger may have several poll times: six crons at seconds 0, 10, …, 50 poll every
 * 10 seconds, each of them a valid once-a-minute schedule.
 */
import type { Execution, Workflow } from '../../scripts/n8n-harness';
import { mimecastCredentialRef, nodeItems } from '../../scripts/n8n-harness';
import type { Emulator, LogRecord } from '../emulator/types';
import type { TriggerCase } from './cases';
import { canonical, PACKAGE } from './cases';
import { log, waitFor } from './setup';

export const POLL_EVERY_SECONDS = 10;
const PER_BATCH = 3;
const pollTimes = {
	item: Array.from({ length: 60 / POLL_EVERY_SECONDS }, (_, i) => ({
		mode: 'custom',
		cronExpression: `${i * POLL_EVERY_SECONDS} * * * * *`,
	})),
};

export const identity = (c: TriggerCase) => c.identity ?? canonical;

/** One workflow with every trigger, alternating the APIs so both poll for real. */
export function pollingWorkflow(id: string, cases: TriggerCase[]): Workflow {
	return {
		id,
		name: `e2e triggers ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: cases.map((c, i) => {
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
				credentials: mimecastCredentialRef(
					(c.params.authentication as 'oAuth2' | 'apiKeys' | undefined) ?? auth,
				),
			};
		}),
	};
}

export interface Batch {
	label: string;
	/** Per trigger name, the records added. */
	added: Map<string, LogRecord[]>;
	/** Executions already saved when the batch was added. */
	after: number;
}

export class TriggerBatches {
	readonly batches: Batch[] = [];
	executions: Execution[] = [];

	constructor(
		private readonly emu: Emulator,
		readonly cases: TriggerCase[],
		private readonly readExecutions: () => Promise<Execution[]>,
	) {}

	itemsOf(c: TriggerCase, list = this.executions): Array<Record<string, unknown>> {
		return list.flatMap((e) => nodeItems(e.data, c.name));
	}

	/** Activation runs a first poll that only sets each cursor: wait for one poll of every trigger after it. */
	async waitForFirstPolls(since: number): Promise<void> {
		const kinds = new Set(this.cases.map((c) => `${c.node}${JSON.stringify(c.params)}`)).size;
		await waitFor('a poll of every trigger', () => {
			const paths = new Set(
				this.emu.requests
					.filter((r) => r.at >= since && r.path !== '/oauth/token')
					.map((r) => r.path),
			);
			return paths.size >= kinds ? true : undefined;
		});
	}

	add(label: string): Batch {
		const batch: Batch = { label, added: new Map(), after: this.executions.length };
		for (const c of this.cases) batch.added.set(c.name, c.add(this.emu, PER_BATCH));
		this.batches.push(batch);
		log(
			`batch ${label}: added ${[...batch.added.values()].reduce((n, r) => n + r.length, 0)} records`,
		);
		return batch;
	}

	async arrived(batch: Batch): Promise<void> {
		const arrivedAll = () =>
			this.cases.every((c) => {
				const seen = new Set(this.itemsOf(c).map(identity(c)));
				return (batch.added.get(c.name) ?? []).every((r) => seen.has(identity(c)(r)));
			});
		await waitFor(
			`batch ${batch.label} in n8n's executions`,
			async () => {
				this.executions = await this.readExecutions();
				return arrivedAll() ? true : undefined;
			},
			{ timeoutMs: 6 * POLL_EVERY_SECONDS * 1000 },
		);
		log(`batch ${batch.label} arrived (${this.executions.length} executions so far)`);
	}

	/** One more poll cycle, so that a duplicate emitted late would be seen. */
	async settle(): Promise<void> {
		await new Promise((r) => setTimeout(r, (POLL_EVERY_SECONDS + 2) * 1000));
		this.executions = await this.readExecutions();
	}

	/** Duplicates among a trigger's items, and its items and the records added, sorted. */
	emitted(c: TriggerCase): { duplicates: string[]; got: string[]; expected: string[] } {
		const expected = this.batches.flatMap((b) => b.added.get(c.name) ?? []).map(identity(c));
		const got = this.itemsOf(c).map(identity(c));
		const counts = new Map<string, number>();
		for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
		const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
		return { duplicates, got: [...got].sort(), expected: [...expected].sort() };
	}
}
