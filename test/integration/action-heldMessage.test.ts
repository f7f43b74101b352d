import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { startEmulator } from '../emulator';
import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES, credentialsFor } from '../helpers/credentials';
import { runNode } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';

const LIST = '/api/gateway/get-hold-message-list';
const SUMMARY = '/api/gateway/get-hold-summary-list';
const RELEASE = '/api/gateway/hold-release';
const REJECT = '/api/gateway/hold-reject';
const UNKNOWN =
	/Outcome unknown: (Release|Reject) Held Message may or may not have been applied.*not sent again.*Held Message > Get Many/s;

describe('Mimecast node: Held Message', () => {
	const h = actionHarness();
	const state = () => h.emu.actions;
	const held = (sender = 'bad.actor@zenz.test') =>
		state().hold({
			from: { emailAddress: sender, displayableName: '' },
			fromHeader: { emailAddress: sender, displayableName: '' },
		});
	const isHeld = (id: string) => state().heldMessages.some((m) => m.id === id);
	const logsOf = (id: string) => state().releaseLogs.filter((l) => l.id === id);
	const release = (id: string) => ({ resource: 'heldMessage', operation: 'release', id });

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('lists held messages of one sender in a window: the exact request, simplified items', async () => {
				const message = held(`${auth}@zenz.test`);
				const items = await h.run(auth, {
					resource: 'heldMessage',
					operation: 'getMany',
					start: '2020-01-01T00:00:00Z',
					end: '2030-01-01T00:00:00Z',
					searchBy: 'sender',
					searchText: `${auth}@zenz.test`,
					returnAll: true,
				});
				assert.deepEqual(sentData(h.calls(LIST)[0]), [
					{
						admin: true,
						start: '2020-01-01T00:00:00+0000',
						end: '2030-01-01T00:00:00+0000',
						searchBy: { fieldName: 'sender', value: `${auth}@zenz.test` },
					},
				]);
				assert.deepEqual(
					items.map((i) => i.json),
					[
						{
							id: message.id,
							received: message.dateReceived,
							sender: `${auth}@zenz.test`,
							fromHeader: `${auth}@zenz.test`,
							recipient: message.to.emailAddress,
							subject: message.subject,
							reason: message.reason,
							reasonCode: message.reasonCode,
							policy: message.policyInfo,
							route: message.route.toLowerCase(),
							hasAttachments: message.hasAttachments,
							size: message.size,
						},
					],
				);
			});

			it('maps Reason Code to reason_code, defaults the window to the last 7 days, and returns raw records without Simplify', async () => {
				const items = await h.run(auth, {
					resource: 'heldMessage',
					operation: 'getMany',
					searchBy: 'reasonCode',
					searchText: 'attachment_management',
					simplify: false,
					limit: 2,
				});
				const [sent] = sentData(h.calls(LIST)[0]) as Array<{
					start: string;
					end: string;
					searchBy: unknown;
				}>;
				assert.deepEqual(sent.searchBy, {
					fieldName: 'reason_code',
					value: 'attachment_management',
				});
				const days =
					(Date.parse(sent.end.replace('+0000', 'Z')) -
						Date.parse(sent.start.replace('+0000', 'Z'))) /
					86_400_000;
				assert.equal(days, 7);
				assert.ok(items.length > 0 && items.length <= 2);
				for (const item of items)
					assert.deepEqual(item.json, {
						...state().heldMessages.find((m) => m.id === item.json.id),
					});
			});

			it('counts held messages per policy', async () => {
				const items = await h.run(auth, { resource: 'heldMessage', operation: 'getSummary' });
				assert.deepEqual(h.calls(SUMMARY)[0].body, { data: [] });
				const expected = new Map<string, number>();
				for (const m of state().heldMessages)
					expected.set(m.policyInfo, (expected.get(m.policyInfo) ?? 0) + 1);
				assert.deepEqual(
					new Map(items.map((i) => [i.json.policy as string, i.json.count as number])),
					expected,
				);
			});

			it('releases a held message: it leaves the hold list and appears in the release log', async () => {
				const message = held();
				const items = await h.run(auth, release(message.id));
				assert.deepEqual(sentData(h.calls(RELEASE)[0]), [{ id: message.id }]);
				assert.deepEqual(items, [
					{ json: { id: message.id, released: true }, pairedItem: { item: 0 } },
				]);
				assert.equal(isHeld(message.id), false);
				assert.deepEqual(
					logsOf(message.id).map((l) => [l.status, l.fromEnv.emailAddress, l.subject]),
					[['released', 'bad.actor@zenz.test', message.subject]],
				);
			});

			it('reports a release Mimecast refused (release:false), naming the message', async () => {
				const message = held();
				await h.run(auth, release(message.id));
				await h.rejects(
					h.run(auth, release(message.id)),
					new RegExp(
						`did not release held message ${message.id}.*released or rejected already`,
						's',
					),
				);
				assert.equal(logsOf(message.id).length, 1);
			});

			it('never repeats a release whose answer was lost after Mimecast applied it: outcome unknown, one release', async () => {
				const message = held();
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: RELEASE });
				await h.rejects(h.run(auth, release(message.id)), UNKNOWN);
				assert.equal(h.calls(RELEASE).length, 1);
				assert.equal(isHeld(message.id), false);
				assert.equal(logsOf(message.id).length, 1);
			});

			it('never repeats a release after a 502 or a reset: outcome unknown, one request', async () => {
				for (const kind of ['502', 'reset'] as const) {
					h.emu.clearRequests();
					const message = held();
					h.emu.faults.inject({ kind, path: RELEASE });
					await h.rejects(h.run(auth, release(message.id)), UNKNOWN);
					assert.equal(h.calls(RELEASE).length, 1, kind);
					assert.equal(isHeld(message.id), true, `${kind}: not applied, and not tried again`);
				}
			});

			it('retries a release after a 429 (Mimecast did not execute it)', async () => {
				const message = held();
				h.emu.faults.inject({ kind: '429', path: RELEASE, resetMs: 10 });
				const [item] = await h.run(auth, release(message.id));
				assert.deepEqual(item.json, { id: message.id, released: true });
				assert.deepEqual(
					h.calls(RELEASE).map((r) => r.status),
					[429, 200],
				);
				assert.equal(logsOf(message.id).length, 1);
			});

			it('rejects several held messages with a reason, a message to the sender and notify', async () => {
				const [a, b] = [held(), held()];
				const items = await h.run(auth, {
					resource: 'heldMessage',
					operation: 'reject',
					ids: `${a.id}, ${b.id}`,
					reasonType: 'messageContainsUndesirableContent',
					options: { message: 'Blocked by the SOC', notify: true },
				});
				assert.deepEqual(sentData(h.calls(REJECT)[0]), [
					{
						ids: [a.id, b.id],
						reasonType: 'MESSAGE CONTAINS UNDESIRABLE CONTENT',
						notify: true,
						message: 'Blocked by the SOC',
					},
				]);
				assert.deepEqual(
					items.map((i) => i.json),
					[
						{ id: a.id, rejected: true },
						{ id: b.id, rejected: true },
					],
				);
				for (const m of [a, b]) {
					assert.equal(isHeld(m.id), false);
					assert.deepEqual(
						logsOf(m.id).map((l) => [l.status, l.rejectReason]),
						[['rejected', 'Message contains undesirable content']],
					);
				}
			});

			it('never repeats a reject whose answer was lost after Mimecast applied it', async () => {
				const message = held();
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: REJECT });
				await h.rejects(
					h.run(auth, { resource: 'heldMessage', operation: 'reject', ids: message.id }),
					UNKNOWN,
				);
				assert.equal(h.calls(REJECT).length, 1);
				assert.equal(logsOf(message.id).length, 1);
			});

			it('refuses empty IDs and a reversed window before anything is sent', async () => {
				await h.rejects(h.run(auth, release(' ')), /Held Message ID is empty/);
				await h.rejects(
					h.run(auth, { resource: 'heldMessage', operation: 'reject', ids: ' , ' }),
					/Held Message IDs is empty/,
				);
				await h.rejects(
					h.run(auth, {
						resource: 'heldMessage',
						operation: 'getMany',
						start: '2024-05-02T00:00:00Z',
						end: '2024-05-01T00:00:00Z',
					}),
					/Start is not before End/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('names the permission on a 403', async () => {
				h.emu.faults.inject({ kind: '403', path: RELEASE });
				await h.rejects(
					h.run(auth, release(held().id)),
					/Release Held Message.*Monitoring \| Held \| Edit/s,
				);
				h.emu.faults.inject({ kind: '403', path: LIST });
				await h.rejects(
					h.run(auth, { resource: 'heldMessage', operation: 'getMany' }),
					/Get Many Held Messages.*Monitoring \| Held \| Read/s,
				);
			});
		});
	}

	it('serves a release through the Message Release Logs node, as Mimecast logs it', async () => {
		const message = held('logged.sender@zenz.test');
		await h.run('oAuth2', release(message.id));
		const logs = await runNode(nodeType('mimecastMessageReleaseLogs'), {
			parameters: {
				authentication: 'oAuth2',
				start: new Date(Date.now() - 3_600_000).toISOString(),
				returnAll: true,
				simplify: false,
			},
			credentials: credentialsFor(h.emu, 'oAuth2'),
		});
		const logged = logs.filter((i) => i.json.id === message.id).map((i) => i.json);
		assert.equal(logged.length, 1);
		assert.equal(logged[0].status, 'released');
		assert.deepEqual(logged[0].fromEnv, { emailAddress: 'logged.sender@zenz.test' });
		assert.equal(logged[0].subject, message.subject);
	});

	it('retries a release on a refused connection (it never reached Mimecast)', async () => {
		const gone = await startEmulator({ seed: 13, tenant: 'empty' });
		const credentials = credentialsFor(gone, 'apiKeys');
		await gone.close();
		await h.rejects(
			h.run('apiKeys', release('any-id'), { credentials }),
			new RegExp(
				`^(?!Outcome unknown).*${DEFAULT_RETRY_POLICY.maxAttempts} attempts to 127\\.0\\.0\\.1`,
				's',
			),
		);
	});
});
