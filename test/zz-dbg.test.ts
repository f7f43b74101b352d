import { after, before, it } from 'node:test';
import { startEmulator } from '/work/wt-paged/test/emulator';
import { FakeClock, useFakeClock } from '/work/wt-paged/test/helpers/clock';
import { credentialsFor } from '/work/wt-paged/test/helpers/credentials';
import { LOG_CASES } from '/work/wt-paged/test/helpers/logCases';
import { pollHarness } from '/work/wt-paged/test/helpers/n8n';
const clock = new FakeClock(Date.UTC(2026, 11, 2, 12, 0, 0));
useFakeClock(clock);
it('dbg', async () => {
	const c = LOG_CASES[Number(process.env.CASE ?? 2)];
	const emu = await startEmulator({ seed: 1, tenant: 'empty', now: clock.now });
	const t = pollHarness(c.trigger(), { parameters: { authentication: 'apiKeys', ...c.params, simplify: false, options: { settleSeconds: 5, maxRecordsPerPoll: Number(process.env.CAP ?? 1) } }, credentials: credentialsFor(emu, 'apiKeys') });
	await t.poll();
	const covered = clock.ms - 5000;
	emu.data.add(c.kind, 14, { at: Math.max(covered + 1000, clock.ms - 2969) });
	emu.data.add(c.kind, 3, { at: Math.max(covered + 1000, clock.ms - 1308), sameTimestamp: true });
	console.log(emu.data.records(c.kind).map((r) => String(r[c.timeField]).slice(11, 19)).join(' '));
	clock.advance(15000);
	for (let i = 0; i < 8; i++) {
		emu.clearRequests();
		const r = await t.poll();
		const cur = t.staticData.cursor as any;
		console.log(i, r?.map((x) => String(x.json[c.timeField]).slice(11, 19)).join(','), emu.requests.length, new Date(cur.since).toISOString().slice(11, 19), Object.keys(cur.boundary).length, emu.requests.map((q: any) => JSON.stringify(q.body.data[0]).slice(0, 90)).join(' | '));
		clock.advance(6000);
	}
	await emu.close();
});
