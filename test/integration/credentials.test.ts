import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	IDataObject,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { MimecastApi } from '../../credentials/MimecastApi.credentials';
import { MimecastOAuth2Api } from '../../credentials/MimecastOAuth2Api.credentials';
import { MimecastAuditEvents } from '../../nodes/Mimecast/MimecastAuditEvents.node.ts';
import {
	API1_REGIONS,
	API2_REGIONS,
	baseUrlExpression,
	normalizeBaseUrl,
	REFUSED_BASE_URL,
} from '../../nodes/Mimecast/core/regions';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { credentialsFor, secretsOf } from '../helpers/credentials';
import { expressionScope, resolveCredential } from '../helpers/n8n';

/** Resolves `={{ $credentials… }}` in a credential's test request, as n8n's credential tester does. */
function resolveTestValue(value: string, credentials: IDataObject): unknown {
	const { workflow, node } = expressionScope();
	return workflow.expression.getComplexParameterValue(node, value, 'manual', {
		$credentials: credentials,
	} as never);
}

/** The test function n8n's credential tester would pick: the first node naming it in `testedBy`. */
function credentialTestFunction(type: string): ICredentialTestFunction {
	for (const node of [new MimecastAuditEvents()]) {
		const testedBy = node.description.credentials?.find((c) => c.name === type)?.testedBy;
		if (typeof testedBy === 'string') {
			const fn = (node.methods as { credentialTest?: Record<string, ICredentialTestFunction> })
				.credentialTest?.[testedBy];
			assert.ok(
				fn,
				`node ${node.description.name} names ${testedBy} but has no methods.credentialTest.${testedBy}`,
			);
			return fn;
		}
	}
	assert.fail(`no node declares a testedBy function for ${type}`);
}

/** Runs it as n8n does on Save: n8n's own CredentialTestContext, the decrypted fields. */
async function testCredential(data: IDataObject) {
	const context = new CredentialTestContext(
		{} as IWorkflowExecuteAdditionalData,
	) as unknown as ICredentialTestFunctions;
	const decrypted = resolveCredential('mimecastApi', data) as ICredentialDataDecryptedObject;
	return await credentialTestFunction('mimecastApi').call(context, {
		id: 'c1',
		name: 'Mimecast',
		type: 'mimecastApi',
		data: decrypted,
	});
}

describe('credentials', () => {
	let emu: Emulator;
	before(async () => (emu = await startEmulator({ seed: 2, tenant: 'empty' })));
	after(async () => await emu.close());

	describe("API 1.0: Save tests the keys through the nodes' transport and says what to fix", () => {
		const good = () => credentialsFor(emu, 'apiKeys').mimecastApi;
		const noSecretIn = (message: string) => {
			for (const secret of secretsOf(emu))
				assert.ok(!message.includes(secret), 'no secret in the message');
		};

		it('good keys pass, with get-account as the request', async () => {
			emu.clearRequests();
			const result = await testCredential(good());
			assert.equal(result.status, 'OK', result.message);
			assert.deepEqual(
				emu.requests.map((r) => `${r.path}:${r.status}`),
				['/api/account/get-account:200'],
			);
		});

		it('a wrong secret names the Secret Key and the clock', async () => {
			const result = await testCredential({
				...good(),
				secretKey: Buffer.from('a wrong secret').toString('base64'),
			});
			assert.equal(result.status, 'Error');
			assert.match(result.message, /rejected the request signature.*Secret Key.*clock/s);
			noSecretIn(result.message);
		});

		it('keys of another region name the Region setting', async () => {
			const result = await testCredential({ ...good(), baseUrl: emu.regionBaseUrl('us') });
			assert.equal(result.status, 'Error');
			assert.match(result.message, /belong to a different region.*Region/s);
		});

		it('a Base URL on plain http (not localhost) is refused before anything is sent', async () => {
			emu.clearRequests();
			const result = await testCredential({ ...good(), baseUrl: 'http://eu-api.mimecast.com' });
			assert.equal(result.status, 'Error');
			assert.match(result.message, /must use https:\/\/.*https:\/\/eu-api\.mimecast\.com/s);
			assert.equal(emu.requests.length, 0);
		});

		it('a region value that is not a region is named, not looked up on the object prototype', async () => {
			for (const region of ['toString', '__proto__', 'constructor']) {
				const result = await testCredential({ ...good(), region });
				assert.equal(result.status, 'Error');
				assert.match(
					result.message,
					new RegExp(`Region "${region}" is not a Mimecast API 1.0 region. Pick one of au, ca, eu`),
				);
			}
		});

		it('a Base URL with surrounding spaces and a trailing slash is used trimmed', async () => {
			const result = await testCredential({ ...good(), baseUrl: `  ${emu.baseUrl}/  ` });
			assert.equal(result.status, 'OK', result.message);
		});
	});

	describe('API 1.0 signing accepts every request form n8n produces', () => {
		const keys = () => credentialsFor(emu, 'apiKeys').mimecastApi as ICredentialDataDecryptedObject;
		// n8n's legacy request helper, as the HTTP Request node uses it with a predefined credential.
		const request = new CredentialTestContext({} as IWorkflowExecuteAdditionalData).helpers.request;
		const forms: Array<[string, () => IDataObject]> = [
			['uri', () => ({ uri: `${emu.baseUrl}/api/account/get-account` })],
			[
				'uri with a query string',
				() => ({ uri: `${emu.baseUrl}/api/account/get-account?x=1&y=2` }),
			],
			['baseURL + url', () => ({ baseURL: emu.baseUrl, url: '/api/account/get-account' })],
			[
				'baseURL with a path prefix + url',
				() => ({ baseURL: emu.regionBaseUrl('eu'), url: 'api/account/get-account' }),
			],
			['absolute url', () => ({ url: `${emu.baseUrl}/api/account/get-account`, qs: { a: 'b' } })],
		];
		for (const [form, options] of forms) {
			it(form, async () => {
				const signed = (await new MimecastApi().authenticate(
					keys(),
					options() as never,
				)) as unknown as IDataObject;
				const { baseURL, url, uri } = signed as { baseURL?: string; url?: string; uri?: string };
				emu.clearRequests();
				const response = (await request({
					...signed,
					uri:
						uri ??
						(url?.startsWith('http')
							? url
							: `${String(baseURL).replace(/\/+$/, '')}/${String(url).replace(/^\/+/, '')}`),
					url: undefined,
					baseURL: undefined,
					method: 'POST',
					body: { data: [] },
					json: true,
					resolveWithFullResponse: true,
					simple: false,
				})) as { statusCode: number; body: IDataObject };
				assert.equal(response.statusCode, 200, JSON.stringify(response.body));
				assert.equal(emu.requests.at(-1)?.status, 200);
			});
		}
	});

	describe('one base URL rule for the nodes, the test request and the token URL', () => {
		const tokenUrl = (fields: IDataObject) =>
			resolveCredential('mimecastOAuth2Api', { clientId: 'id', clientSecret: 's', ...fields })
				.accessTokenUrl;
		const testBase = (type: 'v1' | 'v2', fields: IDataObject) =>
			type === 'v2'
				? resolveTestValue(new MimecastOAuth2Api().test.request.baseURL as string, fields)
				: resolveTestValue(`={{${baseUrlExpression(API1_REGIONS, '$credentials')}}}`, fields);

		it('API 2.0: the token URL and the test request follow the region, trimmed, https or localhost only', () => {
			assert.equal(tokenUrl({ region: 'global' }), 'https://api.services.mimecast.com/oauth/token');
			assert.equal(tokenUrl({ region: 'uk' }), 'https://uk-api.services.mimecast.com/oauth/token');
			assert.equal(
				tokenUrl({ region: 'custom', baseUrl: `  ${emu.baseUrl}/  ` }),
				`${emu.baseUrl}/oauth/token`,
			);
			assert.equal(
				tokenUrl({ region: 'custom', baseUrl: 'http://api.services.mimecast.com' }),
				`${REFUSED_BASE_URL}/oauth/token`,
			);
			assert.equal(tokenUrl({ region: 'toString' }), `${REFUSED_BASE_URL}/oauth/token`);
			const resolved = resolveCredential('mimecastOAuth2Api', {
				region: 'us',
				clientId: 'id',
				clientSecret: 's',
			});
			assert.equal(resolved.grantType, 'clientCredentials');
			assert.equal(
				resolved.authentication,
				'body',
				'client_id and client_secret go in the form body',
			);
			assert.equal(testBase('v2', resolved), 'https://us-api.services.mimecast.com');
			assert.equal(
				testBase('v2', { region: 'custom', baseUrl: 'http://10.0.0.5:8080' }),
				REFUSED_BASE_URL,
			);
		});

		it('the expression and normalizeBaseUrl agree on every kind of input', () => {
			const inputs = [
				'https://eu-api.mimecast.com',
				'  https://eu-api.mimecast.com/  ',
				'https://proxy.example/prefix//',
				'http://localhost:8787',
				'http://127.0.0.1:8787/',
				'http://[::1]:8787',
				'http://eu-api.mimecast.com',
				'http://127.0.0.2:8787',
				'ftp://eu-api.mimecast.com',
				'https://eu-api.mimecast.com/?q=1',
				'https://eu-api.mimecast.com/#x',
				'eu-api.mimecast.com',
				'',
			];
			for (const [table, type] of [
				[API1_REGIONS, 'v1'],
				[API2_REGIONS, 'v2'],
			] as const) {
				for (const baseUrl of inputs) {
					let expected: string;
					try {
						expected = normalizeBaseUrl(baseUrl);
					} catch {
						expected = REFUSED_BASE_URL;
					}
					assert.equal(
						testBase(type, { region: 'custom', baseUrl }),
						expected,
						`${type} ${JSON.stringify(baseUrl)}`,
					);
				}
				for (const region of table)
					assert.equal(testBase(type, { region: region.value }), region.url);
			}
		});
	});

	it('API 1.0: signing refuses a non-base64 secret before any request', async () => {
		await assert.rejects(
			new MimecastApi().authenticate(
				{ appId: 'a', appKey: 'b', accessKey: 'c', secretKey: 'not base64!' },
				{ url: 'https://eu-api.mimecast.com/api/x' },
			),
			/Secret Key is not valid base64/,
		);
	});
});
