/**
 * The Threat Intel Feed nodes through n8n-core against the emulator's get-feed endpoint: the
 * exact requests (body, token chain), items per indicator / row, both ends of the feed,
 * "No results", compress, filters, bad input, faults, and the trigger's cursor.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { MimecastThreatIntelFeed } from '../../nodes/Mimecast/MimecastThreatIntelFeed.node.ts';
import { MimecastThreatIntelFeedTrigger } from '../../nodes/Mimecast/MimecastThreatIntelFeedTrigger.node.ts';
import { startEmulator } from '../emulator';
import type { FeedIndicator, FeedType } from '../emulator/threat-feed';
import type { Emulator } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import { AUTH_MODES, credentialsFor, secretsOf } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { mimecastDate } from '../helpers/logCases';
import { drainPolls, pollHarness, runNode } from '../helpers/n8n';

const PATH = '/api/ttp/threat-intel/get-feed';
const DAY = 86_400_000;

/** What the node should emit for an indicator, written from the emulator's ground truth. */
export function expectedStix(emu: Emulator, ind: FeedIndicator): IDataObject {
	const value = ind.kind === 'url' ? ind.url : ind.kind === 'md5' ? ind.md5 : ind.sha256;
	return {
		indicatorType: ind.kind,
		value,
		malwareName: ind.subject,
		...emu.threatFeed.stixIndicator(ind),
	} as IDataObject;
}

export function expectedCsv(emu: Emulator, ind: FeedIndicator): IDataObject {
	const row: IDataObject = { ...emu.threatFeed.csvRow(ind) };
	for (const [k, v] of Object.entries(row)) if (v === 'null') row[k] = null;
	return row;
}

const byKey = (records: IDataObject[]) => records.map((r) => JSON.stringify(r)).sort();

describe('Mimecast Threat Intel Feed action node', () => {
	let emu: Emulator;
	const clock = new FakeClock();
	useFakeClock(clock);
	useFastRetries();
	before(async () => {
		emu = await startEmulator({
			seed: 21,
			tenant: { ttpAttachment: 260, days: 2 },
			now: clock.now,
		});
	});
	after(async () => await emu.close());
	afterEach(() => {
		emu.faults.clear();
		emu.threatFeed.endStyle = 'absent';
		emu.threatFeed.pageSize = 50;
	});

	const window = () => ({
		start: new Date(clock.ms - 3 * DAY).toISOString(),
		end: new Date(clock.ms).toISOString(),
	});
	const feedRequests = () => emu.requests.filter((r) => r.path === PATH);
	const truth = (feedType: FeedType) => emu.threatFeed.indicators(feedType);

	for (const auth of AUTH_MODES) {
		it(`STIX (${auth}): every page, one item per indicator with its pattern parsed and the email subject joined`, async () => {
			emu.clearRequests();
			const items = await runNode(new MimecastThreatIntelFeed(), {
				parameters: {
					authentication: auth,
					feedType: 'malwareCustomer',
					fileType: 'stix',
					...window(),
					returnAll: true,
				},
				credentials: credentialsFor(emu, auth),
			});
			const expected = truth('malware_customer').map((ind) => expectedStix(emu, ind));
			assert.equal(expected.length, 130);
			assert.deepEqual(byKey(items.map((i) => i.json)), byKey(expected));
			assert.ok(items.every((i) => (i.pairedItem as { item: number }).item === 0));
			assert.ok(
				items.some((i) => i.json.indicatorType === 'md5') &&
					items.some((i) => i.json.indicatorType === 'sha256'),
			);

			const requests = feedRequests();
			assert.equal(requests.length, 3, '130 indicators at 50 per answer');
			const first = (requests[0].body as IDataObject).data as IDataObject[];
			assert.deepEqual(first, [
				{
					feedType: 'malware_customer',
					fileType: 'stix',
					compress: false,
					start: mimecastDate(clock.ms - 3 * DAY),
					end: mimecastDate(clock.ms),
				},
			]);
			const tokens = requests.map((r) => ((r.body as IDataObject).data as IDataObject[])[0].token);
			assert.equal(tokens[0], undefined);
			assert.ok(
				typeof tokens[1] === 'string' && typeof tokens[2] === 'string' && tokens[1] !== tokens[2],
				'each next token from the header',
			);
			for (const r of requests)
				assert.equal(
					((r.body as IDataObject).data as IDataObject[])[0].start,
					first[0].start,
					'the window goes with every token',
				);
		});
	}

	it('CSV, compressed: a zip per answer, one item per row, unquoted null read as null', async () => {
		emu.clearRequests();
		const items = await runNode(new MimecastThreatIntelFeed(), {
			parameters: {
				authentication: 'apiKeys',
				feedType: 'malwareGrid',
				fileType: 'csv',
				...window(),
				returnAll: true,
				options: { compress: true },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
		});
		const expected = truth('malware_grid').map((ind) => expectedCsv(emu, ind));
		assert.deepEqual(byKey(items.map((i) => i.json)), byKey(expected));
		assert.ok(
			items.some((i) => i.json.MD5 === null),
			'a missing hash is null',
		);
		assert.ok(
			items.some(
				(i) => String(i.json.FileName).includes('|') || String(i.json.FileName).includes('"'),
			),
			'quoted file names survive',
		);
		const data = feedRequests().map((r) => ((r.body as IDataObject).data as IDataObject[])[0]);
		assert.ok(
			data.every(
				(d) => d.compress === true && d.feedType === 'malware_grid' && d.fileType === 'csv',
			),
		);
	});

	it('stops when Mimecast echoes the token it was sent (the other end-of-feed style)', async () => {
		emu.threatFeed.endStyle = 'echo';
		emu.clearRequests();
		const items = await runNode(new MimecastThreatIntelFeed(), {
			parameters: {
				authentication: 'oAuth2',
				feedType: 'malwareCustomer',
				...window(),
				returnAll: true,
			},
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		assert.equal(items.length, 130);
		assert.equal(feedRequests().length, 3, 'no request after the echoed token');
	});

	it('Limit stops asking for pages once reached', async () => {
		emu.clearRequests();
		const items = await runNode(new MimecastThreatIntelFeed(), {
			parameters: { authentication: 'oAuth2', ...window(), returnAll: false, limit: 7 },
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		assert.equal(items.length, 7);
		assert.equal(feedRequests().length, 1);
	});

	it('"No results found for threat intel feed." and "Unable to compress feeds." are an empty result, not an error', async () => {
		const empty = {
			start: new Date(clock.ms - 30 * DAY).toISOString(),
			end: new Date(clock.ms - 20 * DAY).toISOString(),
		};
		for (const compress of [false, true]) {
			emu.clearRequests();
			const items = await runNode(new MimecastThreatIntelFeed(), {
				parameters: { authentication: 'apiKeys', ...empty, returnAll: true, options: { compress } },
				credentials: credentialsFor(emu, 'apiKeys'),
			});
			assert.deepEqual(items, []);
			assert.equal(feedRequests().length, 1);
		}
	});

	it('Indicator Types keeps only those types (STIX: indicatorType; CSV: rows with that hash); Simplify keeps the triage fields', async () => {
		const stix = await runNode(new MimecastThreatIntelFeed(), {
			parameters: {
				authentication: 'apiKeys',
				...window(),
				returnAll: true,
				simplify: true,
				filters: { indicatorTypes: ['md5'] },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
		});
		const md5 = truth('malware_customer').filter((i) => i.kind === 'md5');
		assert.ok(md5.length > 0);
		assert.deepEqual(
			byKey(stix.map((i) => i.json)),
			byKey(
				md5.map((ind) => ({
					indicatorType: 'md5',
					value: ind.md5,
					malwareName: ind.subject,
					modified: new Date(ind.t).toISOString(),
					id: ind.ids.indicator,
				})),
			),
		);
		const csv = await runNode(new MimecastThreatIntelFeed(), {
			parameters: {
				authentication: 'apiKeys',
				fileType: 'csv',
				...window(),
				returnAll: true,
				filters: { indicatorTypes: ['sha256'] },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
		});
		assert.equal(csv.length, truth('malware_customer').filter((i) => i.sha256).length);
	});

	it('refuses bad input before anything is sent, naming the field', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[{ feedType: 'malware_customer' }, /Unknown Feed Type "malware_customer"/],
			[{ fileType: 'xml' }, /Unknown File Type "xml"/],
			[{ filters: { indicatorTypes: ['sha256', 'hash'] } }, /Unknown Indicator Type "hash"/],
			[
				{ start: new Date(clock.ms).toISOString(), end: new Date(clock.ms - DAY).toISOString() },
				/'End' .* is not after 'Start'/,
			],
			[{ start: 'yesterday' }, /The 'Start' parameter "yesterday" is not a date/],
			[{ start: '' }, /The 'Start' parameter is empty/],
			[{ options: { compress: 'yes' } }, /'Compress' must be true or false/],
		];
		for (const [override, message] of cases) {
			emu.clearRequests();
			await assert.rejects(
				runNode(new MimecastThreatIntelFeed(), {
					parameters: { authentication: 'apiKeys', ...window(), returnAll: true, ...override },
					credentials: credentialsFor(emu, 'apiKeys'),
				}),
				message,
			);
			assert.equal(emu.requests.length, 0, `nothing sent for ${JSON.stringify(override)}`);
		}
	});

	it('retries server errors, resets and cut-off answers and still returns every indicator once', async () => {
		emu.faults.inject({ kind: '500', path: PATH });
		emu.faults.inject({ kind: 'reset', path: PATH });
		emu.faults.inject({ kind: 'truncated', path: PATH, times: 2 });
		emu.faults.inject({ kind: 'emptyPageWithNext', path: PATH });
		const items = await runNode(new MimecastThreatIntelFeed(), {
			parameters: {
				authentication: 'oAuth2',
				...window(),
				returnAll: true,
				options: { compress: true },
			},
			credentials: credentialsFor(emu, 'oAuth2'),
		});
		assert.deepEqual(
			byKey(items.map((i) => i.json)),
			byKey(truth('malware_customer').map((ind) => expectedStix(emu, ind))),
		);
	});

	it('a feed that keeps sending empty pages with new tokens is stopped with an error, not followed forever', async () => {
		emu.faults.inject({ kind: 'emptyPageWithNext', path: PATH, times: 25 });
		emu.clearRequests();
		await assert.rejects(
			runNode(new MimecastThreatIntelFeed(), {
				parameters: { authentication: 'apiKeys', ...window(), returnAll: true },
				credentials: credentialsFor(emu, 'apiKeys'),
			}),
			/Mimecast sent 20 empty threat feed pages in a row, each with a new token/,
		);
		assert.equal(feedRequests().length, 20);
	});

	it('a refused zip or a 403 is a clear error; with Continue On Fail it becomes an error item paired with its input', async () => {
		emu.faults.inject({ kind: 'zipSlip', path: PATH });
		await assert.rejects(
			runNode(new MimecastThreatIntelFeed(), {
				parameters: {
					authentication: 'apiKeys',
					...window(),
					returnAll: true,
					options: { compress: true },
				},
				credentials: credentialsFor(emu, 'apiKeys'),
			}),
			/Could not read Mimecast's threat intel feed answer/,
		);
		emu.faults.inject({ kind: '403', path: PATH });
		const items = await runNode(new MimecastThreatIntelFeed(), {
			parameters: { authentication: 'apiKeys', ...window(), returnAll: false, limit: 2 },
			credentials: credentialsFor(emu, 'apiKeys'),
			input: [{ json: { n: 0 } }, { json: { n: 1 } }],
			continueOnFail: true,
		});
		assert.equal(items.length, 3);
		assert.match(
			String(items[0].json.error),
			/lacks permission for Mimecast Threat Intel Feed \(403\)/,
		);
		assert.deepEqual(items[0].pairedItem, { item: 0 });
		assert.deepEqual(
			items.slice(1).map((i) => i.pairedItem),
			[{ item: 1 }, { item: 1 }],
		);
		for (const secret of secretsOf(emu)) assert.ok(!JSON.stringify(items).includes(secret));
	});
});

describe('Mimecast Threat Intel Feed trigger', () => {
	const SETTLE_S = 10;
	let emu: Emulator;
	const clock = new FakeClock();
	useFakeClock(clock);
	useFastRetries();
	before(async () => {
		emu = await startEmulator({ seed: 22, tenant: 'empty', now: clock.now });
		emu.threatFeed.pageSize = 7;
	});
	after(async () => await emu.close());
	afterEach(() => emu.faults.clear());

	const harness = (parameters: IDataObject = {}, staticData?: IDataObject) =>
		pollHarness(new MimecastThreatIntelFeedTrigger(), {
			parameters: {
				authentication: 'oAuth2',
				feedType: 'malwareGrid',
				options: { settleSeconds: SETTLE_S },
				...parameters,
			},
			credentials: credentialsFor(emu, 'oAuth2'),
			staticData,
		});

	it('starts at activation, then emits each new indicator once, oldest first, across restarts', async () => {
		const trigger = harness();
		emu.clearRequests();
		assert.equal(await trigger.poll(), null);
		assert.equal(emu.requests.length, 0, 'the first activation only sets the cursor');
		// Spread over the minute before `at`, with some sharing a second.
		const added = emu.threatFeed.add('malware_grid', 20, { at: clock.ms + 50_000 });
		clock.advance((50 + SETTLE_S + 1) * 1000);
		const first = await trigger.poll();
		assert.deepEqual(first?.map((i) => i.json.id).sort(), added.map((i) => i.ids.indicator).sort());
		const times = first!.map((i) => Date.parse(String(i.json.modified)));
		assert.deepEqual(
			times,
			[...times].sort((a, b) => a - b),
			'oldest first (Mimecast serves newest first)',
		);
		clock.advance(15_000);
		const restarted = harness({}, JSON.parse(JSON.stringify(trigger.staticData)));
		assert.equal(await restarted.poll(), null, 'nothing twice after a restart');
		const more = emu.threatFeed.add('malware_grid', 3, { at: clock.ms, sameTimestamp: true });
		clock.advance((SETTLE_S + 1) * 1000);
		assert.deepEqual(
			(await restarted.poll())?.map((i) => i.json.id).sort(),
			more.map((i) => i.ids.indicator).sort(),
		);
	});

	it('keeps its cursor when a poll fails, and reads the same window again', async () => {
		const trigger = harness();
		await trigger.poll();
		emu.threatFeed.add('malware_grid', 9, { at: clock.ms, sameTimestamp: true });
		clock.advance((SETTLE_S + 1) * 1000);
		emu.faults.inject({ kind: '403', path: PATH });
		const before = JSON.stringify(trigger.staticData);
		await assert.rejects(trigger.poll(), /lacks permission/);
		assert.equal(JSON.stringify(trigger.staticData), before);
		assert.equal((await trigger.poll())?.length, 9);
	});

	it('emits a backlog larger than Max Records per Poll over several polls, in order (CSV, by hash and Timestamp)', async () => {
		const trigger = harness({
			fileType: 'csv',
			options: { settleSeconds: SETTLE_S, maxRecordsPerPoll: 10 },
		});
		await trigger.poll();
		const added: FeedIndicator[] = [];
		for (let i = 0; i < 34; i++)
			added.push(
				...emu.threatFeed.add('malware_grid', 1, { at: clock.ms + Math.floor(i / 3) * 1000 }),
			);
		clock.advance((12 + SETTLE_S + 1) * 1000);
		const seen = await drainPolls(trigger, { maxPolls: 10, cap: 10 });
		assert.deepEqual(byKey(seen), byKey(added.map((ind) => expectedCsv(emu, ind))));
		const times = seen.map((r) =>
			Date.parse(String(r.Timestamp).replace(/(\d\d)(\d\d)$/, '$1:$2')),
		);
		assert.deepEqual(
			times,
			[...times].sort((a, b) => a - b),
		);
	});

	it('Backfill (Hours) reaches back on first activation; a manual run returns a sample and leaves the cursor alone', async () => {
		const old = emu.threatFeed.add('malware_customer', 4, { at: clock.ms - 2 * 3_600_000 });
		const manual = pollHarness(new MimecastThreatIntelFeedTrigger(), {
			parameters: { authentication: 'apiKeys', feedType: 'malwareCustomer' },
			credentials: credentialsFor(emu, 'apiKeys'),
			mode: 'manual',
		});
		assert.equal((await manual.poll())?.length, 4);
		assert.deepEqual(manual.staticData, {});
		const trigger = harness({
			feedType: 'malwareCustomer',
			options: { backfillHours: 3, settleSeconds: SETTLE_S },
		});
		assert.deepEqual(
			(await trigger.poll())?.map((i) => i.json.id).sort(),
			old.map((i) => i.ids.indicator).sort(),
		);
	});
});
