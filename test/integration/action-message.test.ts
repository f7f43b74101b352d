import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const SEARCH = '/api/message-finder/search';
const INFO = '/api/message-finder/get-message-info';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function at(msAgo: number): { iso: string; mc: string } {
	const iso = new Date(Math.floor((Date.now() - msAgo) / 1000) * 1000).toISOString();
	return { iso, mc: `${iso.slice(0, 19)}+0000` };
}

describe('Mimecast node: Message', () => {
	const h = actionHarness();
	let n = 0;
	const deliver = (overrides: { from?: string; to?: string[] } = {}) => {
		n++;
		return h.emu.actions.mailbox.add({
			messageId: `<invoice-${n}@partner.example>`,
			from: overrides.from ?? `billing${n}@partner.example`,
			to: overrides.to ?? ['maria.valdes@northwind.example'],
			subject: `Invoice ${n}`,
			senderIP: '203.0.113.9',
			received: Date.now() - 2 * HOUR,
			attachments: [{ name: `invoice-${n}.pdf`, mimeType: 'application/pdf' }],
		});
	};
	const search = { resource: 'message', operation: 'search' };

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('searches by Message-ID (brackets added) in a window: the request and the simplified items', async () => {
				const message = deliver();
				const start = at(DAY);
				const end = at(0);
				const items = await h.run(auth, {
					...search,
					messageId: message.messageId.slice(1, -1),
					start: start.iso,
					end: end.iso,
				});
				assert.deepEqual(sentData(h.calls(SEARCH)[0]), [
					{ messageId: message.messageId, start: start.mc, end: end.mc },
				]);
				const received =
					new Date(Math.floor(message.received / 1000) * 1000).toISOString().slice(0, 19) + '+0000';
				assert.deepEqual(
					items.map((i) => i.json),
					[
						{
							id: message.id,
							status: 'archived',
							info: 'Indexed and archived',
							from: message.from,
							fromHeader: message.from,
							to: ['maria.valdes@northwind.example'],
							subject: message.subject,
							received,
							sent: received,
							route: 'inbound',
							senderIP: '203.0.113.9',
							attachments: true,
							spamScore: 2,
							detectionLevel: 'relaxed',
						},
					],
				);
			});

			it('searches by sender and route over the last 7 days by default, with a reason, raw when Simplify is off', async () => {
				const sender = `ceo.fraud${n}@n0rthwind.test`;
				deliver({ from: sender });
				deliver({ from: sender, to: ['tom.smith@northwind.example'] });
				deliver({ from: sender });
				const items = await h.run(auth, {
					...search,
					searchFields: { from: sender, route: ['inbound'] },
					options: { searchReason: 'Phishing triage' },
					simplify: false,
					limit: 2,
				});
				const [sent] = sentData(h.calls(SEARCH)[0]) as Array<Record<string, string>>;
				assert.deepEqual(sent.advancedTrackAndTraceOptions, { from: sender, route: ['inbound'] });
				assert.equal(sent.searchReason, 'Phishing triage');
				assert.ok(
					Math.abs(Date.parse(sent.start.replace('+0000', 'Z')) - (Date.now() - 7 * DAY)) < 60_000,
					`start ${sent.start}`,
				);
				assert.ok(
					Math.abs(Date.parse(sent.end.replace('+0000', 'Z')) - Date.now()) < 60_000,
					`end ${sent.end}`,
				);
				assert.equal(items.length, 2);
				assert.deepEqual(items[0].json.fromEnv, { emailAddress: sender });
				assert.equal(items[0].json.subject, `Invoice ${n}`);
			});

			it('refuses a search that is not exactly one of Message-ID and fields, and bad fields, before sending', async () => {
				await h.rejects(
					h.run(auth, { ...search, messageId: '<a@b.example>', searchFields: { subject: 'x' } }),
					/Set only one of Message-ID or Search Fields.*Nothing was sent/s,
				);
				await h.rejects(h.run(auth, { ...search }), /Set Message-ID or Search Fields/);
				await h.rejects(
					h.run(auth, { ...search, searchFields: { route: ['inbound'] } }),
					/Route alone is not a search/,
				);
				await h.rejects(
					h.run(auth, { ...search, searchFields: { to: 'maria' } }),
					/To is not an email address/,
				);
				await h.rejects(
					h.run(auth, { ...search, searchFields: { senderIP: '300.1.1.1' } }),
					/Sender IP is not an IP address/,
				);
				await h.rejects(
					h.run(auth, { ...search, messageId: 'a b@c' }),
					/Message-ID is not a Message-ID/,
				);
				await h.rejects(
					h.run(auth, { ...search, messageId: 'a@b', start: at(0).iso, end: at(DAY).iso }),
					/Start is not before End/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('retries a read after a 503 and a reset', async () => {
				const message = deliver();
				h.emu.faults.inject({ kind: '503', path: SEARCH });
				h.emu.faults.inject({ kind: 'reset', path: SEARCH });
				const items = await h.run(auth, { ...search, messageId: message.messageId });
				assert.equal(h.calls(SEARCH).length, 3);
				assert.deepEqual(
					items.map((i) => i.json.id),
					[message.id],
				);
			});

			it('shows what Mimecast says about a start beyond message tracking, and a missing permission', async () => {
				await h.rejects(
					h.run(auth, { ...search, messageId: '<a@b.example>', start: at(40 * DAY).iso }),
					/outside the message tracking retention/,
				);
				h.emu.faults.inject({ kind: '403', path: SEARCH });
				await h.rejects(
					h.run(auth, { ...search, messageId: '<a@b.example>' }),
					/lacks permission for Search Messages.*Gateway \| Tracking \| Read/s,
				);
			});

			it('gets one message: deliveries as a list, attachments with their hashes; the raw record when Simplify is off', async () => {
				const message = deliver({
					to: ['maria.valdes@northwind.example', 'tom.smith@northwind.example'],
				});
				const [item] = await h.run(auth, { resource: 'message', operation: 'get', id: message.id });
				assert.deepEqual(sentData(h.calls(INFO)[0]), [{ id: message.id }]);
				const { sha256 } = message.attachments[0];
				assert.equal(item.json.from, message.from);
				assert.deepEqual(item.json.to, message.to);
				assert.deepEqual(item.json.attachments, [
					{
						name: `invoice-${n}.pdf`,
						extension: 'pdf',
						mimeType: 'application/pdf',
						size: 20480,
						hash: sha256,
					},
				]);
				assert.deepEqual(item.json.deliveries, [
					{
						recipient: 'maria.valdes@northwind.example',
						event: 'Email Delivered',
						route: 'inbound',
						policies: ['Relaxed Spam Detection'],
					},
					{
						recipient: 'tom.smith@northwind.example',
						event: 'Email Delivered',
						route: 'inbound',
						policies: ['Relaxed Spam Detection'],
					},
				]);
				const [raw] = await h.run(auth, {
					resource: 'message',
					operation: 'get',
					id: message.id,
					simplify: false,
				});
				assert.deepEqual(Object.keys(raw.json.deliveredMessage as object), message.to);
			});

			it('says what Mimecast said for an unknown message, and refuses an empty ID unsent', async () => {
				await h.rejects(
					h.run(auth, { resource: 'message', operation: 'get', id: 'eNoUNKNOWN' }),
					/No tracked message with this id/,
				);
				h.emu.clearRequests();
				await h.rejects(
					h.run(auth, { resource: 'message', operation: 'get', id: '' }),
					/Message Tracking ID is empty/,
				);
				assert.equal(h.emu.requests.length, 0);
			});
		});
	}

	it('finds the message behind a TTP URL click by its Message-ID', async () => {
		const [click] = h.emu.data.add('ttpUrl', 1, { malicious: true });
		const items = await h.run('oAuth2', { ...search, messageId: String(click.messageId) });
		assert.deepEqual(
			items.map((i) => [i.json.from, i.json.to, i.json.subject]),
			[[click.fromUserEmailAddress, [click.userEmailAddress], click.subject]],
		);
	});
});
