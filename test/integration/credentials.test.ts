import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { MimecastApi } from '../../credentials/MimecastApi.credentials';
import { MimecastOAuth2Api } from '../../credentials/MimecastOAuth2Api.credentials';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { credentialsFor } from '../helpers/credentials';
import { resolveCredential } from '../helpers/n8n';

/** Resolves `={{ $credentials… }}` in a credential's test request, as n8n's credential tester does. */
function resolveTestValue(value: string, credentials: IDataObject): unknown {
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as never });
	const node: INode = { id: 'test', name: 'test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	return workflow.expression.getComplexParameterValue(node, value, 'manual', { $credentials: credentials } as never);
}

/** Sends the credential's own test request, signed by its own authenticate(). */
async function runCredentialTest(credentials: ICredentialDataDecryptedObject): Promise<Response> {
	const credential = new MimecastApi();
	const request = credential.test.request;
	const baseURL = String(resolveTestValue(request.baseURL as string, credentials));
	const signed = await credential.authenticate(credentials, { ...(request as IHttpRequestOptions), baseURL, url: request.url as string });
	return await fetch(`${baseURL}${request.url}`, {
		method: request.method,
		headers: { ...(signed.headers as Record<string, string>), 'content-type': 'application/json' },
		body: JSON.stringify(request.body),
	});
}

describe('credentials', () => {
	let emu: Emulator;
	before(async () => (emu = await startEmulator({ seed: 2, tenant: 'empty' })));
	after(async () => await emu.close());

	it('API 1.0: the credential test passes with good keys and fails with a wrong secret', async () => {
		const good = resolveCredential('mimecastApi', credentialsFor(emu, 'apiKeys').mimecastApi);
		assert.equal((await runCredentialTest(good)).status, 200);
		const bad = { ...good, secretKey: Buffer.from('wrong').toString('base64') };
		const response = await runCredentialTest(bad);
		assert.equal(response.status, 401);
		assert.match(await response.text(), /err_xdk_invalid_signature/);
		assert.equal(emu.requests.at(-1)?.path, '/api/account/get-account');
	});

	it('API 1.0: the test request goes to the chosen region', () => {
		const base = (region: string, baseUrl = '') => resolveTestValue(new MimecastApi().test.request.baseURL as string, { region, baseUrl });
		assert.equal(base('us'), 'https://us-api.mimecast.com');
		assert.equal(base('uspcom'), 'https://uspcom-api.mimecast-pscom-us.com');
		assert.equal(base('custom', 'http://127.0.0.1:8787/'), 'http://127.0.0.1:8787');
	});

	it('API 2.0: the token URL and the test request follow the region', () => {
		const tokenUrl = (region: string, baseUrl = '') => resolveCredential('mimecastOAuth2Api', { region, baseUrl, clientId: 'id', clientSecret: 's' }).accessTokenUrl;
		assert.equal(tokenUrl('global'), 'https://api.services.mimecast.com/oauth/token');
		assert.equal(tokenUrl('uk'), 'https://uk-api.services.mimecast.com/oauth/token');
		assert.equal(tokenUrl('custom', `${emu.baseUrl}/`), `${emu.baseUrl}/oauth/token`);
		const resolved = resolveCredential('mimecastOAuth2Api', { region: 'us', clientId: 'id', clientSecret: 's' });
		assert.equal(resolved.grantType, 'clientCredentials');
		assert.equal(resolved.authentication, 'body', 'client_id and client_secret go in the form body');
		assert.equal(resolveTestValue(new MimecastOAuth2Api().test.request.baseURL as string, resolved), 'https://us-api.services.mimecast.com');
	});

	it('API 1.0: signing refuses a non-base64 secret before any request', async () => {
		await assert.rejects(
			new MimecastApi().authenticate({ appId: 'a', appKey: 'b', accessKey: 'c', secretKey: 'not base64!' }, { url: 'https://eu-api.mimecast.com/api/x' }),
			/Secret Key is not valid base64/,
		);
	});
});
