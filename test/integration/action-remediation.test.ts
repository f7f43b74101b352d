import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const CREATE = '/api/ttp/remediation/create';
const GET = '/api/ttp/remediation/get-incident';
const SEARCH = '/api/ttp/remediation/search-hash';
const HOUR = 3_600_000;

/** A whole-second time and how Mimecast writes it (`2024-05-01T08:00:00+0000`). */
function at(msAgo: number): { iso: string; mc: string } {
	const iso = new Date(Math.floor((Date.now() - msAgo) / 1000) * 1000).toISOString();
	return { iso, mc: `${iso.slice(0, 19)}+0000` };
}

describe('Mimecast node: Remediation', () => {
	const h = actionHarness();
	let n = 0;
	/** A message in two mailboxes, with one attachment; unique per call. */
	const phish = () => {
		n++;
		return h.emu.actions.mailbox.add({
			messageId: `<phish-${n}@n0rthwind.test>`,
			from: 'payroll@n0rthwind.test',
			to: ['emily.jones@northwind.example', 'tom.smith@northwind.example'],
			subject: 'Your payslip',
			received: Date.now() - HOUR,
			attachments: [{ name: `payslip-${n}.html` }],
		});
	};
	const create = {
		resource: 'remediation',
		operation: 'create',
		reason: 'Phishing reported by a user',
	};

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('remediates a message by Message-ID (brackets added): the request, the incident, the mailboxes', async () => {
				const message = phish();
				const start = at(24 * HOUR);
				const end = at(0);
				const bare = message.messageId.slice(1, -1);
				const [item] = await h.run(auth, {
					...create,
					searchBy: 'messageId',
					hashOrMessageId: bare,
					start: start.iso,
					end: end.iso,
				});
				assert.deepEqual(sentData(h.calls(CREATE)[0]), [
					{
						reason: create.reason,
						hashOrMessageId: message.messageId,
						searchBy: 'messageId',
						start: start.mc,
						end: end.mc,
					},
				]);
				const incident = h.emu.actions.remediations.incidents.at(-1)!;
				assert.equal(message.remediatedBy, incident.code);
				assert.deepEqual(item.json, {
					id: incident.id,
					code: incident.code,
					type: 'manual',
					reason: create.reason,
					identified: 2,
					successful: 2,
					failed: 0,
					restored: 0,
					created: incident.create,
					modified: incident.modified,
					searchCriteria: { start: start.mc, end: end.mc, messageId: message.messageId },
				});
			});

			it('remediates by attachment hash in any case, leaving the window to Mimecast when empty', async () => {
				const message = phish();
				const hash = message.attachments[0].sha256;
				const [item] = await h.run(auth, { ...create, hashOrMessageId: hash.toUpperCase() });
				assert.deepEqual(sentData(h.calls(CREATE)[0]), [
					{ reason: create.reason, hashOrMessageId: hash, searchBy: 'hash' },
				]);
				assert.equal(item.json.identified, 2);
				assert.equal((item.json.searchCriteria as { fileHash: string }).fileHash, hash);
			});

			it('refuses bad input, naming the field, before anything is sent', async () => {
				await h.rejects(
					h.run(auth, { ...create, hashOrMessageId: 'abc123' }),
					/File Hash is not an MD5, SHA-1 or SHA-256 hash: "abc123".*Nothing was sent/s,
				);
				await h.rejects(
					h.run(auth, { ...create, searchBy: 'messageId', hashOrMessageId: 'two words@x.test' }),
					/Message-ID is not a Message-ID/,
				);
				await h.rejects(
					h.run(auth, { ...create, hashOrMessageId: 'a'.repeat(64), reason: '' }),
					/Reason is empty/,
				);
				await h.rejects(
					h.run(auth, {
						...create,
						hashOrMessageId: 'a'.repeat(64),
						start: at(0).iso,
						end: at(HOUR).iso,
					}),
					/Start is not before End/,
				);
				await h.rejects(
					h.run(auth, { ...create, searchBy: 'sender', hashOrMessageId: 'a'.repeat(64) }),
					/Search By has an unknown value "sender"/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('never repeats a create whose answer was lost after Mimecast applied it: one incident, outcome unknown', async () => {
				const message = phish();
				const before = h.emu.actions.remediations.incidents.length;
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: CREATE });
				await h.rejects(
					h.run(auth, { ...create, searchBy: 'messageId', hashOrMessageId: message.messageId }),
					/Outcome unknown: Create Remediation may or may not have been applied.*not sent again.*Threat Remediation in the Mimecast console/s,
				);
				assert.equal(h.calls(CREATE).length, 1);
				assert.equal(h.emu.actions.remediations.incidents.length, before + 1);
				assert.equal(h.emu.actions.remediations.incidents.at(-1)!.identified, 2);
			});

			it('never repeats after a 502, but retries a 429 (Mimecast did not run it)', async () => {
				const before = h.emu.actions.remediations.incidents.length;
				h.emu.faults.inject({ kind: '502', path: CREATE });
				await h.rejects(
					h.run(auth, { ...create, hashOrMessageId: 'b'.repeat(40) }),
					/Outcome unknown/,
				);
				assert.equal(h.calls(CREATE).length, 1);
				h.emu.clearRequests();
				h.emu.faults.inject({ kind: '429', path: CREATE, resetMs: 20 });
				const [item] = await h.run(auth, { ...create, hashOrMessageId: 'b'.repeat(40) });
				assert.deepEqual(
					h.calls(CREATE).map((r) => r.status),
					[429, 200],
				);
				assert.equal(item.json.identified, 0);
				assert.equal(h.emu.actions.remediations.incidents.length, before + 1);
			});

			it('names the permission when Mimecast answers 403', async () => {
				h.emu.faults.inject({ kind: '403', path: CREATE });
				await h.rejects(
					h.run(auth, { ...create, hashOrMessageId: 'c'.repeat(32) }),
					/lacks permission for Create Remediation.*Monitoring \| Threat Remediation \| Edit/s,
				);
			});

			it('gets an incident by ID, the same as Create returned, retrying a reset', async () => {
				const message = phish();
				const [created] = await h.run(auth, {
					...create,
					searchBy: 'messageId',
					hashOrMessageId: message.messageId,
				});
				h.emu.faults.inject({ kind: 'reset', path: GET });
				const [got] = await h.run(auth, {
					resource: 'remediation',
					operation: 'get',
					incidentId: created.json.id,
				});
				assert.deepEqual(
					h.calls(GET).map((r) => sentData(r)),
					[[{ id: created.json.id }], [{ id: created.json.id }]],
				);
				assert.deepEqual(got.json, created.json);
			});

			it('says what Mimecast said for an unknown incident, and refuses an empty ID unsent', async () => {
				await h.rejects(
					h.run(auth, { resource: 'remediation', operation: 'get', incidentId: 'eNoNOPE' }),
					/No remediation incident with this id/,
				);
				h.emu.clearRequests();
				await h.rejects(
					h.run(auth, { resource: 'remediation', operation: 'get', incidentId: ' ' }),
					/Incident ID is empty/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('searches hashes: one item per hash in the order asked, failed ones flagged', async () => {
				const seen = phish().attachments[0].sha256;
				const unseen = 'd'.repeat(32);
				const refused = '0'.repeat(40);
				const items = await h.run(auth, {
					resource: 'remediation',
					operation: 'searchHash',
					hashes: `${seen.toUpperCase()}, ${unseen}\n${refused}`,
				});
				assert.deepEqual(sentData(h.calls(SEARCH)[0]), [{ hashes: [seen, unseen, refused] }]);
				assert.deepEqual(
					items.map((i) => i.json),
					[
						{ hash: seen, detected: true, failed: false },
						{ hash: unseen, detected: false, failed: false },
						{
							hash: refused,
							detected: null,
							failed: true,
							reason: 'Not a hash Mimecast can search',
						},
					],
				);
			});
		});
	}

	it('refuses more than 100 hashes, or a bad one, naming it, before anything is sent', async () => {
		const many = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0'));
		await h.rejects(
			h.run('apiKeys', {
				resource: 'remediation',
				operation: 'searchHash',
				hashes: many.join(','),
			}),
			/101 hashes, more than the 100/,
		);
		await h.rejects(
			h.run('apiKeys', {
				resource: 'remediation',
				operation: 'searchHash',
				hashes: `${'a'.repeat(32)},xyz`,
			}),
			/Hashes \(entry 2\) is not an MD5/,
		);
		await h.rejects(
			h.run('apiKeys', { resource: 'remediation', operation: 'searchHash', hashes: ' , ' }),
			/Hashes is empty/,
		);
		assert.equal(h.emu.requests.length, 0);
	});

	it('takes the hashes as a list from an expression', async () => {
		const [item] = await h.run(
			'oAuth2',
			{ resource: 'remediation', operation: 'searchHash', hashes: '={{ $json.hashes }}' },
			{ input: [{ hashes: ['e'.repeat(64)] }] },
		);
		assert.deepEqual(sentData(h.calls(SEARCH)[0]), [{ hashes: ['e'.repeat(64)] }]);
		assert.deepEqual(item.json, { hash: 'e'.repeat(64), detected: false, failed: false });
	});
});
