/**
 * P6 SIEM 2.0 catch-up over a slow link: the SIEM Logs action node (API 2.0, one log type,
 * Return All, Output Events, through n8n-core's ExecuteContext) reading 200 batch files while
 * the emulator waits 50 ms before every response. Figure = wall time / the latency floor for
 * the concurrency used (files x latency / concurrency + listing pages x latency), at the
 * default Download Concurrency 4 (target <= 1.25); beside it the speed-up over concurrency 1
 * (target >= 3), from the same rounds.
 */
import '../test/helpers/n8nEnv.ts';

import { MimecastSiemLogs } from '../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { LOG_DEFINITIONS } from '../nodes/Mimecast/logTypes';
import { SIEM_DEFAULTS } from '../nodes/Mimecast/execution/siemParams.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { runNode } from '../test/helpers/n8n.ts';
import { trustCaInProcess } from '../test/helpers/tls.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { median, report, round, settle, time, verdict } from './lib/stats.ts';

const FILES = Number(process.env.BENCH_P6_FILES ?? 200);
const EVENTS_PER_FILE = 20;
const LATENCY_MS = Number(process.env.BENCH_P6_LATENCY_MS ?? 50);
const REPS = Number(process.env.BENCH_P6_REPS ?? 5);
const TLS = process.env.BENCH_P6_TLS === '1';
const CONCURRENCY = SIEM_DEFAULTS.downloadConcurrency.default;
const PAGE_SIZE = LOG_DEFINITIONS.siemLogs.v2.pageSize;
/** Listing pages of one type: Mimecast says "caught up" on the page holding the last file. */
const PAGES = Math.max(1, Math.ceil(FILES / PAGE_SIZE));
const floorMs = (concurrency: number): number =>
	(FILES * LATENCY_MS) / concurrency + PAGES * LATENCY_MS;

async function main(): Promise<void> {
	const emu = await startRemoteEmulator({
		seed: 6,
		// Every type gets FILES files; the node reads one of them.
		tenant: {
			siemFiles: 0,
			batchFilesPerType: FILES,
			batchEventsPerFile: EVENTS_PER_FILE,
			days: 2,
		},
		latency: LATENCY_MS,
		tls: TLS,
	});
	if (TLS) trustCaInProcess(emu.ca!);
	const credentials = credentialsFor(emu, 'oAuth2');
	const run = (concurrency: number) => async (): Promise<number> => {
		const items = await runNode(new MimecastSiemLogs(), {
			parameters: {
				authentication: 'oAuth2',
				output: 'events',
				logTypes: ['delivery'],
				returnAll: true,
				options: { downloadConcurrency: concurrency, maxEventsPerRun: 100_000_000 },
			},
			credentials,
		});
		if (items.length !== FILES * EVENTS_PER_FILE || items.some((i) => i.json.warning))
			throw new Error(`concurrency ${concurrency}: ${items.length} items`);
		return items.length;
	};
	const variants = { concurrent: run(CONCURRENCY), sequential: run(1) };

	// Warm-up: the emulator gzips each file once, the OAuth token is fetched; requests per run.
	const perRun: Record<string, Record<string, number>> = {};
	for (const [name, fn] of Object.entries(variants)) {
		await emu.requestStats();
		await fn();
		const s = await emu.requestStats();
		perRun[name] = { requests: s.total, connections: s.connections };
	}

	const wall = { concurrent: [] as number[], sequential: [] as number[] };
	const cpu = { concurrent: [] as number[], sequential: [] as number[] };
	const ratios: number[] = [];
	const speedUps: number[] = [];
	for (let i = 0; i < REPS; i++) {
		const order =
			i % 2 === 0
				? (['concurrent', 'sequential'] as const)
				: (['sequential', 'concurrent'] as const);
		for (const name of order) {
			settle();
			const t = await time(variants[name]);
			wall[name].push(t.ms);
			cpu[name].push(t.cpuMs);
		}
		ratios.push(wall.concurrent[i] / floorMs(CONCURRENCY));
		speedUps.push(wall.sequential[i] / wall.concurrent[i]);
	}
	await emu.close();
	const ratio = median(ratios);
	const speedUp = median(speedUps);
	const speedUpMet = speedUp >= 3;
	const v = verdict(ratios, 1.25, false);
	report({
		id: 'P6',
		name: `SIEM 2.0 catch-up at ${LATENCY_MS} ms${TLS ? ' over TLS' : ''} (wall / latency floor, ${FILES} files, concurrency ${CONCURRENCY}); speed-up over concurrency 1: ${round(speedUp, 2)}x (target >= 3) ${speedUpMet ? 'met' : 'MISSED'}`,
		value: round(ratio),
		target: '<= 1.25, speed-up >= 3',
		met: ratio <= 1.25 && speedUpMet,
		...v,
		verdict: speedUpMet ? v.verdict : 'missed',
		unit: 'ratio',
		detail: {
			files: FILES,
			eventsPerFile: EVENTS_PER_FILE,
			latencyMs: LATENCY_MS,
			tls: TLS,
			concurrency: CONCURRENCY,
			listingPages: PAGES,
			floorMs: { concurrent: floorMs(CONCURRENCY), sequential: floorMs(1) },
			medianMs: {
				concurrent: round(median(wall.concurrent), 1),
				sequential: round(median(wall.sequential), 1),
			},
			// This process's CPU time per run: above the floor's share, the run is CPU-bound.
			cpuMs: {
				concurrent: round(median(cpu.concurrent), 1),
				sequential: round(median(cpu.sequential), 1),
			},
			sequentialOverFloor: round(median(wall.sequential) / floorMs(1)),
			speedUp: round(speedUp, 2),
			speedUpTarget: '>= 3',
			speedUpMet,
			reps: REPS,
			perRun,
			pairRatios: ratios.map((r) => round(r)),
			pairSpeedUps: speedUps.map((r) => round(r, 2)),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
