/**
 * n8n's own HTTP Request node with each Mimecast credential as a Predefined Credential Type,
 * in a real n8n 2.x (`n8n execute`) against the emulator: how users reach endpoints this package
 * has no node for. The emulator checks the API 1.0 signature and the API 2.0 token itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { mimecastCredentialRef } from '../../scripts/n8n-harness';
import type { E2e } from './setup';
import { assertNoSecretLeaked, manualWorkflow, startE2e } from './setup';

const WORKFLOW_ID = 'e2eHttpRequestNode';
const PATH = '/api/account/get-account';

describe('HTTP Request node with the Mimecast credentials (real n8n)', () => {
	let e2e: E2e;
	let run: Awaited<ReturnType<E2e['home']['execute']>>;
	const node = (name: string, auth: 'apiKeys' | 'oAuth2', query: string) => ({
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${e2e.emu.baseUrl}${PATH}${query}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: auth === 'apiKeys' ? 'mimecastApi' : 'mimecastOAuth2Api',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '{"data":[]}',
			options: {},
		},
		credentials: mimecastCredentialRef(auth),
	});

	before(async () => {
		e2e = await startE2e('http-request-node', { seed: 5, tenant: 'small' });
		await e2e.home.importWorkflows([
			manualWorkflow(WORKFLOW_ID, 'e2e HTTP Request node', [
				node('API 1.0', 'apiKeys', ''),
				node('API 1.0 with a query', 'apiKeys', '?probe=1'),
				node('API 2.0', 'oAuth2', ''),
			]),
		]);
		run = await e2e.home.execute(WORKFLOW_ID);
	});
	after(async () => await e2e?.close());

	it('runs without an error', () => {
		assert.equal(run.error, undefined, JSON.stringify(run.error));
	});

	for (const name of ['API 1.0', 'API 1.0 with a query', 'API 2.0']) {
		it(`${name}: the emulator accepted the request and its answer is the node's output`, () => {
			const items = run.items(name);
			assert.equal(items.length, 1, `${name} produced ${items.length} items`);
			const json = items[0] as { data?: unknown[]; fail?: unknown[] };
			assert.ok(
				Array.isArray(json.data) && json.data.length > 0,
				`account data in ${JSON.stringify(json).slice(0, 300)}`,
			);
			assert.deepEqual(json.fail, []);
		});
	}

	it('the emulator saw each request signed or bearing a token, and answered 200', () => {
		const calls = e2e.emu.requests.filter((r) => r.path === PATH);
		assert.equal(
			calls.length,
			3,
			JSON.stringify(e2e.emu.requests.map((r) => `${r.api} ${r.path} ${r.status}`)),
		);
		assert.deepEqual(calls.map((r) => `${r.api}:${r.status}`).sort(), [
			'v1:200',
			'v1:200',
			'v2:200',
		]);
		assert.ok(
			calls.some((r) => r.query.probe === '1'),
			'the query string was sent (and not signed)',
		);
		assert.ok(
			e2e.emu.requests.some((r) => r.api === 'oauth' && r.status === 200),
			'n8n got an API 2.0 token',
		);
	});

	it('no secret reached anything n8n printed or stored', async () => {
		await assertNoSecretLeaked(e2e);
	});
});
