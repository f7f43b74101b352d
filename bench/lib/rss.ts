/**
 * Peak RSS of this process, sampled every ~50 ms from a worker thread: the worker's timer keeps
 * firing while the main thread is busy in synchronous work (inflating, parsing), where a
 * main-thread setInterval would miss the peak. process.memoryUsage.rss() reads the whole
 * process, whichever thread asks. Linux's own high-water mark (VmHWM, reset through
 * /proc/self/clear_refs) is read as well, as a cross-check that sees between samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let max = 0, n = 0;
const series = [];
const t0 = Date.now();
const tick = () => {
	const rss = process.memoryUsage.rss();
	if (rss > max) max = rss;
	if (n++ % 10 === 0) series.push([Date.now() - t0, rss]);
};
tick();
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', () => {
	tick();
	clearInterval(timer);
	parentPort.postMessage({ max, samples: n, series });
});
`;

export interface RssResult {
	/** Highest sampled RSS, bytes. */
	max: number;
	samples: number;
	/** Every 10th sample: [ms since start, rss]. */
	series: Array<[number, number]>;
	/** Kernel high-water mark since the reset, bytes (undefined where /proc is not there). */
	hwm?: number;
}

export function readHwm(): number | undefined {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets VmHWM to the current RSS; false if the kernel does not allow it. */
export function resetHwm(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

export function startRssSampler(everyMs = 50): { stop(): Promise<RssResult> } {
	const worker = new Worker(WORKER, { eval: true, workerData: { everyMs } });
	const hwmReset = resetHwm();
	return {
		stop: () =>
			new Promise<RssResult>((resolve, reject) => {
				worker.once('message', (r: Omit<RssResult, 'hwm'>) => {
					void worker.terminate();
					resolve({ ...r, hwm: hwmReset ? readHwm() : undefined });
				});
				worker.once('error', reject);
				worker.postMessage('stop');
			}),
	};
}

/** Median RSS over `ms`, sampled every 50 ms (the process at rest). */
export async function restingRss(ms = 1000): Promise<number> {
	const values: number[] = [];
	const until = Date.now() + ms;
	while (Date.now() < until) {
		values.push(process.memoryUsage.rss());
		await new Promise((r) => setTimeout(r, 50));
	}
	values.sort((a, b) => a - b);
	return values[values.length >> 1];
}
