import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MimecastAuditEvents } from '../../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { MimecastAuditEventsTrigger } from '../../nodes/Mimecast/MimecastAuditEventsTrigger.node.ts';
import { MAX_REDIRECTS } from '../../nodes/Mimecast/transport/redirects';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';
import { useFastRetries } from '../helpers/fastRetries';
import type { CredentialStore } from '../helpers/n8n';
import { loadOptions, pollHarness, runNode } from '../helpers/n8n';

/**
 * The transport against servers that misbehave on purpose: redirects to other hosts and to
 * plain http, loops, odd statuses, HTML instead of JSON, bodies that never end, huge headers,
 * absurd rate-limit resets, error texts echoing secrets. For each: the time is bounded, the
 * error says what came back, and no secret appears anywhere a user or a log could see it.
 */

const KEYS = {
	appId: 'hostile-app-id',
	appKey: 'hostile-application-key-4f1c',
	accessKey: 'hostile-access-key-9d2e',
	secretKey: Buffer.from('hostile secret key bytes, long enough').toString('base64'),
};
const CLIENT = { clientId: 'hostile-client-id', clientSecret: 'hostile-client-secret-77aa' };
const ACCESS_TOKEN = 'hostile-access-token-5b5b5b5b5b';
const SECRETS = [KEYS.appKey, KEYS.accessKey, KEYS.secretKey, CLIENT.clientSecret, ACCESS_TOKEN];
/** What a server talking to this credential could have seen, and so could echo. */
const SECRETS_OF = {
	apiKeys: [KEYS.appKey, KEYS.accessKey, KEYS.secretKey],
	oAuth2: [CLIENT.clientSecret, ACCESS_TOKEN],
};

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

class HostileServer {
	readonly seen: Seen[] = [];
	handler: Handler = (_req, res) => res.end();
	private server?: Server;
	baseUrl = '';

	async start(host: string): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				this.seen.push({
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					body,
				});
				if (req.url === '/oauth/token' && this.tokenHandler) this.tokenHandler(req, res, body);
				else this.handler(req, res, body);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://${host}:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	tokenHandler?: Handler = (_req, res) =>
		json(res, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 1800 });

	apiCalls(): Seen[] {
		return this.seen.filter((s) => s.url !== '/oauth/token');
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}
}

function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

const PAGE = {
	meta: { status: 200, pagination: {} },
	data: [{ eventTime: '2026-01-01T00:00:00+0000', auditType: 'Logon', id: 'x' }],
	fail: [],
};

/** Fails when any secret, or anything shaped like a signature or bearer header, is in `text`. */
function assertNoSecret(text: string, where: string) {
	for (const secret of SECRETS)
		assert.ok(!text.includes(secret), `${where} holds the secret ${secret.slice(0, 8)}…`);
	assert.ok(!/MC [^:\s]+:[A-Za-z0-9+/=]{20,}/.test(text), `${where} holds an API 1.0 signature`);
	assert.ok(!/Bearer [A-Za-z0-9._-]{10,}/.test(text), `${where} holds a bearer token`);
}

/** Runs `promise`, expects an error, checks it for secrets and returns "message | description". */
async function errorText(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		const e = error as Error & { description?: string };
		const text = `${e.message} | ${e.description ?? ''}`;
		const all = text + JSON.stringify(e, Object.getOwnPropertyNames(e));
		if (process.env.DEBUG_HOSTILE) console.log(all);
		assertNoSecret(all, 'the error');
		return text;
	}
	assert.fail('expected an error');
}

describe('transport against hostile servers', () => {
	const api = new HostileServer();
	const other = new HostileServer();
	useFastRetries();
	before(async () => {
		await api.start('127.0.0.1');
		await other.start('localhost');
	});
	after(async () => {
		await api.close();
		await other.close();
	});
	afterEach(() => {
		api.seen.length = 0;
		other.seen.length = 0;
		api.handler = (_req, res) => json(res, 200, PAGE);
	});

	const credentials = (auth: 'apiKeys' | 'oAuth2'): CredentialStore =>
		auth === 'apiKeys'
			? { mimecastApi: { region: 'custom', baseUrl: api.baseUrl, ...KEYS } }
			: { mimecastOAuth2Api: { region: 'custom', baseUrl: api.baseUrl, ...CLIENT } };
	const run = (auth: 'apiKeys' | 'oAuth2' = 'apiKeys', continueOnFail = false) =>
		runNode(new MimecastAuditEvents(), {
			parameters: {
				authentication: auth,
				start: new Date(Date.now() - 86_400_000).toISOString(),
				returnAll: true,
			},
			credentials: credentials(auth),
			continueOnFail,
		});
	const timed = async <T>(what: Promise<T>, boundMs: number): Promise<T> => {
		const began = Date.now();
		try {
			return await what;
		} finally {
			assert.ok(Date.now() - began < boundMs, `took ${Date.now() - began} ms`);
		}
	};

	for (const auth of ['apiKeys', 'oAuth2'] as const) {
		for (const status of [302, 307, 308]) {
			it(`${auth}: a ${status} to another host is refused, and that host receives nothing`, async () => {
				api.handler = (_req, res) => {
					res.writeHead(status, { location: `${other.baseUrl}/api/audit/get-audit-events` });
					res.end();
				};
				const text = await errorText(run(auth));
				assert.match(
					text,
					new RegExp(
						`another host, ${other.baseUrl.replace(/[.:/]/g, '\\$&')} \\(HTTP ${status}\\)`,
					),
				);
				assert.match(text, /Region or Base URL/);
				assert.equal(
					other.seen.length,
					0,
					'no request, so no credential or body, reached the other host',
				);
				assert.deepEqual(
					api.apiCalls().map((c) => c.url),
					['/api/audit/get-audit-events'],
					'a refused redirect is not retried',
				);
			});
		}

		it(`${auth}: a redirect to plain http is refused before anything is sent there`, async () => {
			api.handler = (_req, res) => {
				res.writeHead(301, {
					location: 'http://eu-api.mimecast.invalid/api/audit/get-audit-events',
				});
				res.end();
			};
			const text = await errorText(run(auth));
			assert.match(text, /plain http, http:\/\/eu-api\.mimecast\.invalid \(HTTP 301\)/);
		});
	}

	it('follows a redirect within the same origin, with the credential signed for the new path', async () => {
		api.handler = (req, res) => {
			if (req.url !== '/api/audit/get-audit-events') return json(res, 200, PAGE);
			res.writeHead(307, { location: '/moved/api/audit/get-audit-events' });
			res.end();
		};
		const items = await run();
		assert.equal(items.length, 1);
		const [first, second] = api.apiCalls();
		assert.equal(second.url, '/moved/api/audit/get-audit-events');
		assert.equal(second.method, 'POST');
		assert.deepEqual(JSON.parse(second.body), JSON.parse(first.body), 'a 307 keeps the body');
		assert.match(String(second.headers.authorization), /^MC hostile-access-key-9d2e:/);
		assert.notEqual(second.headers['x-mc-req-id'], first.headers['x-mc-req-id'], 'signed afresh');
	});

	it('ends a redirect loop with a clear error after a bounded number of hops', async () => {
		api.handler = (_req, res) => {
			res.writeHead(302, { location: '/api/audit/get-audit-events' });
			res.end();
		};
		const text = await timed(errorText(run()), 10_000);
		assert.match(text, new RegExp(`more than ${MAX_REDIRECTS} times`));
		assert.equal(api.apiCalls().length, MAX_REDIRECTS + 1);
	});

	it('names a redirect without a Location', async () => {
		api.handler = (_req, res) => {
			res.writeHead(302);
			res.end();
		};
		assert.match(await errorText(run()), /redirect \(HTTP 302\) that names no Location/);
	});

	it('reports a 204 as an answer without content, without retrying it for ever', async () => {
		api.handler = (_req, res) => {
			res.writeHead(204);
			res.end();
		};
		const text = await timed(errorText(run()), 10_000);
		assert.match(text, /HTTP 204/);
		assert.ok(api.apiCalls().length <= 2);
	});

	it('ignores an informational 102 before the real answer', async () => {
		api.handler = (_req, res) => {
			res.writeProcessing();
			json(res, 200, PAGE);
		};
		assert.equal((await run()).length, 1);
	});

	it('accepts Mimecast JSON served with a wrong content type', async () => {
		api.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end(JSON.stringify(PAGE));
		};
		assert.equal((await run()).length, 1);
	});

	it('says what came back when a proxy answers with an HTML page, retries it once, and redacts it', async () => {
		api.handler = (req, res, body) => {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(
				`<html><body>Sign in to the guest Wi-Fi. You sent ${req.headers.authorization} ${body} ${KEYS.secretKey}</body></html>`,
			);
		};
		const text = await errorText(run());
		assert.match(text, /text\/html; charset=utf-8 instead of Mimecast's JSON \(HTTP 200\)/);
		assert.match(text, /began: "<html><body>Sign in to the guest Wi-Fi/);
		assert.match(text, /proxy/);
		assert.match(text, /Base URL/);
		assert.equal(api.apiCalls().length, 2, 'retried once');
	});

	it('cuts a body that trickles in for ever after the attempt time limit', async () => {
		api.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"meta":');
			const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 50);
			res.on('close', () => clearInterval(drip));
		};
		// The attempt limit is a policy setting; here short, so the test stays quick.
		const saved = DEFAULT_RETRY_POLICY.attemptTimeoutMs;
		DEFAULT_RETRY_POLICY.attemptTimeoutMs = 400;
		try {
			const text = await timed(errorText(run()), 15_000);
			assert.match(text, /Could not get a complete answer.*no complete answer within/s);
		} finally {
			DEFAULT_RETRY_POLICY.attemptTimeoutMs = saved;
		}
		assert.equal(api.apiCalls().length, DEFAULT_RETRY_POLICY.maxAttempts);
	});

	it('refuses a response with huge headers with a clear error', async () => {
		api.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(200_000) });
			res.end(JSON.stringify(PAGE));
		};
		const text = await timed(errorText(run()), 10_000);
		assert.match(text, /Could not (send the request|get a complete answer)/);
	});

	for (const auth of ['apiKeys', 'oAuth2'] as const) {
		it(`${auth}: a fail[] echoing the secrets reaches neither the error nor continue-on-fail items`, async () => {
			api.handler = (req, res, body) =>
				json(res, 200, {
					meta: { status: 200 },
					data: [],
					fail: [
						{
							errors: [
								{
									code: 'err_echo',
									message: `rejected ${req.headers.authorization} for ${body} with ${SECRETS_OF[auth].join(' ')} signature ${String(req.headers.authorization).split(':')[1]}`,
								},
							],
						},
					],
				});
			const text = await errorText(run(auth));
			assert.match(text, /rejected (Bearer )?\[redacted\]/);
			const items: INodeExecutionData[] = await run(auth, true);
			assert.equal(items.length, 1);
			assert.match(String(items[0].json.error), /rejected/);
			assertNoSecret(JSON.stringify(items), 'the continue-on-fail item');
		});
	}

	it('oAuth2: a token endpoint echoing the client secret does not put it in the error', async () => {
		api.tokenHandler = (_req, res, body) => {
			res.writeHead(400, { 'content-type': 'text/plain' });
			res.end(`refused ${body.replace(/^.*?(client_secret=[^&]*).*$/, '$1')} and ${body}`);
		};
		try {
			const text = await errorText(run('oAuth2'));
			assert.match(text, /refused the client credentials/);
			assert.doesNotMatch(text, /\.\./, 'no doubled period');
			assert.match(text, /client_secret=\[redacted\]|\[redacted\]/);
		} finally {
			api.tokenHandler = (_req, res) =>
				json(res, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 1800 });
		}
	});

	for (const [body, problem] of [
		[{ meta: { status: 200 } }, /its 'data' is missing, not a list/],
		[{ data: { code: 'x' } }, /its 'data' is an object, not a list/],
		[{ data: [null] }, /entry 0 of 'data' is null, not a record with a code and a name/],
		[{ data: [{ name: 'no code' }] }, /entry 0 of 'data' is an object, not a record/],
	] as const) {
		it(`a load-options answer shaped ${JSON.stringify(body)} is named, not a TypeError`, async () => {
			api.handler = (_req, res) => json(res, 200, body);
			await assert.rejects(
				loadOptions(new MimecastAuditEvents(), 'getAuditCategories', {
					parameters: { authentication: 'apiKeys' },
					credentials: credentials('apiKeys'),
				}),
				(error: Error) => {
					assert.equal(error.name, 'NodeOperationError');
					assert.match(
						error.message,
						/^Could not read the audit categories list of Audit Events: /,
					);
					assert.match(error.message, problem);
					return true;
				},
			);
		});
	}

	describe('in a trigger', () => {
		const trigger = (budgetMs = 2_000) =>
			pollHarness(new MimecastAuditEventsTrigger(), {
				parameters: { authentication: 'apiKeys', options: { backfillHours: 1 } },
				credentials: credentials('apiKeys'),
				budgetMs,
			});

		for (const [reset, expected] of [
			['1e15', DEFAULT_RETRY_POLICY.defaultRateLimitWaitMs],
			['-5', DEFAULT_RETRY_POLICY.defaultRateLimitWaitMs],
			['soon', DEFAULT_RETRY_POLICY.defaultRateLimitWaitMs],
			['7200000', DEFAULT_RETRY_POLICY.maxRateLimitWaitMs],
		] as const) {
			it(`reads X-RateLimit-Reset: ${reset} as a pause of at most an hour, cursor kept`, async () => {
				api.handler = (_req, res) =>
					json(
						res,
						429,
						{ fail: [{ errors: [{ code: 'err_rate_limit', message: 'slow down' }] }] },
						{ 'x-ratelimit-reset': reset },
					);
				const t = trigger();
				const began = Date.now();
				assert.equal(await t.poll(), null);
				const cursor = t.staticData.cursor as IDataObject;
				const pause = (cursor.resumeAt as number) - began;
				assert.ok(
					pause <= expected + 5_000 && pause >= expected - 5_000,
					`paused ${pause} ms, expected about ${expected}`,
				);
				assert.ok(pause <= 3_600_000 + 5_000);
				assert.ok(
					(cursor.since as number) <= began - 3_600_000 + 1_000,
					'the cursor did not move past unread records',
				);
			});
		}

		it('a cross-origin redirect fails the poll and leaves the cursor where it was', async () => {
			const t = trigger();
			api.handler = (_req, res) => json(res, 200, { ...PAGE, data: [] });
			await t.poll();
			const before = JSON.stringify(t.staticData.cursor);
			api.handler = (_req, res) => {
				res.writeHead(307, { location: `${other.baseUrl}/steal` });
				res.end();
			};
			const text = await errorText(t.poll());
			assert.match(text, /another host/);
			assert.equal(JSON.stringify(t.staticData.cursor), before);
			assert.equal(other.seen.length, 0);
		});
	});
});
