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

import type { INodeExecutionData } from 'n8n-workflow';

import { MimecastSiemLogs } from '../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { formatV1Position } from '../nodes/Mimecast/siem/resumeToken.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { runNode } from '../test/helpers/n8n.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { fetchSiemChain } from './lib/siemFetch.ts';
import { median, report, rotatedRounds, round, spread, verdict } from './lib/stats.ts';
import { zipEntries, zipEntriesWeb } from './lib/zip.ts';

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
	const sentTokens: string[] = [];
	const zips = await fetchSiemChain(emu.baseUrl, emu.keys.v1, 'json', sentTokens);
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
	/**
	 * Diagnostics, not the figure: the baseline with inflate through DecompressionStream (what
	 * n8n's no-node:zlib rule leaves), then that plus one n8n item per event carrying its own
	 * resumeToken, as the node returns (the package's item contract). What each step costs is
	 * what bounds the figure from outside the package.
	 */
	const web = async (items: boolean): Promise<number> => {
		let events = 0;
		const kept: unknown[] = [];
		for (let z = 0; z < zips.length; z++) {
			const entries = await zipEntriesWeb(zips[z]);
			for (let f = 0; f < entries.length; f++) {
				const { name, data } = entries[f];
				const file = JSON.parse(data.toString('utf8')) as { data: Record<string, unknown>[] };
				const logType = name.slice(0, name.lastIndexOf('_'));
				for (let j = 0; j < file.data.length; j++) {
					const event = file.data[j];
					if (!items) kept.push(event);
					else {
						const resumeToken = formatV1Position({ token: sentTokens[z], files: f, events: j + 1 });
						const item: INodeExecutionData = {
							json: { logType, fileName: name, resumeToken, event },
							pairedItem: { item: 0 },
						};
						kept.push(item);
					}
				}
				events += file.data.length;
			}
		}
		return events;
	};
	const webInflate = () => web(false);
	const webItems = () => web(true);

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

	const variants = { node, base: async () => baseline().events, webInflate, webItems };
	type Variant = keyof typeof variants;
	const names = Object.keys(variants) as Variant[];
	for (const name of names) {
		if ((await variants[name]()) !== truth.events) throw new Error(`${name} lost events`);
		await variants[name]();
	}
	const { wall, cpu } = await rotatedRounds(variants, REPS);
	const ratios = wall.base.map((base, i) => base / wall.node[i]);
	const nodeMs = wall.node;
	const baseMs = wall.base;
	const cpuMs = (name: Variant) => round(median(cpu[name]), 0);
	const wallMs = (name: Variant) => round(median(wall[name]), 0);
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
			cpuRatio: round(median(cpu.base) / median(cpu.node)),
			// Per variant, median ms per run (CPU is the whole process: zlib's threadpool too).
			cpuMs: {
				node: cpuMs('node'),
				base: cpuMs('base'),
				webInflate: cpuMs('webInflate'),
				webItems: cpuMs('webItems'),
			},
			wallMs: {
				node: wallMs('node'),
				base: wallMs('base'),
				webInflate: wallMs('webInflate'),
				webItems: wallMs('webItems'),
			},
			// The best a package can score under n8n's rules and item contract (CPU, wall):
			floorUnderRules: {
				cpu: round(median(cpu.base) / median(cpu.webItems)),
				wall: round(median(wall.base) / median(wall.webItems)),
			},
			// The node against that floor: what is left to the package itself.
			nodeOverFloor: {
				cpu: round(median(cpu.webItems) / median(cpu.node)),
				wall: round(median(wall.webItems) / median(wall.node)),
			},
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
