import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const CREATE = '/api/ttp/url/create-managed-url';
const LIST = '/api/ttp/url/get-all-managed-urls';
const DELETE = '/api/ttp/url/delete-managed-url';

describe('Mimecast node: Managed URL', () => {
	const h = actionHarness();
	const create = (url: string, extra: Record<string, unknown> = {}) => ({
		resource: 'managedUrl',
		operation: 'create',
		url,
		...extra,
	});
	const stored = (domain: string) => h.emu.actions.managedUrls.filter((e) => e.domain === domain);

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			const host = `${auth.toLowerCase()}.phish.test`;

			it('blocks a URL: the exact request, the item in user terms, the entry in Mimecast', async () => {
				const url = `https://${host}/login?next=1`;
				const [item] = await h.run(auth, create(url, { options: { comment: 'campaign 42' } }));
				assert.deepEqual(sentData(h.calls(CREATE)[0]), [
					{
						url,
						action: 'block',
						matchType: 'explicit',
						disableLogClick: false,
						comment: 'campaign 42',
					},
				]);
				const [entry] = stored(host);
				assert.deepEqual(item.json, {
					id: entry.id,
					url,
					domain: host,
					action: 'block',
					matchType: 'explicit',
					comment: 'campaign 42',
					disableLogClick: false,
					disableRewrite: false,
					disableUserAwareness: false,
					alreadyExisted: false,
				});
			});

			it('sends the permit-only options for a permit, and only then', async () => {
				const url = `https://partner.${host}/`;
				await h.run(
					auth,
					create(url, {
						urlAction: 'permit',
						matchType: 'domain',
						disableRewrite: true,
						options: { disableLogClick: true },
					}),
				);
				assert.deepEqual(sentData(h.calls(CREATE)[0]), [
					{
						url,
						action: 'permit',
						matchType: 'domain',
						disableLogClick: true,
						disableRewrite: true,
						disableUserAwareness: false,
					},
				]);
				assert.equal(stored(`partner.${host}`)[0].disableRewrite, true);
			});

			it('treats "already exists" with the same settings as success, after checking the list', async () => {
				const url = `https://again.${host}/x`;
				const [first] = await h.run(auth, create(url));
				const [second] = await h.run(auth, create(url));
				assert.equal(second.json.id, first.json.id);
				assert.equal(second.json.alreadyExisted, true);
				assert.deepEqual(sentData(h.calls(LIST)[0]), [
					{ domainOrUrl: `again.${host}`, exactMatch: false },
				]);
				assert.equal(stored(`again.${host}`).length, 1);
			});

			it('refuses "already exists" with other settings, naming the difference and the fix', async () => {
				const url = `https://other.${host}/x`;
				const [first] = await h.run(auth, create(url));
				await h.rejects(
					h.run(auth, create(url, { urlAction: 'permit' })),
					new RegExp(
						`already exists with other settings.*action \\(block, asked permit\\).*ID ${String(first.json.id)}`,
						's',
					),
				);
				assert.equal(stored(`other.${host}`)[0].action, 'block');
			});

			it('retries a create whose answer was lost after Mimecast applied it: one entry, success', async () => {
				const url = `https://lost.${host}/a`;
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: CREATE });
				const [item] = await h.run(auth, create(url));
				assert.deepEqual(
					h.calls(CREATE).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.equal(stored(`lost.${host}`).length, 1);
				assert.equal(item.json.id, stored(`lost.${host}`)[0].id);
			});

			it('refuses a URL without a scheme or with a fragment before anything is sent', async () => {
				await h.rejects(h.run(auth, create(`${host}/login`)), /URL is not a full URL.*https:\/\//s);
				await h.rejects(h.run(auth, create(`https://${host}/#frag`)), /URL has a #fragment/);
				assert.equal(h.emu.requests.length, 0);
			});

			it('lists managed URLs up to the limit, filtered when asked', async () => {
				const items = await h.run(auth, { resource: 'managedUrl', operation: 'getMany', limit: 3 });
				assert.equal(items.length, 3);
				assert.deepEqual(
					h.calls(LIST).map((r) => r.body),
					[{ meta: { pagination: { pageSize: 3 } }, data: [] }],
				);
				assert.deepEqual(Object.keys(items[0].json).sort(), [
					'action',
					'comment',
					'disableLogClick',
					'disableRewrite',
					'disableUserAwareness',
					'domain',
					'id',
					'matchType',
					'url',
				]);
				h.emu.clearRequests();
				const filtered = await h.run(auth, {
					resource: 'managedUrl',
					operation: 'getMany',
					returnAll: true,
					filters: { domainOrUrl: 'bad4.phish.example', exactMatch: true },
				});
				assert.deepEqual(sentData(h.calls(LIST)[0]), [
					{ domainOrUrl: 'bad4.phish.example', exactMatch: true },
				]);
				assert.deepEqual(
					filtered.map((i) => i.json.domain),
					['bad4.phish.example'],
				);
			});

			it('deletes by ID; a wrong ID is an error', async () => {
				const [entry] = await h.run(auth, create(`https://del.${host}/`));
				const [item] = await h.run(auth, {
					resource: 'managedUrl',
					operation: 'delete',
					id: entry.json.id,
				});
				assert.deepEqual(sentData(h.calls(DELETE)[0]), [{ id: entry.json.id }]);
				assert.deepEqual(item.json, { id: entry.json.id, deleted: true });
				assert.equal(stored(`del.${host}`).length, 0);
				await h.rejects(
					h.run(auth, { resource: 'managedUrl', operation: 'delete', id: entry.json.id }),
					/Managed URL not found/,
				);
			});

			it('retries a delete whose answer was lost after Mimecast applied it, and reports it done', async () => {
				const [entry] = await h.run(auth, create(`https://del2.${host}/`));
				const before = h.emu.actions.managedUrls.length;
				h.emu.faults.inject({ kind: 'resetAfterApplying', path: DELETE });
				const [item] = await h.run(auth, {
					resource: 'managedUrl',
					operation: 'delete',
					id: entry.json.id,
				});
				assert.deepEqual(item.json, { id: entry.json.id, deleted: true });
				assert.deepEqual(
					h.calls(DELETE).map((r) => r.fault ?? ''),
					['resetAfterApplying', ''],
				);
				assert.equal(h.emu.actions.managedUrls.length, before - 1);
			});

			it('retries after a 429 and names the permission on a 403, per endpoint', async () => {
				h.emu.faults.inject({ kind: '429', path: LIST, resetMs: 10 });
				assert.equal(
					(await h.run(auth, { resource: 'managedUrl', operation: 'getMany', limit: 1 })).length,
					1,
				);
				assert.deepEqual(
					h.calls(LIST).map((r) => r.status),
					[429, 200],
				);
				h.emu.faults.inject({ kind: '403', path: LIST });
				await h.rejects(
					h.run(auth, { resource: 'managedUrl', operation: 'getMany' }),
					/Get Many Managed URLs.*URL Protect \| Read/s,
				);
				h.emu.faults.inject({ kind: '403', path: CREATE });
				await h.rejects(
					h.run(auth, create(`https://p.${host}/`)),
					/Create Managed URL.*URL Protect \| Edit/s,
				);
				h.emu.faults.inject({ kind: '403', path: DELETE });
				await h.rejects(
					h.run(auth, { resource: 'managedUrl', operation: 'delete', id: 'x' }),
					/Delete Managed URL.*URL Protect \| Edit/s,
				);
			});
		});
	}

	it('follows `next` through every page when Return All is on', async () => {
		for (let i = 0; i < 520; i++)
			h.emu.actions.managedUrls.push({
				...h.emu.actions.managedUrls[0],
				id: `bulk-${i}`,
				domain: `bulk${i}.example`,
			});
		const total = h.emu.actions.managedUrls.length;
		const items = await h.run('apiKeys', {
			resource: 'managedUrl',
			operation: 'getMany',
			returnAll: true,
		});
		assert.equal(items.length, total);
		assert.equal(new Set(items.map((i) => i.json.id)).size, total);
		const pages = h
			.calls(LIST)
			.map((r) => (r.body as { meta: { pagination: { pageToken?: string } } }).meta.pagination);
		assert.equal(pages.length, 2);
		assert.ok(pages[1].pageToken, 'the second page asked with the token of the first');
	});
});
