import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startEmulator } from '../emulator';
import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES, credentialsFor } from '../helpers/credentials';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';

const PATH = '/api/managedsender/permit-or-block-sender';
const SENDER = 'attacker@n0rthwind.test';
const TO = 'emily.jones@northwind.example';

describe('Mimecast node: Sender', () => {
	const h = actionHarness();
	const block = { resource: 'sender', operation: 'block', sender: SENDER, to: TO };
	const entry = (sender = SENDER, to = TO) =>
		h.emu.actions.managedSenders.get(`${sender}|${to}`.toLowerCase());

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('blocks a sender for a recipient: the exact request, the item, the entry in Mimecast', async () => {
				h.emu.actions.managedSenders.clear();
				const items = await h.run(auth, block);
				assert.deepEqual(sentData(h.calls(PATH)[0]), [{ sender: SENDER, to: TO, action: 'block' }]);
				assert.equal(h.calls(PATH).length, 1);
				const stored = entry();
				assert.equal(stored?.type, 'Block');
				assert.deepEqual(items, [
					{
						json: { sender: SENDER, to: TO, action: 'block', id: stored!.id },
						pairedItem: { item: 0 },
					},
				]);
			});

			it('permits the same pair by updating its entry, not adding one', async () => {
				h.emu.actions.managedSenders.clear();
				const [blocked] = await h.run(auth, block);
				const [permitted] = await h.run(auth, { ...block, operation: 'permit' });
				assert.deepEqual(sentData(h.calls(PATH)[1]), [
					{ sender: SENDER, to: TO, action: 'permit' },
				]);
				assert.deepEqual(permitted.json, {
					sender: SENDER,
					to: TO,
					action: 'permit',
					id: blocked.json.id,
				});
				assert.equal(h.emu.actions.managedSenders.size, 1);
				assert.equal(entry()?.type, 'Permit');
			});

			it("runs once per input item, reading each item's values", async () => {
				const input = [{ from: 'a@bad.test' }, { from: 'b@bad.test' }];
				const items = await h.run(auth, { ...block, sender: '={{ $json.from }}' }, { input });
				assert.deepEqual(
					h.calls(PATH).map((r) => sentData(r)),
					input.map((i) => [{ sender: i.from, to: TO, action: 'block' }]),
				);
				assert.deepEqual(
					items.map((i) => [i.json.sender, i.pairedItem]),
					[
						['a@bad.test', { item: 0 }],
						['b@bad.test', { item: 1 }],
					],
				);
			});

			it('refuses an address that is not one, naming the field, before anything is sent', async () => {
				await h.rejects(
					h.run(auth, { ...block, sender: 'Attacker <attacker@n0rthwind.test>' }),
					/Sender is not an email address.*Nothing was sent/s,
				);
				await h.rejects(h.run(auth, { ...block, to: '' }), /Recipient is empty/);
				assert.equal(h.emu.requests.length, 0);
			});

			it('with Continue On Fail, a bad item becomes an error item and the others run', async () => {
				const input = [{ from: 'not-an-address' }, { from: 'b@bad.test' }];
				const items = await h.run(
					auth,
					{ ...block, sender: '={{ $json.from }}' },
					{ input, continueOnFail: true },
				);
				assert.match(
					String(items[0].json.error),
					/Sender is not an email address: "not-an-address"/,
				);
				assert.deepEqual(items[0].pairedItem, { item: 0 });
				assert.equal(items[1].json.sender, 'b@bad.test');
				assert.equal(h.calls(PATH).length, 1);
			});

			it('names the permission when Mimecast answers 403', async () => {
				h.emu.faults.inject({ kind: '403', path: PATH });
				await h.rejects(
					h.run(auth, block),
					/lacks permission for Block Sender.*Gateway \| Managed Senders \| Edit/s,
				);
				assert.equal(h.calls(PATH).length, 1);
			});

			it('retries after a 429 (Mimecast did not execute the call)', async () => {
				h.emu.faults.inject({ kind: '429', path: PATH, resetMs: 20 });
				const [item] = await h.run(auth, block);
				assert.equal(item.json.action, 'block');
				assert.deepEqual(
					h.calls(PATH).map((r) => r.status),
					[429, 200],
				);
			});

			it('retries after a reset that happened after Mimecast applied it, with exactly one entry', async () => {
				h.emu.actions.managedSenders.clear();
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: PATH });
				const [item] = await h.run(auth, block);
				assert.deepEqual(
					h.calls(PATH).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.equal(h.emu.actions.managedSenders.size, 1);
				assert.deepEqual(item.json, { sender: SENDER, to: TO, action: 'block', id: entry()!.id });
			});
		});
	}

	it('retries a refused connection (nothing reached Mimecast) until the attempts run out', async () => {
		const gone = await startEmulator({ seed: 13, tenant: 'empty' });
		const credentials = credentialsFor(gone, 'apiKeys');
		await gone.close();
		await h.rejects(
			h.run('apiKeys', block, { credentials }),
			new RegExp(`${DEFAULT_RETRY_POLICY.maxAttempts} attempts to 127\\.0\\.0\\.1`),
		);
	});
});
