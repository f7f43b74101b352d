/**
 * The exactly-once proof for the Threat Intel Feed trigger, in the pattern of paged-soak: many
 * polls through n8n-core's PollContext while the emulator adds indicators (same-second groups,
 * late arrivals, bursts over the per-poll cap), about a third of the feed requests fail (429,
 * 5xx, resets, cut-off answers, empty pages that carry a token), and the trigger restarts from
 * its persisted static data. STIX by indicator id, CSV by row; both end-of-feed styles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { MimecastThreatIntelFeedTrigger } from '../../nodes/Mimecast/MimecastThreatIntelFeedTrigger.node.ts';
import { startEmulator } from '../emulator';
import { mulberry32 } from '../emulator/prng';
import type { FeedIndicator } from '../emulator/threat-feed';
import type { Emulator } from '../emulator/types';
import { FakeClock, useFakeClock } from '../helpers/clock';
import type { Auth } from '../helpers/credentials';
import { credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import type { PollHarness } from '../helpers/n8n';
import { pollHarness } from '../helpers/n8n';

const PATH = '/api/ttp/threat-intel/get-feed';
const POLLS = 200;
const POLL_EVERY_MS = 15_000;
const SETTLE_S = 10;
const CAP = 40;

interface SoakCase {
	fileType: 'stix' | 'csv';
	auth: Auth;
	endStyle: 'absent' | 'echo';
	compress: boolean;
}

const CASES: SoakCase[] = [
	{ fileType: 'stix', auth: 'oAuth2', endStyle: 'absent', compress: false },
	{ fileType: 'csv', auth: 'apiKeys', endStyle: 'echo', compress: true },
];

describe('soak: the threat intel feed trigger emits each indicator exactly once through faults and restarts', () => {
	const clock = new FakeClock();
	useFakeClock(clock);
	useFastRetries();
	let emu: Emulator;
	before(async () => {
		emu = await startEmulator({ seed: 98, tenant: 'empty', now: clock.now });
		emu.threatFeed.pageSize = 15;
	});
	after(async () => await emu.close());

	CASES.forEach((soak, index) => {
		it(`${soak.fileType} (${soak.auth}, end by ${soak.endStyle}, compress ${soak.compress}): ${POLLS} polls, nothing lost, nothing twice, in order`, async () => {
			const random = mulberry32(2000 + index);
			emu.threatFeed.endStyle = soak.endStyle;
			const feedType = index % 2 === 0 ? 'malware_customer' : 'malware_grid';
			const parameters = {
				authentication: soak.auth,
				feedType: feedType === 'malware_customer' ? 'malwareCustomer' : 'malwareGrid',
				fileType: soak.fileType,
				options: { compress: soak.compress, settleSeconds: SETTLE_S, maxRecordsPerPoll: CAP },
			};
			const start = (staticData?: IDataObject): PollHarness =>
				pollHarness(new MimecastThreatIntelFeedTrigger(), {
					parameters,
					credentials: credentialsFor(emu, soak.auth),
					staticData,
				});
			const key = (ind: FeedIndicator) =>
				soak.fileType === 'stix'
					? ind.ids.indicator
					: `${ind.sha256 ?? 'null'}|${ind.md5 ?? 'null'}|${emu.threatFeed.csvRow(ind).Timestamp}`;
			const emittedKey = (item: IDataObject) =>
				soak.fileType === 'stix'
					? String(item.id)
					: `${item.SHA256 ?? 'null'}|${item.MD5 ?? 'null'}|${item.Timestamp}`;
			const timeOf = (item: IDataObject) =>
				Date.parse(
					String(
						soak.fileType === 'stix'
							? item.modified
							: String(item.Timestamp).replace(/(\d\d)(\d\d)$/, '$1:$2'),
					),
				);

			let trigger = start();
			await trigger.poll();
			const activatedAt = clock.ms;
			const truth: FeedIndicator[] = [];
			const emitted: IDataObject[] = [];
			let failedPolls = 0;
			let restarts = 0;
			emu.clearRequests();
			const faultsBefore = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0);
			emu.faults.random({
				rate: 0.3,
				kinds: ['429', '500', '503', 'reset', 'truncated', 'emptyPageWithNext'],
				path: PATH,
				resetMs: 5,
			});

			for (let poll = 0; poll < POLLS; poll++) {
				const tick = clock.ms;
				const roll = random();
				// At most SETTLE_S - 3 seconds late: the settle delay's promise.
				const addAt = (n: number, lateMs: number) =>
					truth.push(
						...emu.threatFeed.add(feedType, n, { at: tick - lateMs, sameTimestamp: true }),
					);
				if (roll < 0.35)
					for (let n = 1 + Math.floor(random() * 5); n > 0; n--)
						addAt(1, Math.floor(random() * 3000));
				else if (roll < 0.5) addAt(2 + Math.floor(random() * 6), 0);
				else if (roll < 0.6)
					addAt(1 + Math.floor(random() * 3), Math.floor(random() * (SETTLE_S - 3) * 1000));
				else if (roll < 0.63)
					for (let n = CAP * 2 + Math.floor(random() * CAP); n > 0; n -= 4)
						addAt(4, Math.floor(random() * 5000));
				clock.advance(POLL_EVERY_MS);
				try {
					const items = await trigger.poll();
					if (items) emitted.push(...items.map((item) => item.json));
				} catch {
					failedPolls++;
				}
				if (random() < 0.05) {
					trigger = start(JSON.parse(JSON.stringify(trigger.staticData)));
					restarts++;
				}
			}
			emu.faults.random(null);
			const requests = emu.requests.filter((r) => r.path === PATH).length;
			const faults = Object.values(emu.faults.counts()).reduce((a, b) => a + b, 0) - faultsBefore;
			for (let drain = 0; drain < 200; drain++) {
				clock.advance(POLL_EVERY_MS);
				const items = await trigger.poll();
				if (!items) break;
				emitted.push(...items.map((item) => item.json));
			}

			const expected = truth.filter((ind) => ind.t >= activatedAt - SETTLE_S * 1000).map(key);
			const emittedKeys = emitted.map(emittedKey);
			const unique = new Set(emittedKeys);
			const lost = expected.filter((k) => !unique.has(k)).length;
			const duplicated = emittedKeys.length - unique.size;
			const times = emitted.map(timeOf);
			const outOfOrder = times.filter((t, i) => i > 0 && t < times[i - 1]).length;
			console.log(
				`soak threat feed ${soak.fileType} (${soak.auth}, ${soak.endStyle}): indicators ${expected.length} emitted ${emitted.length} polls ${POLLS} failed-polls ${failedPolls} restarts ${restarts} requests ${requests} faults ${faults} (${Math.round((100 * faults) / requests)}%) lost ${lost} duplicated ${duplicated} out-of-order ${outOfOrder}`,
			);
			assert.ok(faults >= requests * 0.2, 'at least a fifth of the requests failed');
			assert.ok(restarts >= 5);
			assert.equal(lost, 0, 'lost');
			assert.equal(duplicated, 0, 'duplicated');
			assert.equal(outOfOrder, 0, 'out of order');
			assert.equal(emitted.length, expected.length);
		});
	});
});
