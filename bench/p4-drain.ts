/**
 * One P4 measurement, in a fresh process (p4-memory.ts runs it per backlog size): the SIEM
 * Logs trigger (API 1.0, Start From Earliest, json, compress, default caps) polled back to back
 * through PollContext until it has drained a backlog of BENCH_P4_MB MiB of uncompressed log,
 * which the emulator (a child process) generated at start-up and serves with one response of
 * look-ahead. Prints peak RSS over the resting RSS measured after a warm-up.
 */
import '../test/helpers/n8nEnv.ts';

import { MimecastSiemLogsTrigger } from '../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { credentialsFor } from '../test/helpers/credentials.ts';
import { pollHarness } from '../test/helpers/n8n.ts';
import { startRemoteEmulator } from './lib/emulator.ts';
import { resetHwm, restingRss, startRssSampler } from './lib/rss.ts';
import { report, round, settle } from './lib/stats.ts';

const TARGET_MB = Number(process.env.BENCH_P4_MB ?? 512);
const EVENTS_PER_FILE = 1000;
const MB = 1024 * 1024;

async function main(): Promise<void> {
	const emu = await startRemoteEmulator({ seed: 4, tenant: 'empty' }, 16_384);
	const backlog = await emu.fillSiem(TARGET_MB * MB, EVENTS_PER_FILE);
	// The emulator renders the next zip while the trigger digests this one (its own core).
	await emu.cacheSiem(true, true);
	const credentials = credentialsFor(emu, 'apiKeys');
	const parameters = {
		authentication: 'apiKeys',
		startFrom: 'earliest',
		fileFormat: 'json',
		output: 'events',
	};

	// Warm-up: a manual "Fetch Test Event" runs the same code (request, unzip, parse, items).
	await pollHarness(new MimecastSiemLogsTrigger(), {
		parameters,
		credentials,
		mode: 'manual',
	}).poll();
	const sampler = startRssSampler(50);
	settle();
	const baseline = await restingRss(1000);
	resetHwm();

	const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
		parameters,
		credentials,
		budgetMs: 600_000,
	});
	const t0 = Date.now();
	let polls = 0;
	let events = 0;
	let failed = 0;
	let empty = 0;
	for (;;) {
		let items;
		try {
			items = await trigger.poll();
		} catch (error) {
			failed++;
			if (failed > 3) throw error;
			continue;
		}
		polls++;
		if (!items) {
			// The first poll of "earliest" may emit nothing; two empty polls in a row: drained.
			if (++empty >= 2 || events >= backlog.events) break;
			continue;
		}
		empty = 0;
		events += items.length;
	}
	const seconds = (Date.now() - t0) / 1000;
	const rss = await sampler.stop();
	await emu.close();
	if (events !== backlog.events)
		throw new Error(`trigger emitted ${events} of ${backlog.events} events`);
	report({
		targetMB: TARGET_MB,
		backlogMB: round(backlog.bytes / MB, 1),
		files: backlog.files,
		events,
		polls,
		failedPolls: failed,
		seconds: round(seconds, 1),
		drainMBps: round(backlog.bytes / MB / seconds, 1),
		baselineMB: round(baseline / MB, 1),
		peakMB: round(rss.max / MB, 1),
		peakOverBaselineMB: round((rss.max - baseline) / MB, 1),
		hwmMB: rss.hwm === undefined ? null : round(rss.hwm / MB, 1),
		hwmOverBaselineMB: rss.hwm === undefined ? null : round((rss.hwm - baseline) / MB, 1),
		samples: rss.samples,
		series: rss.series.map(([t, v]) => [t, round(v / MB, 1)]),
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
