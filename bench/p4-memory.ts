/**
 * P4 memory: peak RSS over the resting baseline while the SIEM Logs trigger drains a backlog,
 * at two backlog sizes (default 512 MiB and 1 GiB of uncompressed log), each in a fresh
 * process (p4-drain.ts) with the emulator in a process of its own. Flat means the peak does
 * not grow with the backlog: flatness = peak over baseline at the large size / at the small
 * size. Target: <= 256 MiB over baseline at both sizes, and flatness <= 1.25 (our reading of
 * "flat": within 25%, about the noise of a GC-managed heap).
 */
import { runScript } from './lib/child.ts';
import { report, round } from './lib/stats.ts';

const SIZES = (process.env.BENCH_P4_SIZES ?? '512,1024').split(',').map(Number);
const LIMIT_MB = 256;

async function main(): Promise<void> {
	const runs: Array<Record<string, unknown>> = [];
	for (const mb of SIZES) runs.push(await runScript('p4-drain.ts', { BENCH_P4_MB: String(mb) }));
	const over = runs.map((r) => r.peakOverBaselineMB as number);
	const flatness = over[over.length - 1] / over[0];
	const worst = Math.max(...over);
	report({
		id: 'P4',
		name: `memory (SIEM trigger, peak RSS over baseline draining ${SIZES.map((s) => `${s} MiB`).join(' / ')})`,
		value: worst,
		target: `<= ${LIMIT_MB} MiB at each size, flatness <= 1.25`,
		met: worst <= LIMIT_MB && flatness <= 1.25,
		verdict: worst <= LIMIT_MB && flatness <= 1.25 ? 'met' : 'missed',
		unit: 'MiB',
		detail: {
			flatness: round(flatness),
			runs: runs.map(({ series, ...rest }) => ({ ...rest, series })),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
