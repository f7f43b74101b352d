/**
 * SIEM soak: hundreds of polls per API through n8n's PollContext while the emulator keeps
 * publishing files, with faults in a quarter or more of the requests and restarts from the
 * persisted static data at random points. At the end every event Mimecast held must have been
 * emitted exactly once and in order, or reported in a corrupt-file warning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { parseV2Position } from '../../nodes/Mimecast/siem/resumeToken';
import { startEmulator } from '../emulator';
import type { Emulator, FaultKind } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import type { PollHarness } from '../helpers/n8n';
import { pollHarness } from '../helpers/n8n';
import { mulberry32 as prng } from '../emulator/prng';
import { CI_TYPES, decodeV1Token, eventKey, SIEM_TEST_RETRIES, V2_TYPES } from './siem-support';
import { MimecastSiemLogsTrigger } from '../../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { useFastRetries } from '../helpers/fastRetries';

useFastRetries(SIEM_TEST_RETRIES);

const POLLS = 500;
const FAULT_RATE = 0.3;

interface SoakResult {
	records: number;
	polls: number;
	failedPolls: number;
	faults: number;
	requests: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	reportedCorrupt: number;
}

interface Api {
	name: string;
	auth: 'apiKeys' | 'oAuth2';
	faults: FaultKind[];
	grow(emu: Emulator, random: () => number): void;
	/** Ground truth: event key -> [stream, index in stream]. */
	truth(emu: Emulator): Map<string, [string, number]>;
	/** Keys of the events a warning says were skipped. */
	reported(emu: Emulator, warning: IDataObject): string[];
	parameters(random: () => number): INodeParameters;
}

const V1: Api = {
	name: 'API 1.0',
	auth: 'apiKeys',
	faults: ['429', '500', '502', '503', 'reset', 'truncated', 'corruptSiemFile'],
	grow: (emu, random) => void emu.data.addSiemFiles(1 + Math.floor(random() * 2)),
	truth: (emu) =>
		new Map(emu.data.siemEvents().map((e, i) => [eventKey(e as IDataObject), ['chain', i]])),
	reported(emu, warning) {
		// The warning's retryToken and resumeToken bracket the skipped files in the chain.
		const files = emu.data.siemFiles();
		const indexOf = (token: string): number => {
			const [plain, skip = ''] = token.split(':');
			const after = plain
				? files.findIndex((f) => f.id === decodeV1Token(plain)?.siemlogid) + 1
				: 0;
			const filesSkipped = skip.includes('.') ? Number(skip.split('.')[0]) : 0;
			return after + filesSkipped;
		};
		const from = indexOf(String(warning.retryToken));
		const eventsIn = String(warning.retryToken).split(':')[1] ?? '0';
		const firstEvents = Number(eventsIn.includes('.') ? eventsIn.split('.')[1] : eventsIn);
		const to = indexOf(String(warning.resumeToken));
		return files
			.slice(from, to)
			.flatMap((f, i) => (i === 0 ? f.events.slice(firstEvents) : f.events))
			.map((e) => eventKey(e as IDataObject));
	},
	parameters: (random) => ({
		authentication: 'apiKeys',
		startFrom: 'earliest',
		fileFormat: 'json',
		options: { compress: random() < 0.6, maxEventsPerRun: 5 + Math.floor(random() * 40) },
	}),
};

/** Three types keep the run short (each poll lists every selected type); growth goes to them. */
const SOAK_TYPES = V2_TYPES.filter((t) => ['delivery', 'spam', 'urlProtect'].includes(t.value));

function v2Api(name: string, types: typeof V2_TYPES, extra: INodeParameters): Api {
	return {
		name,
		auth: 'oAuth2',
		faults: ['429', '500', '503', 'reset', 'truncated', 'corruptSiemFile', 'expiredFileUrl'],
		grow: (emu, random) =>
			void emu.data.addBatchFiles(
				types[Math.floor(random() * types.length)].api as never,
				1 + Math.floor(random() * 2),
			),
		truth(emu) {
			const out = new Map<string, [string, number]>();
			for (const type of types)
				emu.data
					.batchEvents(type.api as never)
					.forEach((e, i) => out.set(eventKey(e as IDataObject), [type.api, i]));
			return out;
		},
		reported(emu, warning) {
			const id = String(warning.fileName).replace(/\.json\.gz$/, '');
			const type = types.find((t) => t.api === warning.logType)!;
			const file = emu.data.batchFiles(type.api as never).find((f) => f.id === id);
			const first = parseV2Position(String(warning.retryToken))?.types[type.value]?.event ?? 0;
			return (file?.events ?? []).slice(first).map((e) => eventKey(e as IDataObject));
		},
		parameters: (random) => ({
			authentication: 'oAuth2',
			startFrom: 'earliest',
			...extra,
			logTypes: types.map((t) => t.value),
			options: { maxEventsPerRun: 5 + Math.floor(random() * 40) },
		}),
	};
}

const V2 = v2Api('API 2.0', SOAK_TYPES, {});
/** Source Cloud Integrated: its three types, from /siem/v1/batch/events/ci. */
const V2_CI = v2Api('API 2.0 Cloud Integrated', CI_TYPES, { source: 'cloudIntegrated' });

async function soak(api: Api, seed: number): Promise<SoakResult> {
	const random = prng(seed);
	const emu = await startEmulator({
		seed,
		tenant: {
			siemFiles: api.auth === 'apiKeys' ? 30 : 0,
			siemEventsPerFile: 6,
			batchFilesPerType: api.auth === 'oAuth2' ? 6 : 0,
			batchEventsPerFile: 5,
			days: 2,
		},
	});
	try {
		emu.faults.random({ rate: FAULT_RATE, kinds: api.faults, resetMs: 5 });
		const credentials = credentialsFor(emu, api.auth);
		let staticData: IDataObject = {};
		const start = (): PollHarness =>
			pollHarness(new MimecastSiemLogsTrigger(), {
				parameters: api.parameters(random),
				credentials,
				staticData,
				budgetMs: random() < 0.2 ? 100 : 60_000,
			});
		let trigger = start();
		const emitted: IDataObject[] = [];
		const warnings: IDataObject[] = [];
		let failedPolls = 0;
		const take = (items: INodeExecutionData[] | null) => {
			for (const item of items ?? []) {
				if (item.json.warning !== undefined) warnings.push(item.json);
				else emitted.push(item.json.event as IDataObject);
			}
		};
		for (let poll = 0; poll < POLLS; poll++) {
			if (random() < 0.3) api.grow(emu, random);
			if (random() < 0.05) {
				// Restart (or deactivate and reactivate): only the persisted JSON survives.
				staticData = JSON.parse(JSON.stringify(trigger.staticData)) as IDataObject;
				trigger = start();
			}
			try {
				take(await trigger.poll());
			} catch {
				failedPolls++;
			}
		}
		// Faults off, no growth: poll until caught up.
		emu.faults.random(null);
		const siemRequests = emu.requests.filter((r) => r.path !== '/oauth/token');
		const requests = siemRequests.length;
		const faults = siemRequests.filter((r) => r.fault !== undefined).length;
		staticData = JSON.parse(JSON.stringify(trigger.staticData)) as IDataObject;
		trigger = pollHarness(new MimecastSiemLogsTrigger(), {
			parameters: { ...api.parameters(random), options: {} },
			credentials,
			staticData,
		});
		let polls = POLLS;
		for (let idle = 0; idle < 2 && polls < POLLS + 1000; polls++) {
			const items = await trigger.poll();
			take(items);
			idle = items ? 0 : idle + 1;
		}

		const truth = api.truth(emu);
		const seen = new Map<string, number>();
		let duplicated = 0;
		let outOfOrder = 0;
		const lastIndex = new Map<string, number>();
		for (const event of emitted) {
			const key = eventKey(event);
			seen.set(key, (seen.get(key) ?? 0) + 1);
			if (seen.get(key)! > 1) duplicated++;
			const at = truth.get(key);
			if (!at) continue;
			const [stream, index] = at;
			if (index < (lastIndex.get(stream) ?? -1)) outOfOrder++;
			lastIndex.set(stream, index);
		}
		const reported = new Set<string>();
		for (const warning of warnings) for (const key of api.reported(emu, warning)) reported.add(key);
		let lost = 0;
		let reportedCorrupt = 0;
		for (const key of truth.keys()) {
			if (seen.has(key)) {
				if (reported.has(key)) duplicated++;
			} else if (reported.has(key)) reportedCorrupt++;
			else lost++;
		}
		const unknown = [...seen.keys()].filter((k) => !truth.has(k)).length;
		for (const key of reported)
			if (!truth.has(key))
				throw new Error(`a warning reports an event Mimecast does not hold: ${key}`);
		assert.equal(unknown, 0, 'every emitted event is one Mimecast held');
		return {
			records: truth.size,
			polls,
			failedPolls,
			faults,
			requests,
			lost,
			duplicated,
			outOfOrder,
			reportedCorrupt,
		};
	} finally {
		await emu.close();
	}
}

describe('SIEM trigger soak', () => {
	for (const [api, seed] of [
		[V1, 7101],
		[V2, 7202],
		[V2_CI, 7303],
	] as const) {
		it(
			`${api.name}: ${POLLS} polls with faults, growth and restarts lose, repeat and reorder nothing`,
			{ timeout: 120_000 },
			async () => {
				const started = Date.now();
				const r = await soak(api, seed);
				console.log(
					`SIEM soak ${api.name}: records ${r.records} polls ${r.polls} faults ${r.faults} lost ${r.lost} duplicated ${r.duplicated} out-of-order ${r.outOfOrder} reported-corrupt ${r.reportedCorrupt}` +
						` (requests ${r.requests}, failed polls ${r.failedPolls}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
				);
				assert.ok(
					r.faults >= 0.2 * r.requests,
					`faults in at least 20% of requests (${r.faults}/${r.requests})`,
				);
				assert.ok(r.polls >= POLLS);
				assert.equal(r.lost, 0, 'lost');
				assert.equal(r.duplicated, 0, 'duplicated');
				assert.equal(r.outOfOrder, 0, 'out of order');
			},
		);
	}
});
