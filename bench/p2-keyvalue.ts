/**
 * P2 key_value parsing: events/s of the package's `parseKeyValueFile` over events/s of
 * `JSON.parse` on the same events as JSON lines (one JSON.parse per line, as an NDJSON reader
 * does). 200k+ events of all ten API 1.0 log types, made by the emulator's generators and
 * written by the emulator's key_value writer (CRLF, backslash-wrapped values, inline JSON),
 * in files of 1000 events of one type, as Mimecast ships them. Ratio = kv events/s / JSON
 * events/s (higher is better; target >= 1.0).
 */
import { parseKeyValueFile } from '../nodes/Mimecast/siem/keyValue.ts';
import { SIEM_FILE_PREFIXES, SIEM_V1_EVENTS } from '../test/emulator/data/siem-v1-events.ts';
import { toKeyValueFile } from '../test/emulator/key-value.ts';
import { Rng } from '../test/emulator/prng.ts';
import { median, report, round, settle, spread, time, verdict } from './lib/stats.ts';

const FILES = Number(process.env.BENCH_P2_FILES ?? 200);
const EVENTS_PER_FILE = 1000;
const REPS = Number(process.env.BENCH_P2_REPS ?? 15);

interface File {
	kv: string;
	json: string;
}

function makeFiles(): { files: File[]; events: number; kvBytes: number; jsonBytes: number } {
	const files: File[] = [];
	let kvBytes = 0;
	let jsonBytes = 0;
	const t0 = Date.UTC(2025, 0, 1);
	for (let f = 0; f < FILES; f++) {
		const type = SIEM_FILE_PREFIXES[f % SIEM_FILE_PREFIXES.length];
		const rng = Rng.derive(11, `bench:${f}`);
		const events = Array.from({ length: EVENTS_PER_FILE }, (_, i) =>
			SIEM_V1_EVENTS[type](rng, t0 + f * 60_000 + i * 10),
		);
		const kv = toKeyValueFile(events);
		const json = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
		kvBytes += Buffer.byteLength(kv);
		jsonBytes += Buffer.byteLength(json);
		files.push({ kv, json });
	}
	return { files, events: FILES * EVENTS_PER_FILE, kvBytes, jsonBytes };
}

function parseJsonLines(text: string): unknown[] {
	const out: unknown[] = [];
	let p = 0;
	while (p < text.length) {
		let nl = text.indexOf('\n', p);
		if (nl === -1) nl = text.length;
		if (nl > p) out.push(JSON.parse(text.slice(p, nl)));
		p = nl + 1;
	}
	return out;
}

async function main(): Promise<void> {
	const { files, events, kvBytes, jsonBytes } = makeFiles();
	// Same events on both sides: same count, same keys, same values (as text).
	for (const f of [files[0], files[7], files[files.length - 1]]) {
		const a = parseKeyValueFile(f.kv);
		const b = parseJsonLines(f.json) as Array<Record<string, unknown>>;
		if (a.length !== b.length) throw new Error('key_value and JSON lines differ in event count');
		for (let i = 0; i < a.length; i++) {
			const ka = Object.keys(a[i]).join();
			const kb = Object.keys(b[i]).join();
			if (ka !== kb) throw new Error(`key_value and JSON lines differ in keys: ${ka} vs ${kb}`);
		}
	}
	const run = (parse: (text: string) => unknown[], pick: (f: File) => string) => (): number => {
		let n = 0;
		for (const f of files) n += parse(pick(f)).length;
		if (n !== events) throw new Error(`parsed ${n} of ${events} events`);
		return n;
	};
	const kv = run(
		(t) => parseKeyValueFile(t),
		(f) => f.kv,
	);
	const kvTyped = run(
		(t) => parseKeyValueFile(t, { typed: true }),
		(f) => f.kv,
	);
	const json = run(parseJsonLines, (f) => f.json);

	for (let i = 0; i < 2; i++) [kv, kvTyped, json].forEach((fn) => fn());
	const ms = { kv: [] as number[], kvTyped: [] as number[], json: [] as number[] };
	const ratios: number[] = [];
	const typedRatios: number[] = [];
	for (let i = 0; i < REPS; i++) {
		const order: Array<keyof typeof ms> =
			i % 2 ? ['json', 'kv', 'kvTyped'] : ['kv', 'kvTyped', 'json'];
		const got: Record<string, number> = {};
		for (const name of order) {
			settle();
			got[name] = (await time({ kv, kvTyped, json }[name])).ms;
			ms[name].push(got[name]);
		}
		ratios.push(got.json / got.kv);
		typedRatios.push(got.json / got.kvTyped);
	}
	const eps = (v: number[]) => Math.round(events / (median(v) / 1000));
	const ratio = median(ratios);
	report({
		id: 'P2',
		name: 'key_value parsing (parseKeyValueFile events/s / JSON.parse events/s)',
		value: round(ratio),
		target: '>= 1.0',
		met: ratio >= 1.0,
		...verdict(ratios, 1.0, true),
		unit: 'ratio',
		detail: {
			events,
			files: FILES,
			kvMB: round(kvBytes / 1e6, 1),
			jsonLinesMB: round(jsonBytes / 1e6, 1),
			reps: REPS,
			kvEventsPerSec: eps(ms.kv),
			jsonEventsPerSec: eps(ms.json),
			ratioOfMedians: round(median(ms.json) / median(ms.kv)),
			typedRatio: round(median(typedRatios)),
			kvTypedEventsPerSec: eps(ms.kvTyped),
			kvSpread: round(spread(ms.kv)),
			jsonSpread: round(spread(ms.json)),
		},
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
