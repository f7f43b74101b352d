import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const FIND = '/api/directory/find-groups';
const ADD = '/api/directory/add-group-member';
const REMOVE = '/api/directory/remove-group-member';

describe('Mimecast node: Group', () => {
	const h = actionHarness();
	const groupNamed = (name: string) =>
		h.emu.actions.directory.groups.find((g) => g.description === name)!;
	const members = (name: string) => groupNamed(name).members.map((m) => m.emailAddress ?? m.domain);
	let n = 0;
	const newAddress = () => `attacker${++n}@n0rthwind.test`;

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('finds groups by name: the request, one item per group with its name', async () => {
				const items = await h.run(auth, {
					resource: 'group',
					operation: 'getMany',
					query: 'senders',
					returnAll: true,
				});
				assert.deepEqual(h.calls(FIND)[0].body, {
					meta: { pagination: { pageSize: 500 } },
					data: [{ source: 'cloud', query: 'senders' }],
				});
				const blocked = groupNamed('Blocked Senders');
				assert.deepEqual(
					items.map((i) => i.json.name),
					['Blocked Senders', 'Permitted Senders'],
				);
				assert.deepEqual(items[0].json, {
					id: blocked.id,
					name: 'Blocked Senders',
					description: 'Blocked Senders',
					source: 'cloud',
					parentId: blocked.parentId,
					userCount: blocked.members.length,
					folderCount: 0,
				});
			});

			it('stops at the limit and reads LDAP groups when asked', async () => {
				const items = await h.run(auth, {
					resource: 'group',
					operation: 'getMany',
					source: 'ldap',
					limit: 1,
				});
				assert.deepEqual(h.calls(FIND)[0].body, {
					meta: { pagination: { pageSize: 1 } },
					data: [{ source: 'ldap' }],
				});
				assert.deepEqual(
					items.map((i) => [i.json.name, i.json.source]),
					[['Finance', 'ldap']],
				);
			});

			it('adds a member: the request, the item, and find-groups counts it', async () => {
				const group = groupNamed('Blocked Senders');
				const before = group.members.length;
				const address = newAddress();
				const [item] = await h.run(auth, {
					resource: 'group',
					operation: 'addMember',
					groupId: group.id,
					emailAddress: address,
				});
				assert.deepEqual(sentData(h.calls(ADD)[0]), [{ id: group.id, emailAddress: address }]);
				const added = group.members.at(-1)!;
				assert.deepEqual(item.json, {
					groupId: group.id,
					emailAddress: address,
					added: true,
					memberId: added.id,
					internal: false,
				});
				const [found] = await h.run(auth, {
					resource: 'group',
					operation: 'getMany',
					query: 'Blocked Senders',
				});
				assert.equal(found.json.userCount, before + 1);
			});

			it('adds once when the answer was lost after Mimecast applied it: the repeat\'s "already exists" means done', async () => {
				const group = groupNamed('Blocked Senders');
				const before = group.members.length;
				const address = newAddress();
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: ADD });
				const [item] = await h.run(auth, {
					resource: 'group',
					operation: 'addMember',
					groupId: group.id,
					emailAddress: address,
				});
				assert.deepEqual(
					h.calls(ADD).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.deepEqual(item.json, { groupId: group.id, emailAddress: address, added: true });
				assert.equal(group.members.length, before + 1);
				assert.equal(members('Blocked Senders').filter((m) => m === address).length, 1);
			});

			it('says so when the address already was a member (no repeat involved)', async () => {
				const group = groupNamed('Executives');
				const existing = group.members[0].emailAddress!;
				await h.rejects(
					h.run(auth, {
						resource: 'group',
						operation: 'addMember',
						groupId: group.id,
						emailAddress: existing,
					}),
					new RegExp(`${existing} is already a member of this group`),
				);
				assert.equal(h.calls(ADD).length, 1);
			});

			it('removes a domain member, also when a 502 made it repeat', async () => {
				const group = groupNamed('Permitted Senders');
				await h.run(auth, {
					resource: 'group',
					operation: 'addMember',
					groupId: group.id,
					domain: 'Partner.Example',
				});
				assert.deepEqual(sentData(h.calls(ADD)[0]), [{ id: group.id, domain: 'partner.example' }]);
				h.emu.faults.inject({ kind: '502', path: REMOVE });
				const [item] = await h.run(auth, {
					resource: 'group',
					operation: 'removeMember',
					groupId: group.id,
					domain: 'partner.example',
				});
				assert.deepEqual(
					h.calls(REMOVE).map((r) => sentData(r)),
					[
						[{ id: group.id, domain: 'partner.example' }],
						[{ id: group.id, domain: 'partner.example' }],
					],
				);
				assert.equal(item.json.removed, true);
				assert.ok(!members('Permitted Senders').includes('partner.example'));
			});

			it('removes once when the answer was lost after Mimecast applied it: the repeat\'s "not found" means done', async () => {
				const group = groupNamed('Blocked Senders');
				const address = newAddress();
				await h.run(auth, {
					resource: 'group',
					operation: 'addMember',
					groupId: group.id,
					emailAddress: address,
				});
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: REMOVE });
				const [item] = await h.run(auth, {
					resource: 'group',
					operation: 'removeMember',
					groupId: group.id,
					emailAddress: address,
				});
				assert.deepEqual(
					h.calls(REMOVE).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.deepEqual(item.json, { groupId: group.id, emailAddress: address, removed: true });
				assert.ok(!members('Blocked Senders').includes(address));
			});

			it('says so when the address was not a member (no repeat involved)', async () => {
				const group = groupNamed('Blocked Senders');
				await h.rejects(
					h.run(auth, {
						resource: 'group',
						operation: 'removeMember',
						groupId: group.id,
						emailAddress: 'nobody@n0rthwind.test',
					}),
					/nobody@n0rthwind\.test is not a member of this group/,
				);
			});

			it('refuses bad input, naming the field, before anything is sent', async () => {
				const base = {
					resource: 'group',
					operation: 'addMember',
					groupId: groupNamed('Finance').id,
				};
				await h.rejects(
					h.run(auth, { ...base, emailAddress: 'a@b.example', domain: 'b.example' }),
					/Set only one of Email Address or Domain.*Nothing was sent/s,
				);
				await h.rejects(h.run(auth, { ...base }), /Set Email Address or Domain/);
				await h.rejects(
					h.run(auth, { ...base, emailAddress: 'Eve <eve@b.example>' }),
					/Email Address is not an email address/,
				);
				await h.rejects(
					h.run(auth, { ...base, operation: 'removeMember', domain: 'https://b.example/' }),
					/Domain is not a domain name/,
				);
				await h.rejects(
					h.run(auth, { ...base, groupId: '', emailAddress: 'a@b.example' }),
					/Group ID is empty/,
				);
				await h.rejects(
					h.run(auth, { resource: 'group', operation: 'getMany', source: 'azure' }),
					/Source has an unknown value "azure"/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('names the permission the API user lacks (meta.status 403 in an HTTP 200), and changes nothing', async () => {
				const group = groupNamed('Executives');
				const before = members('Executives');
				h.emu.actions.revokedPermissions.add('Directories | Groups | Edit');
				try {
					await h.rejects(
						h.run(auth, {
							resource: 'group',
							operation: 'addMember',
							groupId: group.id,
							emailAddress: newAddress(),
						}),
						/lacks permission for Add Group Member \(403\).*Directories \| Groups \| Edit.*lacks the Directories \| Groups \| Edit permission/s,
					);
					assert.equal(h.calls(ADD).length, 1, 'a permission error is not retried');
					assert.deepEqual(members('Executives'), before);
					const found = await h.run(auth, {
						resource: 'group',
						operation: 'getMany',
						query: 'Executives',
					});
					assert.equal(found.length, 1, 'reading needs only the Read permission');
				} finally {
					h.emu.actions.revokedPermissions.clear();
				}
			});

			it('names the permission when Mimecast answers 403', async () => {
				h.emu.faults.inject({ kind: '403', path: ADD });
				await h.rejects(
					h.run(auth, {
						resource: 'group',
						operation: 'addMember',
						groupId: 'x',
						emailAddress: 'a@b.example',
					}),
					/lacks permission for Add Group Member.*Directories \| Groups \| Edit/s,
				);
				h.emu.faults.inject({ kind: '403', path: FIND });
				await h.rejects(
					h.run(auth, { resource: 'group', operation: 'getMany' }),
					/lacks permission for Find Groups.*Directories \| Groups \| Read/s,
				);
			});
		});
	}
});
