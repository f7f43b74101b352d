import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { MimecastAuditEvents } from '../../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import { credentialsFor, secretsOf } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { loadOptions, runNode } from '../helpers/n8n';

const PATH = '/api/audit/get-audit-events';

describe('transport, through the Audit Events node', () => {
	let emu: Emulator;
	useFastRetries();
	before(async () => (emu = await startEmulator({ seed: 3, tenant: 'small' })));
	after(async () => await emu.close());
	afterEach(() => {
		emu.faults.clear();
		emu.clearRequests();
	});

	const params = (extra: IDataObject = {}) => ({
		authentication: 'apiKeys',
		start: new Date(Date.now() - 5 * 86_400_000).toISOString(),
		returnAll: true,
		...extra,
	});
	const run = (
		auth: 'apiKeys' | 'oAuth2' = 'apiKeys',
		extra: IDataObject = {},
		credentialOverrides: IDataObject = {},
	) =>
		runNode(new MimecastAuditEvents(), {
			parameters: params({ authentication: auth, ...extra }),
			credentials: credentialsFor(emu, auth, credentialOverrides),
		});
	const calls = () => emu.requests.filter((r) => r.path.endsWith(PATH));
	const expectError = async (
		promise: Promise<unknown>,
		check: (text: string, error: Error & { httpCode?: string }) => void,
	) => {
		await assert.rejects(promise, (error: Error & { description?: string; httpCode?: string }) => {
			const text = `${error.message} | ${error.description ?? ''}`;
			check(text, error);
			const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error)) + text;
			for (const secret of secretsOf(emu))
				assert.ok(!serialized.includes(secret), 'no secret in the error');
			assert.ok(!/MC [^:\s]+:[A-Za-z0-9+/=]{20,}/.test(serialized), 'no signature in the error');
			assert.ok(!/Bearer [A-Za-z0-9._-]{10,}/.test(serialized), 'no token in the error');
			return true;
		});
	};

	it('waits for X-RateLimit-Reset (milliseconds) after a 429, then succeeds', async () => {
		emu.faults.inject({ kind: '429', path: PATH, resetMs: 400 });
		const began = Date.now();
		const items = await run();
		assert.ok(items.length > 0);
		const [limited, retried] = calls();
		assert.equal(limited.status, 429);
		assert.equal(retried.status, 200);
		assert.ok(retried.at - limited.at >= 400, `waited ${retried.at - limited.at} ms`);
		assert.ok(Date.now() - began < 5000, 'the reset was read as milliseconds, not seconds');
	});

	for (const kind of ['500', '502', 'reset', 'truncated'] as const) {
		it(`retries after ${kind === 'reset' ? 'a reset connection' : kind === 'truncated' ? 'a cut-off body' : `a ${kind}`}`, async () => {
			const expected = await run();
			emu.clearRequests();
			emu.faults.inject({ kind, path: PATH, times: 2 });
			const items = await run();
			assert.deepEqual(items, expected);
			assert.deepEqual(
				calls().map((r) => r.fault ?? ''),
				[kind, kind, ''],
			);
		});
	}

	it('retries a fail[] Mimecast marks retryable, and stops on one it does not', async () => {
		emu.faults.inject({ kind: 'failOn200', path: PATH });
		assert.ok((await run()).length > 0);
		assert.equal(calls().length, 2);
		emu.clearRequests();
		emu.faults.inject({
			kind: 'failOn200',
			path: PATH,
			code: 'err_validation_blank',
			message: 'The query field is blank',
			times: 20,
		});
		await expectError(run(), (text) => assert.match(text, /The query field is blank/));
	});

	it('gives up after the bounded attempts with a clear message', async () => {
		emu.faults.inject({ kind: '503', path: PATH, times: 50 });
		await expectError(run(), (text) => assert.match(text, /server error.*503/i));
		assert.equal(calls().length, DEFAULT_RETRY_POLICY.maxAttempts);
	});

	it('never retries other 4xx', async () => {
		emu.faults.inject({ kind: '403', path: PATH, times: 5 });
		await expectError(run(), (text) =>
			assert.match(text, /lacks permission.*Account \| Logs \| Read/s),
		);
		assert.equal(calls().length, 1);
	});

	it('explains an expired binding (418) and how to get non-expiring keys', async () => {
		emu.faults.inject({ kind: '418', path: PATH });
		await expectError(run(), (text, error) => {
			assert.match(text, /access key has expired/);
			assert.match(text, /Never expires/);
			assert.equal(error.httpCode, '418');
		});
	});

	it('explains an invalid signature with the secret key and the clock', async () => {
		await expectError(
			run('apiKeys', {}, { secretKey: Buffer.from('a different secret').toString('base64') }),
			(text) => {
				assert.match(text, /rejected the request signature/);
				assert.match(text, /Secret Key/);
				assert.match(text, /clock/);
			},
		);
	});

	it('names the Region setting when the keys belong to another grid', async () => {
		const wrongGrid = emu.regionBaseUrl('us');
		await expectError(run('apiKeys', {}, { baseUrl: wrongGrid }), (text) => {
			assert.match(text, /different region/);
			assert.match(text, /Region/);
		});
	});

	it('refuses a secret key that is not base64 before anything is sent', async () => {
		await expectError(run('apiKeys', {}, { secretKey: 'not*base64*at*all' }), (text) =>
			assert.match(text, /Secret Key is not valid base64/),
		);
		assert.equal(emu.requests.length, 0);
	});

	it('reports wrong API 2.0 client credentials', async () => {
		await expectError(run('oAuth2', {}, { clientSecret: 'wrong-secret' }), (text) => {
			assert.match(text, /client credentials|Client Secret/i);
			assert.doesNotMatch(text, /\.\. /, 'one period between sentences');
		});
		assert.equal(calls().length, 0, 'no log request without a token');
	});

	it('fetches an API 2.0 token once, reuses it, and fetches a new one when it expires', async () => {
		const shortLived = await startEmulator({ seed: 3, tenant: 'small', tokenTtlSeconds: 1 });
		try {
			const credentials = credentialsFor(shortLived, 'oAuth2');
			const runWith = () =>
				runNode(new MimecastAuditEvents(), {
					parameters: params({ authentication: 'oAuth2' }),
					credentials,
				});
			await runWith();
			await runWith();
			assert.deepEqual(
				shortLived.requests.map((r) => r.api),
				['oauth', 'v2', 'v2'],
			);
			await new Promise((resolve) => setTimeout(resolve, 1200));
			shortLived.clearRequests();
			assert.ok((await runWith()).length > 0);
			assert.deepEqual(
				shortLived.requests.map((r) => `${r.api}:${r.status}`),
				['v2:401', 'oauth:200', 'v2:200'],
			);
		} finally {
			await shortLived.close();
		}
	});

	it('runs each input item as its own query, paired with it', async () => {
		emu.clearRequests();
		const items = await runNode(new MimecastAuditEvents(), {
			parameters: {
				...params(),
				returnAll: false,
				limit: '={{ $json.limit }}',
				filters: { query: '={{ $json.query }}' },
			},
			credentials: credentialsFor(emu, 'apiKeys'),
			input: [{ json: { limit: 2, query: '' } }, { json: { limit: 3, query: 'admin' } }],
		});
		assert.deepEqual(
			items.map((i) => (i.pairedItem as { item: number }).item),
			[0, 0, 1, 1, 1].slice(0, items.length),
		);
		const bodies = calls().map((r) => (r.body as IDataObject).data as IDataObject[]);
		assert.equal(bodies.length, 2);
		assert.equal(bodies[0][0].query, undefined);
		assert.equal(bodies[1][0].query, 'admin');
	});

	it('keeps going with an error item per failing input when Continue On Fail is set', async () => {
		emu.faults.inject({
			kind: 'failOn200',
			path: PATH,
			message: 'Query is invalid',
			times: DEFAULT_RETRY_POLICY.maxAttempts,
		});
		const items = await runNode(new MimecastAuditEvents(), {
			parameters: { ...params(), returnAll: false, limit: 1 },
			credentials: credentialsFor(emu, 'apiKeys'),
			input: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		assert.match(String(items[0].json.error), /Query is invalid/);
		assert.equal((items[0].pairedItem as { item: number }).item, 0);
		assert.equal(items.length, 2);
		assert.equal((items[1].pairedItem as { item: number }).item, 1);
		assert.equal(items[1].json.error, undefined);
	});

	it('loads the audit categories for the Categories filter', async () => {
		for (const auth of ['apiKeys', 'oAuth2'] as const) {
			const options = await loadOptions(new MimecastAuditEvents(), 'getAuditCategories', {
				parameters: { authentication: auth },
				credentials: credentialsFor(emu, auth),
			});
			const expected = emu.data
				.categories()
				.map((c) => c.code)
				.sort();
			assert.deepEqual(options.map((o) => o.value).sort(), expected);
			assert.ok(options.every((o) => typeof o.name === 'string' && o.name.length > 0));
		}
	});

	it('sends the chosen categories and query', async () => {
		const [first, second] = emu.data.categories();
		await run('apiKeys', { filters: { categories: [first.code, second.code], query: ' admin ' } });
		assert.deepEqual(((calls()[0].body as IDataObject).data as IDataObject[])[0].categories, [
			first.code,
			second.code,
		]);
		assert.equal(((calls()[0].body as IDataObject).data as IDataObject[])[0].query, 'admin');
	});
});
