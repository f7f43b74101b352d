/**
 * P3 SIEM end to end: MB/s of uncompressed log turned into n8n items by the SIEM Logs action
 * node (API 1.0 token chain, compress: true, fileFormat json, Return All, Output Events, through
 * n8n-core's ExecuteContext against the emulator), over MB/s of native zlib.inflateRawSync +
 * JSON.parse of the very same zip bytes (local headers read by hand). Ratio = node MB/s /
 * baseline MB/s (higher is better; target >= 0.8).
 *
 * The emulator answers from memory (emulator-child.ts `cacheSiem`): otherwise its own
 * JSON.stringify + deflate of every file would be billed to the node.
 */
import '../test/helpers/n8nEnv.ts';

import { MimecastSiemLogs } from '../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { runNode } from '../test/helpers/n8n.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { fetchSiemChain } from './lib/siemFetch.ts';
import { median, report, round, settle, spread, time, verdict } from './lib/stats.ts';
import { zipEntries } from './lib/zip.ts';

const FILES = Number(process.env.BENCH_P3_FILES ?? 200);
const EVENTS_PER_FILE = 500;
const REPS = Number(process.env.BENCH_P3_REPS ?? 7);

async function main(): Promise<void> {
	const emu = await startRemoteEmulator({
		seed: 3,
		tenant: { siemFiles: FILES, siemEventsPerFile: EVENTS_PER_FILE, days: 2 },
	});
	await emu.materialiseSiem();
	await emu.cacheSiem(true);
	const zips = await fetchSiemChain(emu.baseUrl, emu.keys.v1, 'json');
	const compressedBytes = zips.reduce((n, z) => n + z.length, 0);

	/** Native: inflate each entry, parse it, keep the events. */
	const baseline = (): { events: number; bytes: number } => {
		let events = 0;
		let bytes = 0;
		const kept: unknown[] = [];
		for (const zip of zips) {
			for (const entry of zipEntries(zip)) {
				bytes += entry.data.length;
				const file = JSON.parse(entry.data.toString('utf8')) as { data: unknown[] };
				for (const e of file.data) kept.push(e);
				events += file.data.length;
			}
		}
		return { events, bytes };
	};
	const truth = baseline();
	if (truth.events !== FILES * EVENTS_PER_FILE)
		throw new Error(`baseline read ${truth.events} events`);

	const credentials = credentialsFor(emu, 'apiKeys');
	const node = async (): Promise<number> => {
		const items = await runNode(new MimecastSiemLogs(), {
			parameters: {
				authentication: 'apiKeys',
				output: 'events',
				fileFormat: 'json',
				returnAll: true,
				options: { compress: true, maxEventsPerRun: 100_000_000, maxBytesPerRun: 100_000 },
			},
			credentials,
		});
		if (items.length !== truth.events || items.some((i) => i.json.warning !== undefined)) {
			throw new Error(`node returned ${items.length} items of ${truth.events} events`);
		}
		return items.length;
	};

	for (let i = 0; i < 2; i++) {
		await node();
		baseline();
	}
	const nodeMs: number[] = [];
	const baseMs: number[] = [];
	const nodeCpu: number[] = [];
	const baseCpu: number[] = [];
	const ratios: number[] = [];
	for (let i = 0; i < REPS; i++) {
		const order = i % 2 === 0 ? ['node', 'base'] : ['base', 'node'];
		const got: Record<string, number> = {};
		for (const which of order) {
			settle();
			const t = which === 'node' ? await time(node) : await time(baseline);
			got[which] = t.ms;
			(which === 'node' ? nodeCpu : baseCpu).push(t.cpuMs);
		}
		nodeMs.push(got.node);
		baseMs.push(got.base);
		ratios.push(got.base / got.node);
	}
	const stats = await emu.requestStats();
	await emu.close();
	const mbps = (ms: number) => truth.bytes / 1e6 / (ms / 1000);
	const ratio = median(ratios);
	report({
		id: 'P3',
		name: 'SIEM end to end (SIEM Logs node MB/s / inflateRawSync+JSON.parse MB/s, json, zip)',
		value: round(ratio),
		target: '>= 0.8',
		met: ratio >= 0.8,
		...verdict(ratios, 0.8, true),
		unit: 'ratio',
		detail: {
			files: FILES,
			events: truth.events,
			uncompressedMB: round(truth.bytes / 1e6, 1),
			compressedMB: round(compressedBytes / 1e6, 1),
			responses: zips.length,
			reps: REPS,
			nodeMBps: round(mbps(median(nodeMs)), 1),
			baselineMBps: round(mbps(median(baseMs)), 1),
			ratioOfMedians: round(median(baseMs) / median(nodeMs)),
			cpuRatio: round(median(baseCpu) / median(nodeCpu)),
			nodeMedianMs: round(median(nodeMs), 1),
			baselineMedianMs: round(median(baseMs), 1),
			nodeSpread: round(spread(nodeMs)),
			baselineSpread: round(spread(baseMs)),
			emulatorRendered: stats.total,
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
