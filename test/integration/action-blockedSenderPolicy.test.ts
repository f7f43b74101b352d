import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const CREATE = '/api/policy/blockedsenders/create-policy';
const GET = '/api/policy/blockedsenders/get-policy';
const DELETE = '/api/policy/blockedsenders/delete-policy';

describe('Mimecast node: Blocked Sender Policy', () => {
	const h = actionHarness();
	const policies = () => h.emu.actions.blockedSenderPolicies.policies;
	const create = {
		resource: 'blockedSenderPolicy',
		operation: 'create',
		description: 'Block the payroll phish domain',
		fromType: 'emailDomain',
		fromValue: 'N0rthwind.test',
	};
	const deletePolicy = (policyId: string) => ({
		resource: 'blockedSenderPolicy',
		operation: 'delete',
		policyId,
	});

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it("creates a policy: the exact request, the item in the user's terms, and Get Many lists it", async () => {
				const [item] = await h.run(auth, {
					...create,
					fromPart: 'both',
					toType: 'individualEmailAddress',
					toValue: 'cfo@northwind.example',
					options: {
						bidirectional: true,
						comment: 'from incident 42',
						sourceIPs: '203.0.113.0/24, 198.51.100.7',
						fromDate: '2030-01-01T00:00:00Z',
						toDate: '2030-02-01T12:30:00Z',
					},
				});
				assert.deepEqual(sentData(h.calls(CREATE)[0]), [
					{
						option: 'block_sender',
						policy: {
							description: 'Block the payroll phish domain',
							fromPart: 'both',
							fromType: 'email_domain',
							fromValue: 'n0rthwind.test',
							toType: 'individual_email_address',
							toValue: 'cfo@northwind.example',
							bidirectional: true,
							comment: 'from incident 42',
							conditions: { sourceIPs: ['203.0.113.0/24', '198.51.100.7/32'] },
							fromDate: '2030-01-01T00:00:00+00:00',
							toDate: '2030-02-01T12:30:00+00:00',
						},
					},
				]);
				const stored = policies().at(-1)!;
				assert.deepEqual(item.json, {
					id: stored.id,
					action: 'blockSender',
					description: 'Block the payroll phish domain',
					fromPart: 'both',
					fromType: 'emailDomain',
					fromValue: 'n0rthwind.test',
					toType: 'individualEmailAddress',
					toValue: 'cfo@northwind.example',
					conditions: { sourceIPs: ['203.0.113.0/24', '198.51.100.7/32'] },
					bidirectional: true,
					override: false,
					enabled: true,
					enforced: false,
					fromDate: '2030-01-01T00:00:00+0000',
					toDate: '2030-02-01T12:30:00+0000',
					comment: 'from incident 42',
					created: stored.policy.createTime,
					lastUpdated: stored.policy.lastUpdated,
				});
				const listed = await h.run(auth, {
					resource: 'blockedSenderPolicy',
					operation: 'getMany',
					returnAll: true,
				});
				assert.deepEqual(listed.at(-1)!.json, item.json);
				assert.equal(listed.length, policies().length);
			});

			it('never repeats a create whose answer was lost after Mimecast applied it: one policy, outcome unknown', async () => {
				const before = policies().length;
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: CREATE });
				await h.rejects(
					h.run(auth, { ...create, option: 'noAction' }),
					/Outcome unknown: Create Blocked Sender Policy.*Get Many operation/s,
				);
				assert.equal(h.calls(CREATE).length, 1);
				assert.equal(policies().length, before + 1);
				assert.equal(policies().at(-1)!.option, 'no_action');
			});

			it('refuses bad input, naming the field, before anything is sent', async () => {
				await h.rejects(
					h.run(auth, { ...create, description: '' }),
					/Description is empty.*Nothing was sent/s,
				);
				await h.rejects(
					h.run(auth, { ...create, fromValue: 'n0rthwind test' }),
					/Sender Value is not a domain name/,
				);
				await h.rejects(
					h.run(auth, { ...create, toType: 'individualEmailAddress', toValue: 'cfo' }),
					/Recipient Value is not an email address/,
				);
				await h.rejects(
					h.run(auth, { ...create, toType: 'profileGroup', toValue: '' }),
					/Recipient Value is empty/,
				);
				await h.rejects(
					h.run(auth, { ...create, options: { sourceIPs: '203.0.113.0/33' } }),
					/Source IPs has "203\.0\.113\.0\/33"/,
				);
				await h.rejects(
					h.run(auth, {
						...create,
						options: { fromDate: '2030-02-01T00:00:00Z', toDate: '2030-01-01T00:00:00Z' },
					}),
					/Valid From is not before Valid Until/,
				);
				await h.rejects(
					h.run(auth, { ...create, option: 'block_sender' }),
					/Action has an unknown value "block_sender"/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('gets one policy by ID, stops at the limit, and says when an ID is unknown', async () => {
				const first = policies()[0];
				const [one] = await h.run(auth, {
					resource: 'blockedSenderPolicy',
					operation: 'getMany',
					policyId: first.id,
				});
				assert.deepEqual(sentData(h.calls(GET)[0]), [{ id: first.id }]);
				assert.equal(one.json.id, first.id);
				assert.equal(one.json.description, first.policy.description);
				const limited = await h.run(auth, {
					resource: 'blockedSenderPolicy',
					operation: 'getMany',
					limit: 1,
				});
				assert.deepEqual(h.calls(GET)[1].body, { meta: { pagination: { pageSize: 1 } }, data: [] });
				assert.equal(limited.length, 1);
				await h.rejects(
					h.run(auth, {
						resource: 'blockedSenderPolicy',
						operation: 'getMany',
						policyId: 'eNoGONE',
					}),
					/No blocked sender policy with ID "eNoGONE"/,
				);
			});

			it('deletes a policy: the request, the item, and Get Many no longer lists it', async () => {
				const [created] = await h.run(auth, create);
				const id = String(created.json.id);
				const [item] = await h.run(auth, deletePolicy(id));
				assert.deepEqual(sentData(h.calls(DELETE)[0]), [{ id }]);
				assert.deepEqual(item.json, { id, deleted: true });
				const listed = await h.run(auth, {
					resource: 'blockedSenderPolicy',
					operation: 'getMany',
					returnAll: true,
				});
				assert.ok(!listed.some((i) => i.json.id === id));
			});

			it("deletes once when the answer was lost after Mimecast applied it: the repeat's 404 means done", async () => {
				const [created] = await h.run(auth, create);
				const id = String(created.json.id);
				const before = policies().length;
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: DELETE });
				const [item] = await h.run(auth, deletePolicy(id));
				assert.deepEqual(
					h.calls(DELETE).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.deepEqual(item.json, { id, deleted: true });
				assert.equal(policies().length, before - 1);
			});

			it('says when the policy to delete does not exist (no repeat involved)', async () => {
				await h.rejects(
					h.run(auth, deletePolicy('eNoNEVER')),
					/No blocked sender policy with ID "eNoNEVER"/,
				);
				assert.equal(h.calls(DELETE).length, 1);
			});

			it('names the permission the API user lacks, and creates nothing', async () => {
				const before = policies().length;
				h.emu.actions.revokedPermissions.add('Gateway | Policies | Edit');
				try {
					await h.rejects(
						h.run(auth, create),
						/lacks permission for Create Blocked Sender Policy \(403\).*Gateway \| Policies \| Edit/s,
					);
					assert.equal(policies().length, before);
				} finally {
					h.emu.actions.revokedPermissions.clear();
				}
			});

			it('names the permission when Mimecast answers 403', async () => {
				h.emu.faults.inject({ kind: '403', path: DELETE });
				await h.rejects(
					h.run(auth, deletePolicy('x')),
					/lacks permission for Delete Blocked Sender Policy.*Gateway \| Policies \| Edit/s,
				);
			});
		});
	}
});
