/** Small statistics and timing helpers shared by the figures. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(values: readonly number[], q: number): number {
	const s = [...values].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
}

/**
 * 'met' / 'missed' when the middle half of the paired ratios (25th to 75th percentile) lies on
 * one side of the target, 'borderline' when it straddles it: on a shared, loaded machine a
 * median a few percent from the target is not a verdict.
 */
export function verdict(
	ratios: readonly number[],
	target: number,
	higherIsBetter: boolean,
): { iqr: [number, number]; verdict: 'met' | 'missed' | 'borderline' } {
	const lo = quantile(ratios, 0.25);
	const hi = quantile(ratios, 0.75);
	const ok = (v: number) => (higherIsBetter ? v >= target : v <= target);
	return {
		iqr: [round(lo), round(hi)],
		verdict: ok(lo) && ok(hi) ? 'met' : !ok(lo) && !ok(hi) ? 'missed' : 'borderline',
	};
}

/** Relative spread: (max - min) / median. */
export function spread(values: readonly number[]): number {
	return (Math.max(...values) - Math.min(...values)) / median(values);
}

/** Wall time, and this process's CPU time (user + system), of one run. */
export async function time<T>(
	fn: () => Promise<T> | T,
): Promise<{ ms: number; cpuMs: number; value: T }> {
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const value = await fn();
	const ms = performance.now() - t0;
	const c = process.cpuUsage(c0);
	return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

/** Lets the previous run's garbage be collected before the next timed run, when --expose-gc is on. */
export function settle(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/**
 * Times every variant once a round for `reps` rounds, rotating the order each round so drift
 * hits all variants alike. Index i of each series is round i, so ratios are taken within a round.
 */
export async function rotatedRounds<K extends string>(
	variants: Record<K, () => Promise<unknown>>,
	reps: number,
): Promise<{ wall: Record<K, number[]>; cpu: Record<K, number[]> }> {
	const names = Object.keys(variants) as K[];
	const series = () =>
		Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
	const wall = series();
	const cpu = series();
	for (let i = 0; i < reps; i++) {
		for (const name of names.map((_, k) => names[(k + i) % names.length])) {
			settle();
			const t = await time(variants[name]);
			wall[name].push(t.ms);
			cpu[name].push(t.cpuMs);
		}
	}
	return { wall, cpu };
}

/** The one line a figure script prints last: the orchestrator reads it. */
export function report(result: Record<string, unknown>): void {
	process.stdout.write(`${JSON.stringify(result)}\n`);
}
