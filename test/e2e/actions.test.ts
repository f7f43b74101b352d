/**
 * Every action node in a real n8n 2.x (`n8n execute`), against the emulator: the items n8n
 * produced are compared with the emulator's records of the same window, for both APIs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Workflow } from '../../scripts/n8n-harness';
import type { LogRecord } from '../emulator/types';
import type { PagedActionCase } from './cases';
import { canonical, PAGED_ACTIONS, recordTime, siemEventOf } from './cases';
import type { E2e } from './setup';
import { assertBuilt, closeChecked, log, manualWorkflow, mimecastNode, startE2e } from './setup';

const HOUR = 3_600_000;
// A fixed window inside the seeded two days, so the expected records are known exactly.
const END = Math.floor((Date.now() - 60_000) / 1000) * 1000;
const START = END - 24 * HOUR;
const LIMIT = 7;
const window = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };

const SCENARIOS = {
	allV2: 'All pages (API 2.0)',
	allV1: 'All pages (API 1.0)',
	limit: `Limit ${LIMIT} (API 1.0)`,
	filter: (i: number) => `Filter ${i + 1} (API 2.0)`,
	fault: 'Fails on fail[]',
};

const idOf = (c: PagedActionCase, suffix: string) => `e2e${c.kind}${suffix}`.slice(0, 21);

function scenarioWorkflow(c: PagedActionCase): Workflow {
	const base = { ...c.params, ...window, simplify: false };
	return manualWorkflow(idOf(c, 'Act'), `e2e ${c.name}`, [
		mimecastNode(SCENARIOS.allV2, c.node, 'oAuth2', { ...base, returnAll: true }),
		mimecastNode(SCENARIOS.allV1, c.node, 'apiKeys', { ...base, returnAll: true }),
		mimecastNode(SCENARIOS.limit, c.node, 'apiKeys', { ...base, returnAll: false, limit: LIMIT }),
		...c.filters.map((f, i) =>
			mimecastNode(SCENARIOS.filter(i), c.node, 'oAuth2', {
				...base,
				returnAll: true,
				filters: f.filters,
			}),
		),
	]);
}

function faultWorkflow(c: PagedActionCase, index: number): Workflow {
	// Alternate the APIs across node types, so the fault path runs with both.
	const auth = index % 2 === 0 ? 'apiKeys' : 'oAuth2';
	return manualWorkflow(idOf(c, 'Fault'), `e2e ${c.name} fault`, [
		mimecastNode(SCENARIOS.fault, c.node, auth, { ...c.params, ...window, returnAll: true }),
	]);
}

const DAY = 24 * HOUR;
const SIEM = {
	node: 'mimecastSiemLogs',
	id: 'e2eSiemAct',
	faultId: 'e2eSiemFault',
	v1Path: '/api/audit/get-siem-logs',
	// API 2.0 reads whole UTC days: yesterday and today.
	start: new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString(),
	scenarios: {
		v2All: 'All batch files (API 2.0)',
		v2Type: 'URL Protect only (API 2.0)',
		v1All: 'Whole chain (API 1.0)',
		v1Limit: `Limit ${LIMIT} (API 1.0)`,
		fault: 'Fails on fail[]',
	},
};

function siemWorkflows(): Workflow[] {
	const v2 = {
		output: 'events',
		start: SIEM.start,
		end: new Date(END).toISOString(),
		returnAll: true,
	};
	return [
		manualWorkflow(SIEM.id, 'e2e SIEM Logs', [
			mimecastNode(SIEM.scenarios.v2All, SIEM.node, 'oAuth2', v2),
			mimecastNode(SIEM.scenarios.v2Type, SIEM.node, 'oAuth2', { ...v2, logTypes: ['urlProtect'] }),
			mimecastNode(SIEM.scenarios.v1All, SIEM.node, 'apiKeys', {
				output: 'events',
				fileFormat: 'json',
				returnAll: true,
			}),
			mimecastNode(SIEM.scenarios.v1Limit, SIEM.node, 'apiKeys', {
				output: 'events',
				fileFormat: 'keyValue',
				returnAll: false,
				limit: LIMIT,
			}),
		]),
		manualWorkflow(SIEM.faultId, 'e2e SIEM Logs fault', [
			mimecastNode(SIEM.scenarios.fault, SIEM.node, 'apiKeys', {
				output: 'events',
				returnAll: true,
			}),
		]),
	];
}

const FEED = {
	node: 'mimecastThreatIntelFeed',
	id: 'e2eThreatFeedAct',
	path: '/api/ttp/threat-intel/get-feed',
	scenarios: {
		stix: 'STIX, all pages (API 2.0)',
		csv: 'CSV compressed, all pages (API 1.0)',
		limit: `Limit ${LIMIT} (API 1.0)`,
		md5: 'MD5 only (API 2.0)',
	},
};

function feedWorkflow(): Workflow {
	const base = { ...window, feedType: 'malwareCustomer', simplify: false };
	return manualWorkflow(FEED.id, 'e2e Threat Intel Feed', [
		mimecastNode(FEED.scenarios.stix, FEED.node, 'oAuth2', {
			...base,
			fileType: 'stix',
			returnAll: true,
		}),
		mimecastNode(FEED.scenarios.csv, FEED.node, 'apiKeys', {
			...base,
			fileType: 'csv',
			returnAll: true,
			options: { compress: true },
		}),
		mimecastNode(FEED.scenarios.limit, FEED.node, 'apiKeys', {
			...base,
			returnAll: false,
			limit: LIMIT,
		}),
		mimecastNode(FEED.scenarios.md5, FEED.node, 'oAuth2', {
			...base,
			returnAll: true,
			filters: { indicatorTypes: ['md5'] },
		}),
	]);
}

describe('action nodes in a real n8n', () => {
	let e2e: E2e;
	const cases = PAGED_ACTIONS;

	before(async () => {
		assertBuilt([...cases.map((c) => c.node), SIEM.node, FEED.node]);
		e2e = await startE2e('actions', {
			seed: 20261122,
			// Enough records that one day spans more than one 500-record page for every log.
			tenant: {
				...Object.fromEntries(cases.map((c) => [c.kind, 1400])),
				...{
					days: 2,
					siemFiles: 24,
					siemEventsPerFile: 5,
					batchFilesPerType: 4,
					batchEventsPerFile: 5,
				},
			},
		});
		const workflows = [
			...cases.flatMap((c, i) => [scenarioWorkflow(c), faultWorkflow(c, i)]),
			...siemWorkflows(),
			feedWorkflow(),
		];
		await e2e.home.importWorkflows(workflows);
	});

	after(async () => {
		await closeChecked(e2e);
	});

	PAGED_ACTIONS.forEach((c, index) => {
		describe(c.name, () => {
			let run: Awaited<ReturnType<E2e['home']['execute']>>;
			let inWindow: LogRecord[];

			before(async () => {
				inWindow = e2e.emu.data.records(c.kind).filter((r) => {
					const t = recordTime(r, c.timeField);
					return t >= START && t <= END;
				});
				run = await e2e.home.execute(idOf(c, 'Act'));
				log(`${c.name}: ${inWindow.length} records in the window`);
			});

			it('runs without error', () => {
				assert.equal(
					run.error,
					undefined,
					`n8n reported: ${run.error?.message} ${run.error?.description ?? ''}`,
				);
			});

			for (const scenario of [SCENARIOS.allV2, SCENARIOS.allV1]) {
				it(`${scenario}: every record of the window, once, across pages`, () => {
					assert.ok(inWindow.length > 500, 'the window spans several pages');
					const items = run.items(scenario);
					assert.equal(items.length, inWindow.length);
					assert.deepEqual(items.map(canonical).sort(), inWindow.map(canonical).sort());
				});
			}

			it(`${SCENARIOS.limit}: the ${LIMIT} newest records`, () => {
				const items = run.items(SCENARIOS.limit);
				assert.equal(items.length, LIMIT);
				const known = new Set(inWindow.map(canonical));
				assert.ok(
					items.every((i) => known.has(canonical(i))),
					'every item is a record of the window',
				);
				const newest = inWindow.map((r) => recordTime(r, c.timeField)).sort((a, b) => b - a);
				const cutoff = newest[LIMIT - 1];
				assert.ok(
					items.every((i) => recordTime(i, c.timeField) >= cutoff),
					`every item is among the ${LIMIT} newest (at or after ${new Date(cutoff).toISOString()})`,
				);
			});

			c.filters.forEach((f, i) => {
				it(`${SCENARIOS.filter(i)}: ${f.label}`, () => {
					const expected = inWindow.filter(f.keep);
					assert.ok(
						expected.length > 0 && expected.length < inWindow.length,
						'the filter narrows the window',
					);
					assert.deepEqual(
						run.items(SCENARIOS.filter(i)).map(canonical).sort(),
						expected.map(canonical).sort(),
					);
				});
			});

			it('a fail[] inside an HTTP 200 fails the execution with an actionable message', async () => {
				e2e.emu.faults.inject({
					kind: 'failOn200',
					path: c.path,
					code: 'err_audit_log_incorrect_region',
					message: 'incorrect region',
					times: 100,
				});
				try {
					const failed = await e2e.home.execute(idOf(c, 'Fault'));
					assert.ok(failed.error, 'the execution failed');
					assert.equal(failed.run.data.resultData.lastNodeExecuted, SCENARIOS.fault);
					assert.equal(failed.items(SCENARIOS.fault).length, 0, 'no partial output');
					assert.match(String(failed.error.message), /different region/i, 'says what happened');
					assert.match(
						String(failed.error.description),
						/Region/,
						"says what to change (the credential's Region)",
					);
					assert.match(
						String(failed.error.description),
						/err_audit_log_incorrect_region/,
						"keeps Mimecast's code",
					);
					log(
						`${c.name} (${index % 2 === 0 ? 'API 1.0' : 'API 2.0'}) failed with: ${failed.error.message}`,
					);
				} finally {
					e2e.emu.faults.clear();
				}
			});
		});
	});

	describe('Threat Intel Feed', () => {
		let run: Awaited<ReturnType<E2e['home']['execute']>>;
		let inWindow: ReturnType<E2e['emu']['threatFeed']['indicators']>;

		before(async () => {
			inWindow = e2e.emu.threatFeed
				.indicators('malware_customer')
				.filter((i) => i.t >= START && i.t <= END);
			run = await e2e.home.execute(FEED.id);
			log(`Threat Intel Feed: ${inWindow.length} indicators in the window`);
		});

		it('runs without error', () => {
			assert.equal(
				run.error,
				undefined,
				`n8n reported: ${run.error?.message} ${run.error?.description ?? ''}`,
			);
		});

		it(`${FEED.scenarios.stix}: one item per indicator of the window, pattern parsed, subject joined`, () => {
			assert.ok(inWindow.length > 50, 'the window spans several answers');
			const items = run.items(FEED.scenarios.stix);
			const expected = inWindow.map((i) => ({
				id: i.ids.indicator,
				indicatorType: i.kind,
				value: i.kind === 'md5' ? i.md5 : i.kind === 'url' ? i.url : i.sha256,
				malwareName: i.subject,
			}));
			const got = items.map((i) => ({
				id: i.id,
				indicatorType: i.indicatorType,
				value: i.value,
				malwareName: i.malwareName,
			}));
			assert.deepEqual(got.map(canonical).sort(), expected.map(canonical).sort());
		});

		it(`${FEED.scenarios.csv}: one item per row, from zips, null hashes as null`, () => {
			const items = run.items(FEED.scenarios.csv);
			const expected = inWindow.map((i) => {
				const row: Record<string, unknown> = { ...e2e.emu.threatFeed.csvRow(i) };
				for (const [k, v] of Object.entries(row)) if (v === 'null') row[k] = null;
				return row;
			});
			assert.deepEqual(items.map(canonical).sort(), expected.map(canonical).sort());
			const sent = e2e.emu.requests.filter(
				(r) =>
					r.path === FEED.path &&
					(r.body as { data: Array<{ fileType: string }> }).data[0].fileType === 'csv',
			);
			assert.ok(
				sent.length > 1 &&
					sent.every(
						(r) => (r.body as { data: Array<{ compress: boolean }> }).data[0].compress === true,
					),
			);
		});

		it(`${FEED.scenarios.limit} and ${FEED.scenarios.md5}`, () => {
			assert.equal(run.items(FEED.scenarios.limit).length, LIMIT);
			const md5 = inWindow
				.filter((i) => i.kind === 'md5')
				.map((i) => i.ids.indicator)
				.sort();
			assert.ok(md5.length > 0);
			assert.deepEqual(
				run
					.items(FEED.scenarios.md5)
					.map((i) => String(i.id))
					.sort(),
				md5,
			);
		});
	});

	describe('SIEM Logs', () => {
		let run: Awaited<ReturnType<E2e['home']['execute']>>;
		const events = (scenario: string) => run.items(scenario).map(siemEventOf);

		before(async () => {
			run = await e2e.home.execute(SIEM.id);
		});

		it('runs without error', () => {
			assert.equal(
				run.error,
				undefined,
				`n8n reported: ${run.error?.message} ${run.error?.description ?? ''}`,
			);
		});

		it(`${SIEM.scenarios.v2All}: every event of the batch files of the days asked, once`, () => {
			const from = Date.parse(SIEM.start.slice(0, 10));
			const expected = e2e.emu.data
				.batchFiles()
				.filter((f) => f.createTime >= from)
				.flatMap((f) => f.events);
			assert.ok(expected.length > 0);
			assert.deepEqual(
				events(SIEM.scenarios.v2All).map(canonical).sort(),
				expected.map(canonical).sort(),
			);
		});

		it(`${SIEM.scenarios.v2Type}: only that log type`, () => {
			const from = Date.parse(SIEM.start.slice(0, 10));
			const expected = e2e.emu.data
				.batchFiles('url protect')
				.filter((f) => f.createTime >= from)
				.flatMap((f) => f.events);
			assert.ok(expected.length > 0);
			assert.deepEqual(
				events(SIEM.scenarios.v2Type).map(canonical).sort(),
				expected.map(canonical).sort(),
			);
		});

		it(`${SIEM.scenarios.v1All}: every event of the file chain, in order`, () => {
			const expected = e2e.emu.data.siemEvents();
			assert.ok(expected.length > 0);
			assert.deepEqual(events(SIEM.scenarios.v1All).map(canonical), expected.map(canonical));
		});

		it(`${SIEM.scenarios.v1Limit}: the first ${LIMIT} events of the chain (key_value files)`, () => {
			const got = events(SIEM.scenarios.v1Limit);
			assert.equal(got.length, LIMIT);
			// key_value files carry every value as text: compare field names and text values.
			const asText = (e: Record<string, unknown>) =>
				Object.keys(e)
					.sort()
					.map(
						(k) =>
							`${k.toLowerCase()}=${typeof e[k] === 'object' ? JSON.stringify(e[k]) : String(e[k])}`,
					);
			e2e.emu.data
				.siemEvents()
				.slice(0, LIMIT)
				.forEach((expected, i) =>
					assert.deepEqual(asText(got[i]), asText(expected), `event ${i + 1}`),
				);
		});

		it('a fail[] inside an HTTP 200 fails the execution with an actionable message', async () => {
			e2e.emu.faults.inject({
				kind: 'failOn200',
				path: SIEM.v1Path,
				code: 'err_audit_log_incorrect_region',
				message: 'incorrect region',
				times: 100,
			});
			try {
				const failed = await e2e.home.execute(SIEM.faultId);
				assert.ok(failed.error, 'the execution failed');
				assert.equal(failed.run.data.resultData.lastNodeExecuted, SIEM.scenarios.fault);
				assert.match(String(failed.error.message), /different region/i);
				assert.match(String(failed.error.description), /Region/);
				log(`SIEM Logs (API 1.0) failed with: ${failed.error.message}`);
			} finally {
				e2e.emu.faults.clear();
			}
		});
	});
});
