/**
 * The exactly-once proof for the Threat Intel Feed trigger, the soak of paged-soak
 * (test/helpers/soak.ts): many polls through n8n-core's PollContext while the emulator adds
 * indicators, about a third of the feed requests fail (429, 5xx, resets, cut-off answers, empty
 * pages that carry a token), and the trigger restarts from its persisted static data. STIX by
 * indicator id, CSV by row; both end-of-feed styles.
 */
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
import { assertExactlyOnce, runSoak, SOAK } from '../helpers/soak';

const PATH = '/api/ttp/threat-intel/get-feed';
const POLLS = 200;

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
				options: {
					compress: soak.compress,
					settleSeconds: SOAK.settleS,
					maxRecordsPerPoll: SOAK.cap,
				},
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

			const run = await runSoak({
				emu,
				clock,
				random,
				polls: POLLS,
				start,
				add: (n, at) => emu.threatFeed.add(feedType, n, { at, sameTimestamp: true }),
				faults: {
					path: PATH,
					kinds: ['429', '500', '503', 'reset', 'truncated', 'emptyPageWithNext'],
				},
				counted: (r) => r.path === PATH,
			});

			assertExactlyOnce(
				`soak threat feed ${soak.fileType} (${soak.auth}, ${soak.endStyle}): indicators`,
				run,
				run.truth.filter((ind) => ind.t >= run.activatedAt - SOAK.settleS * 1000).map(key),
				run.emitted.map(emittedKey),
				run.emitted.map(timeOf),
			);
		});
	});
});
