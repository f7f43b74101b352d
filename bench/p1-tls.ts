/**
 * P1 over TLS at 50 ms: the Audit Events action node (Return All, through n8n-core's
 * ExecuteContext and n8n's HTTP helpers) reading 40 pages of 500 records from the emulator over
 * HTTPS with 50 ms of latency per response, against a bare client that, like n8n's helpers,
 * opens a new TLS connection for every request. The ratio isolates the package from n8n's
 * no-keep-alive; beside it, what that no-keep-alive costs: a bare keep-alive client / the bare
 * new-connection client.
 */
import '../test/helpers/n8nEnv.ts';

import { Agent, request } from 'node:https';

import { MimecastAuditEvents } from '../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { signRequest } from '../nodes/Mimecast/core/signing.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { runNode } from '../test/helpers/n8n.ts';
import { trustCaInProcess } from '../test/helpers/tls.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { helperLoop } from './lib/helperLoop.ts';
import { median, report, rotatedRounds, round, verdict } from './lib/stats.ts';

const PAGES = 40;
const PAGE_SIZE = 500;
const RECORDS = PAGES * PAGE_SIZE;
const LATENCY_MS = 50;
const REPS = Number(process.env.BENCH_P1T_REPS ?? 9);
const PATH = '/api/audit/get-audit-events';
const fmt = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+0000`;

async function main(): Promise<void> {
	const now = Date.now();
	const emu = await startRemoteEmulator({
		seed: 7,
		tenant: { auditEvents: RECORDS, days: 2 },
		tls: true,
		latency: LATENCY_MS,
	});
	if (!emu.ca) throw new Error('the emulator did not start with TLS');
	// n8n's helpers take no `ca`: trust the emulator's certificate in this process only.
	trustCaInProcess(emu.ca);
	const start = fmt(now - 3 * 86_400_000);
	const end = fmt(now + 60_000);
	const credentials = credentialsFor(emu, 'apiKeys');

	const node = async (): Promise<number> =>
		(
			await runNode(new MimecastAuditEvents(), {
				parameters: { authentication: 'apiKeys', start, end, returnAll: true, simplify: false },
				credentials,
			})
		).length;

	/** Sign, POST, parse, keep the records, follow `next`: over `agentFor()` per request. */
	const bare = (agentFor: () => Agent) => async (): Promise<number> => {
		const records: unknown[] = [];
		let pageToken: string | undefined;
		for (;;) {
			const pagination: Record<string, unknown> = {
				pageSize: PAGE_SIZE,
				...(pageToken ? { pageToken } : {}),
			};
			const payload = JSON.stringify({
				meta: { pagination },
				data: [{ startDateTime: start, endDateTime: end }],
			});
			const text = await new Promise<string>((resolve, reject) => {
				const req = request(
					`${emu.baseUrl}${PATH}`,
					{
						method: 'POST',
						agent: agentFor(),
						headers: {
							...signRequest(emu.keys.v1, PATH),
							'content-type': 'application/json',
							accept: 'application/json',
						},
					},
					(res) => {
						const chunks: Buffer[] = [];
						res.on('data', (c: Buffer) => chunks.push(c));
						res.on('end', () =>
							res.statusCode === 200
								? resolve(Buffer.concat(chunks).toString('utf8'))
								: reject(new Error(`bare: HTTP ${res.statusCode}`)),
						);
					},
				);
				req.on('error', reject);
				req.end(payload);
			});
			const body = JSON.parse(text) as { data: unknown[]; meta: { pagination: { next?: string } } };
			for (const r of body.data) records.push(r);
			pageToken = body.meta.pagination.next;
			if (!pageToken) return records.length;
		}
	};
	// No `ca` option on either bare agent: like n8n's, their TLS contexts come from the
	// process-wide trust set up above, so all three pay the same context cost per connection.
	// A fresh agent per request has its own empty TLS session cache, as n8n's has: every
	// connection is a full handshake on both sides.
	// No `ca` option on the bare agents: like n8n's, their TLS contexts come from the
	// process-wide trust set up above, so every variant pays the same context cost per connection.
	// bareNew makes a fresh agent per request, as n8n's helpers do: its TLS session cache is
	// empty, so every connection is a full handshake, as the node's are. bareResume keeps one
	// agent without keep-alive: a new connection per request, but TLS sessions resumed.
	const bareNew = bare(() => new Agent({ keepAlive: false }));
	const resuming = new Agent({ keepAlive: false });
	const bareResume = bare(() => resuming);
	const keepAlive = new Agent({ keepAlive: true });
	const bareKeepAlive = bare(() => keepAlive);

	// Diagnostic: the same walk on n8n's request helper (lib/helperLoop.ts). node / helper is
	// the package's own share, helper / bareNew n8n's HTTP stack's.
	const helper = helperLoop(emu.baseUrl, { start, end }, PAGE_SIZE, credentials);

	const variants = { node, helper, bareNew, bareResume, bareKeepAlive };
	const names = Object.keys(variants) as Array<keyof typeof variants>;
	const perRun: Record<string, { requests: number; connections: number }> = {};
	for (const name of names) {
		await emu.requestStats();
		if ((await variants[name]()) !== RECORDS)
			throw new Error(`${name} did not return every record`);
		const s = await emu.requestStats();
		perRun[name] = { requests: s.total, connections: s.connections };
	}

	const { wall, cpu } = await rotatedRounds(variants, REPS);
	const overNew = (series: number[], i: number) => series[i] / wall.bareNew[i];
	const ratios = wall.node.map((_, i) => overNew(wall.node, i));
	const cpuRatios = cpu.node.map((n, i) => n / cpu.bareNew[i]);
	const keepAliveRatios = wall.node.map((_, i) => overNew(wall.bareKeepAlive, i));
	const resumeRatios = wall.node.map((_, i) => overNew(wall.bareResume, i));
	keepAlive.destroy();
	resuming.destroy();
	await emu.close();
	const ratio = median(ratios);
	const keepAliveRatio = median(keepAliveRatios);
	report({
		id: 'P1t',
		name: `paging overhead over TLS at ${LATENCY_MS} ms (node / bare new-connection client, ${PAGES} x ${PAGE_SIZE}); keep-alive / new-connection ${round(keepAliveRatio)}`,
		value: round(ratio),
		target: '<= 1.05',
		met: ratio <= 1.05,
		...verdict(ratios, 1.05, false),
		unit: 'ratio',
		detail: {
			records: RECORDS,
			latencyMs: LATENCY_MS,
			reps: REPS,
			perRun,
			cpuRatio: round(median(cpuRatios)),
			nodeOverHelperLoop: {
				wall: round(median(wall.node) / median(wall.helper)),
				cpu: round(median(cpu.node) / median(cpu.helper)),
			},
			helperLoopOverNewConnection: {
				wall: round(median(wall.helper) / median(wall.bareNew)),
				cpu: round(median(cpu.helper) / median(cpu.bareNew)),
			},
			keepAliveOverNewConnection: round(keepAliveRatio),
			resumedSessionOverNewConnection: round(median(resumeRatios)),
			newConnectionCostMsPerRequest: round(
				(median(wall.bareNew) - median(wall.bareKeepAlive)) / PAGES,
				2,
			),
			msPerPage: {
				node: round(median(wall.node) / PAGES, 2),
				helperLoop: round(median(wall.helper) / PAGES, 2),
				bareNew: round(median(wall.bareNew) / PAGES, 2),
				bareResume: round(median(wall.bareResume) / PAGES, 2),
				bareKeepAlive: round(median(wall.bareKeepAlive) / PAGES, 2),
			},
			cpuMsPerPage: {
				node: round(median(cpu.node) / PAGES, 2),
				helperLoop: round(median(cpu.helper) / PAGES, 2),
				bareNew: round(median(cpu.bareNew) / PAGES, 2),
				bareResume: round(median(cpu.bareResume) / PAGES, 2),
				bareKeepAlive: round(median(cpu.bareKeepAlive) / PAGES, 2),
			},
			pairRatios: ratios.map((r) => round(r)),
			keepAlivePairRatios: keepAliveRatios.map((r) => round(r)),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
