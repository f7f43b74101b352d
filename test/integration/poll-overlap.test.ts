/**
 * n8n starts a poll on schedule even while the previous poll of the same node still runs (it
 * only counts the overlap). Two overlapping polls of one trigger must still emit each record
 * once: found by the queue-mode e2e suite, where a slow SIEM poll outlasted its interval and
 * every event of it came out twice. Every trigger: the paged ones from LOG_CASES, and SIEM.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject, INodeType } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, LogRecord } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import { canonical, LOG_CASES } from '../helpers/logCases';
import { pollHarness } from '../helpers/n8n';
import { loadNodeFile, nodeType, registeredNodeFiles } from '../helpers/nodeTypes';

interface OverlapCase {
	name: string;
	trigger: () => INodeType;
	parameters: IDataObject;
	add: (emu: Emulator) => LogRecord[];
	/** What identifies a record in an item. */
	identity: (item: IDataObject) => IDataObject;
}

const CASES: OverlapCase[] = [
	...LOG_CASES.map(
		(c): OverlapCase => ({
			name: `${c.name} Trigger`,
			trigger: () => nodeType(`${c.node}Trigger`),
			parameters: {
				...c.params,
				simplify: false,
				...(c.triggerFilters ? { filters: c.triggerFilters.filters } : {}),
			},
			add: (emu) =>
				emu.data
					.add(c.kind, 3, { at: Date.now(), sameTimestamp: true })
					.filter(c.triggerFilters?.keep ?? (() => true)),
			identity: (item) => item,
		}),
	),
	{
		name: 'SIEM Logs Trigger (API 2.0 batch)',
		trigger: () => nodeType('mimecastSiemLogsTrigger'),
		parameters: { output: 'events', startFrom: 'now' },
		add: (emu) =>
			emu.data
				.addBatchFiles('url protect', 1, { events: 3, at: Date.now() })
				.flatMap((f) => f.events),
		identity: (item) => (item.event ?? item) as IDataObject,
	},
	{
		name: 'Threat Intel Feed Trigger',
		trigger: () => nodeType('mimecastThreatIntelFeedTrigger'),
		parameters: { feedType: 'malwareGrid', fileType: 'stix' },
		add: (emu) =>
			emu.threatFeed
				.add('malware_grid', 3, { at: Date.now(), sameTimestamp: true })
				.map((i) => ({ id: i.ids.indicator })),
		// STIX indicators, identified by their id as the trigger dedupes them.
		identity: (item) => ({ id: item.id }),
	},
];

describe('overlapping polls of one trigger emit each record once', () => {
	// The lease is taken in the shared poll runners; this makes sure every trigger is exercised
	// below, so a new trigger kind with a runner of its own cannot skip the check.
	it('every registered polling node has an overlap case', () => {
		const polling = registeredNodeFiles()
			.map((file) => loadNodeFile(file).description)
			.filter((description) => description.polling === true)
			.map((description) => description.name)
			.sort();
		const covered = [...new Set(CASES.map((c) => c.trigger().description.name))].sort();
		assert.deepEqual(covered, polling);
	});

	let emu: Emulator;
	// Latency keeps the first poll in flight while the second starts, as a slow network would.
	before(async () => (emu = await startEmulator({ seed: 14, tenant: 'empty', latency: 150 })));
	after(async () => await emu.close());

	for (const c of CASES) {
		it(c.name, async () => {
			const trigger = pollHarness(c.trigger(), {
				parameters: { authentication: 'oAuth2', ...c.parameters, options: { settleSeconds: 0 } },
				credentials: credentialsFor(emu, 'oAuth2'),
			});
			await trigger.poll(); // sets the cursor at "now"
			await new Promise((r) => setTimeout(r, 1100));
			const added = c.add(emu);
			assert.ok(added.length > 0);
			await new Promise((r) => setTimeout(r, 1100));
			const first = trigger.poll();
			await new Promise((r) => setTimeout(r, 20));
			const [a, b] = await Promise.all([first, trigger.poll()]);
			const emitted = [...(a ?? []), ...(b ?? [])].map((i) => c.identity(i.json));
			assert.deepEqual(
				canonical(emitted),
				canonical(added as IDataObject[]),
				'each added record exactly once',
			);
			assert.equal(b, null, 'the overlapping poll emitted nothing');
			// The lease ends with the poll, and is never part of what n8n saves.
			assert.equal(
				Object.getOwnPropertySymbols(trigger.staticData).length,
				0,
				'no lease left after the poll',
			);
			const [again, overlapping] = await Promise.all([trigger.poll(), trigger.poll()]);
			assert.ok(again === null && overlapping === null, 'nothing new, nothing emitted');
			const more = c.add(emu);
			await new Promise((r) => setTimeout(r, 1100));
			const next = trigger.poll();
			await new Promise((r) => setTimeout(r, 20));
			// Held as a symbol, which no serialisation of static data (JSON, n8n's database) keeps.
			assert.equal(
				Object.getOwnPropertySymbols(trigger.staticData).length,
				1,
				'the running poll holds the lease',
			);
			assert.deepEqual(
				Object.keys(trigger.staticData).filter((k) => /lease/i.test(k)),
				[],
				'and it is not a saved key',
			);
			assert.deepEqual(
				canonical(((await next) ?? []).map((i) => c.identity(i.json))),
				canonical(more as IDataObject[]),
			);
		});
	}
});
