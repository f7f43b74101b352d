/**
 * P1 paging overhead: the Audit Events action node (Return All, through n8n-core's
 * ExecuteContext) pulling 200 pages of 500 records, against a bare loop of fetch + JSON.parse
 * that signs API 1.0 requests itself and walks the same `meta.pagination.next` chain.
 * Ratio = median over alternating runs of node time / bare time (lower is better; target <= 1.05).
 */
import '../test/helpers/n8nEnv.ts';

import { MimecastAuditEvents } from '../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { signRequest } from '../nodes/Mimecast/core/signing.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { runNode } from '../test/helpers/n8n.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { helperLoop } from './lib/helperLoop.ts';
import { median, report, round, settle, spread, time, verdict } from './lib/stats.ts';

const PAGES = 200;
const PAGE_SIZE = 500;
const RECORDS = PAGES * PAGE_SIZE;
const REPS = Number(process.env.BENCH_P1_REPS ?? 21);
const WARMUP = 2;
const PATH = '/api/audit/get-audit-events';

const fmt = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+0000`;

async function main(): Promise<void> {
	const now = Date.now();
	const emu = await startRemoteEmulator({ seed: 7, tenant: { auditEvents: RECORDS, days: 2 } });
	const start = fmt(now - 3 * 86_400_000);
	const end = fmt(now + 60_000);
	const credentials = credentialsFor(emu, 'apiKeys');
	const keys = emu.keys.v1;

	const node = async (): Promise<number> => {
		const items = await runNode(new MimecastAuditEvents(), {
			parameters: { authentication: 'apiKeys', start, end, returnAll: true, simplify: false },
			credentials,
		});
		return items.length;
	};

	/** What any script would do: sign, POST, parse, keep the records, follow `next`. */
	const bare = async (): Promise<number> => {
		const records: unknown[] = [];
		let pageToken: string | undefined;
		for (;;) {
			const pagination: Record<string, unknown> = { pageSize: PAGE_SIZE };
			if (pageToken) pagination.pageToken = pageToken;
			const res = await fetch(`${emu.baseUrl}${PATH}`, {
				method: 'POST',
				headers: {
					...signRequest(keys, PATH),
					'content-type': 'application/json',
					accept: 'application/json',
				},
				body: JSON.stringify({
					meta: { pagination },
					data: [{ startDateTime: start, endDateTime: end }],
				}),
			});
			const body = JSON.parse(await res.text()) as {
				data: unknown[];
				meta: { pagination: { next?: string } };
			};
			if (res.status !== 200) throw new Error(`bare loop: HTTP ${res.status}`);
			for (const r of body.data) records.push(r);
			pageToken = body.meta.pagination.next;
			if (!pageToken) return records.length;
		}
	};

	/** Diagnostic: the same walk on n8n's request helper (see lib/helperLoop.ts). */
	const helper = helperLoop(emu.baseUrl, { start, end }, PAGE_SIZE, credentials);

	// Warm-up, and what each variant costs the server: requests and TCP connections per run.
	const perRun: Record<string, { requests: number; connections: number }> = {};
	for (let i = 0; i < WARMUP; i++) {
		for (const [name, fn] of [
			['node', node],
			['bare', bare],
			['helper', helper],
		] as const) {
			await emu.requestStats();
			if ((await fn()) !== RECORDS) throw new Error(`${name} did not return every record`);
			const s = await emu.requestStats();
			perRun[name] = { requests: s.total, connections: s.connections };
		}
	}

	const wall = { node: [] as number[], bare: [] as number[], helper: [] as number[] };
	const cpu = { node: [] as number[], bare: [] as number[], helper: [] as number[] };
	const ratios: number[] = [];
	const cpuRatios: number[] = [];
	for (let i = 0; i < REPS; i++) {
		// Alternate which goes first, so drift (load, GC debt) hits both alike; the ratio is
		// taken per adjacent pair, which cancels load that changes slower than a pair.
		// The diagnostic helper loop runs every third round only, to keep the suite short.
		const pair = i % 2 === 0 ? (['node', 'bare'] as const) : (['bare', 'node'] as const);
		const order = i % 3 === 0 ? [...pair, 'helper' as const] : pair;
		for (const name of order) {
			settle();
			const t = await time({ node, bare, helper }[name]);
			wall[name].push(t.ms);
			cpu[name].push(t.cpuMs);
		}
		ratios.push(wall.node[i] / wall.bare[i]);
		cpuRatios.push(cpu.node[i] / cpu.bare[i]);
	}
	await emu.close();
	const ratio = median(ratios);
	report({
		id: 'P1',
		name: 'paging overhead (Audit Events node / bare fetch+JSON.parse, 200 pages x 500)',
		value: round(ratio),
		target: '<= 1.05',
		met: ratio <= 1.05,
		...verdict(ratios, 1.05, false),
		unit: 'ratio',
		detail: {
			records: RECORDS,
			reps: REPS,
			perRun,
			ratioOfMedians: round(median(wall.node) / median(wall.bare)),
			cpuRatio: round(median(cpuRatios)),
			n8nHelperLoopRatio: round(median(wall.helper) / median(wall.bare)),
			msPerPage: {
				node: round(median(wall.node) / PAGES, 3),
				bare: round(median(wall.bare) / PAGES, 3),
				helperLoop: round(median(wall.helper) / PAGES, 3),
			},
			cpuMsPerPage: {
				node: round(median(cpu.node) / PAGES, 3),
				bare: round(median(cpu.bare) / PAGES, 3),
				helperLoop: round(median(cpu.helper) / PAGES, 3),
			},
			spread: { node: round(spread(wall.node)), bare: round(spread(wall.bare)) },
			pairRatios: ratios.map((r) => round(r)),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
