/**
 * P5 rate-limited catch-up: a paged-log trigger, polled back to back through PollContext,
 * drains a backlog while the emulator enforces a quota of LIMIT calls per WINDOW_MS (per
 * access key, Mimecast's X-RateLimit-* headers, 429 when exceeded). Ratio = wall time /
 * (pages needed / LIMIT x WINDOW_MS), pages needed = records / 500 (lower is better; target
 * <= 1.10, with no failed poll).
 *
 * Real clock throughout: the emulator's quota windows run on real time and the package
 * really sleeps for X-RateLimit-Reset, so a fake clock would measure nothing. The window is
 * scaled down (seconds, not Mimecast's unpublished production windows) to keep the run short;
 * per-window costs (a refused call, the wait margin) therefore weigh more here than they
 * would with long windows.
 *
 * BENCH_P5_KIND: ttpUrl (TTP URL trigger, oldest-first endpoint; the headline figure) or
 * auditEvents (Audit Events trigger, a newest-first endpoint read by bisection).
 */
import '../test/helpers/n8nEnv.ts';

import type { INodeType } from 'n8n-workflow';

import { MimecastAuditEventsTrigger } from '../nodes/Mimecast/MimecastAuditEventsTrigger.node.ts';
import { MimecastTtpLogsTrigger } from '../nodes/Mimecast/MimecastTtpLogsTrigger.node.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { pollHarness } from '../test/helpers/n8n.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { median, report, round, verdict } from './lib/stats.ts';

const KIND = (process.env.BENCH_P5_KIND ?? 'ttpUrl') as 'ttpUrl' | 'auditEvents';
const RECORDS = Number(process.env.BENCH_P5_RECORDS ?? 50_000);
const LIMIT = Number(process.env.BENCH_P5_LIMIT ?? 20);
const WINDOW_MS = Number(process.env.BENCH_P5_WINDOW_MS ?? 3000);
const REPS = Number(process.env.BENCH_P5_REPS ?? 2);
const PAGE = 500;

const NODES: Record<typeof KIND, { node: () => INodeType; params: Record<string, unknown> }> = {
	ttpUrl: { node: () => new MimecastTtpLogsTrigger(), params: { logType: 'url' } },
	auditEvents: { node: () => new MimecastAuditEventsTrigger(), params: {} },
};

async function main(): Promise<void> {
	// Data ends two minutes before real now, so the trigger's settle delay (60 s) hides none of it.
	const lag = 120_000;
	const emu = await startRemoteEmulator(
		{
			seed: 5,
			tenant: { [KIND]: RECORDS, days: 1 },
			rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
		},
		4096,
		lag,
	);
	const credentials = credentialsFor(emu, 'apiKeys');
	const { node, params } = NODES[KIND];
	const pagesNeeded = Math.ceil(RECORDS / PAGE);
	const theoreticalMs = (pagesNeeded / LIMIT) * WINDOW_MS;

	const runs: Array<{
		ms: number;
		polls: number;
		failedPolls: number;
		records: number;
		ok: number;
		refused: number;
	}> = [];
	for (let rep = 0; rep < REPS; rep++) {
		// A fresh quota window for each run.
		await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
		await emu.requestStats();
		const trigger = pollHarness(node(), {
			parameters: {
				authentication: 'apiKeys',
				...params,
				simplify: false,
				options: { backfillHours: 26 },
			},
			credentials,
			budgetMs: 120_000,
		});
		const t0 = performance.now();
		let polls = 0;
		let failedPolls = 0;
		let records = 0;
		let idle = 0;
		while (records < RECORDS && idle < 3) {
			polls++;
			try {
				const items = await trigger.poll();
				if (items) {
					records += items.length;
					idle = 0;
				} else idle++;
			} catch (error) {
				failedPolls++;
				console.error(`P5 poll failed: ${(error as Error).message}`);
				if (failedPolls > 5) break;
			}
		}
		const ms = performance.now() - t0;
		const stats = await emu.requestStats();
		runs.push({
			ms,
			polls,
			failedPolls,
			records,
			ok: stats.byStatus['200'] ?? 0,
			refused: stats.byStatus['429'] ?? 0,
		});
		if (records !== RECORDS) throw new Error(`trigger emitted ${records} of ${RECORDS} records`);
	}
	await emu.close();
	const ratio = median(runs.map((r) => r.ms)) / theoreticalMs;
	const failed = runs.reduce((n, r) => n + r.failedPolls, 0);
	report({
		id: KIND === 'ttpUrl' ? 'P5' : 'P5b',
		name: `rate-limited catch-up (${KIND === 'ttpUrl' ? 'TTP URL' : 'Audit Events'} trigger wall time / (pages / limit x window))`,
		value: round(ratio),
		target: '<= 1.10, no failed poll',
		met: ratio <= 1.1 && failed === 0,
		...verdict(
			runs.map((r) => r.ms / theoreticalMs),
			1.1,
			false,
		),
		unit: 'ratio',
		detail: {
			records: RECORDS,
			limit: LIMIT,
			windowMs: WINDOW_MS,
			pagesNeeded,
			theoreticalMs: round(theoreticalMs, 0),
			reps: REPS,
			failedPolls: failed,
			runs: runs.map((r) => ({
				...r,
				ms: round(r.ms, 0),
				callsPerPage: round(r.ok / pagesNeeded, 3),
			})),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
