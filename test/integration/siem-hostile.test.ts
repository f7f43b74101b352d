/**
 * SIEM Logs against a server that does not behave like Mimecast: batch links to other schemes
 * and hosts, a token chain of empty files that never ends, listings that never catch up. Each
 * case: bounded requests, a clear error (action) or a quiet end of poll (trigger), no secret in
 * what comes out, the cursor where it belongs.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import type { IDataObject } from 'n8n-workflow';

import { pollHarness, runNode } from '../helpers/n8n';
import { useFastRetries } from '../helpers/fastRetries';
import { MimecastSiemLogs } from '../../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { MimecastSiemLogsTrigger } from '../../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { parseV1Position } from '../../nodes/Mimecast/siem/resumeToken';
import { eventsOf, warningsOf } from './siem-support';

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;

interface Hostile {
	baseUrl: string;
	requests: string[];
	handle(handler: Handler): void;
	close(): Promise<void>;
}

async function startHostile(): Promise<Hostile> {
	let handler: Handler = (_req, _url, res) => res.writeHead(404).end();
	const requests: string[] = [];
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			requests.push(`${req.method} ${url.pathname}`);
			if (url.pathname === '/oauth/token') {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify({
						access_token: 'hostile-access-token',
						token_type: 'Bearer',
						expires_in: 3600,
					}),
				);
				return;
			}
			handler(req, url, res);
		});
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		handle: (h) => (handler = h),
		close: () => new Promise((done) => server.close(() => done())),
	};
}

const json = (res: ServerResponse, body: unknown) => {
	res.writeHead(200, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
};

const v1Credentials = (baseUrl: string) => ({
	mimecastApi: {
		region: 'custom',
		baseUrl,
		appId: 'app',
		appKey: 'app-key',
		accessKey: 'access-key',
		secretKey: Buffer.from('secret-key').toString('base64'),
	},
});
const v2Credentials = (baseUrl: string) => ({
	mimecastOAuth2Api: {
		region: 'custom',
		baseUrl,
		clientId: 'client',
		clientSecret: 'client-secret',
	},
});

const ndjsonGz = (events: IDataObject[]) =>
	gzipSync(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
const SIGNATURE = 'X-Amz-Signature=c2VjcmV0LXNpZ25hdHVyZQ';

describe('SIEM Logs against a hostile server', () => {
	useFastRetries();
	let server: Hostile;
	before(async () => (server = await startHostile()));
	after(async () => await server.close());
	beforeEach(() => (server.requests.length = 0));

	it('API 2.0: fetches only https (or localhost http) batch links; each refused link is a warning naming it without its signature, and the rest is read', async () => {
		const good = (n: number) => `${server.baseUrl}/files/good-${n}.json.gz?${SIGNATURE}`;
		const refused = [
			`http://files.example.com/bucket/plain-http.json.gz?${SIGNATURE}`,
			`data:application/gzip;base64,${ndjsonGz([{ type: 'receipt', injected: true }]).toString('base64')}`,
			`file:///etc/passwd?${SIGNATURE}`,
			`ftp://10.0.0.7/internal.json.gz?${SIGNATURE}`,
		];
		server.handle((_req, url, res) => {
			if (url.pathname === '/siem/v1/batch/events/cg') {
				if (url.searchParams.get('type') !== 'receipt')
					return json(res, { value: [], isCaughtUp: true });
				return json(res, {
					value: [good(1), ...refused, good(2)].map((u) => ({ url: u, size: 10 })),
					'@nextPage': 'p1',
					isCaughtUp: true,
				});
			}
			const n = /good-(\d)/.exec(url.pathname)?.[1];
			if (!n) return res.writeHead(404).end();
			res.writeHead(200, { 'content-type': 'application/octet-stream' });
			res.end(
				ndjsonGz([
					{ type: 'receipt', n: Number(n), i: 0 },
					{ type: 'receipt', n: Number(n), i: 1 },
				]),
			);
		});
		const items = await runNode(new MimecastSiemLogs(), {
			parameters: { authentication: 'oAuth2', logTypes: ['receipt'], returnAll: true },
			credentials: v2Credentials(server.baseUrl),
		});
		assert.deepEqual(eventsOf(items), [
			{ type: 'receipt', n: 1, i: 0 },
			{ type: 'receipt', n: 1, i: 1 },
			{ type: 'receipt', n: 2, i: 0 },
			{ type: 'receipt', n: 2, i: 1 },
		]);
		const warnings = warningsOf(items).map((w) => String(w.warning));
		assert.equal(warnings.length, refused.length);
		assert.match(
			warnings[0],
			/"http:\/\/files\.example\.com\/bucket\/plain-http\.json\.gz".*plain http to files\.example\.com/,
		);
		assert.match(warnings[1], /scheme data: is not https/);
		assert.match(warnings[2], /"file:\/\/\/etc\/passwd".*scheme file: is not https/);
		assert.match(
			warnings[3],
			/"ftp:\/\/10\.0\.0\.7\/internal\.json\.gz".*scheme ftp: is not https/,
		);
		const text = JSON.stringify(items);
		assert.ok(!text.includes('c2VjcmV0LXNpZ25hdHVyZQ'), 'no pre-signed signature in any item');
		assert.ok(!text.includes('injected'), 'the data: link was not read');
		assert.deepEqual(
			server.requests.filter((r) => r.includes('/files/')),
			['GET /files/good-1.json.gz', 'GET /files/good-2.json.gz'],
		);
	});

	describe('API 1.0: a chain of empty files that never ends', () => {
		let served = 0;
		beforeEach(() => {
			served = 0;
			server.handle((_req, _url, res) => {
				served++;
				// The first file holds two events; every later one is empty, each with a fresh token.
				const data = served === 1 ? [{ aCode: 'a1' }, { aCode: 'a2' }] : [];
				res.writeHead(200, {
					'content-type': 'application/octet-stream',
					'content-disposition': `attachment; filename="receipt_${served}.json"`,
					'mc-siem-token': Buffer.from(`token-${served}`).toString('base64url'),
				});
				res.end(JSON.stringify({ type: 'MTA', data }));
			});
		});

		it('the action stops with an error naming the loop and the token to go on from', async () => {
			await assert.rejects(
				runNode(new MimecastSiemLogs(), {
					parameters: { authentication: 'apiKeys', returnAll: true },
					credentials: v1Credentials(server.baseUrl),
				}),
				(error: Error & { description?: string }) => {
					assert.match(
						error.message,
						/100 SIEM files in a row without a single event.*endless loop/,
					);
					assert.match(String(error.description), /Start Token [A-Za-z0-9_-]+/);
					return true;
				},
			);
			assert.ok(served <= 102, `${served} requests`);
		});

		it('the trigger emits the events once and ends the poll quietly, its cursor after what it read', async () => {
			const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
				parameters: { authentication: 'apiKeys', startFrom: 'earliest' },
				credentials: v1Credentials(server.baseUrl),
			});
			const first = await trigger.poll();
			assert.deepEqual(eventsOf(first), [{ aCode: 'a1' }, { aCode: 'a2' }]);
			assert.ok(served <= 102, `${served} requests`);
			const cursor = parseV1Position(
				String((trigger.staticData.siemCursor as IDataObject).position),
			);
			// Past the file with events and the empty files read after it, at a token the server sent.
			assert.deepEqual(cursor, {
				token: Buffer.from(`token-${served}`).toString('base64url'),
				files: 0,
				events: 0,
			});
			served = 1;
			assert.equal(await trigger.poll(), null, 'nothing is emitted twice');
		});
	});

	describe('API 2.0: listings that never catch up', () => {
		const listings: Record<string, (page: string) => IDataObject> = {
			'fresh empty pages': (page) => ({ value: [], '@nextPage': `${page}x`, isCaughtUp: false }),
			'a cycle of page tokens': (page) => ({
				value: [],
				'@nextPage': page === 'A' ? 'B' : 'A',
				isCaughtUp: false,
			}),
		};
		for (const [name, listing] of Object.entries(listings)) {
			it(`${name}: a clear error in the action, a quiet poll in the trigger`, async () => {
				server.handle((_req, url, res) =>
					json(res, listing(url.searchParams.get('nextPage') ?? 'A')),
				);
				await assert.rejects(
					runNode(new MimecastSiemLogs(), {
						parameters: { authentication: 'oAuth2', logTypes: ['receipt'], returnAll: true },
						credentials: v2Credentials(server.baseUrl),
					}),
					/receipt batch files.*endless loop/i,
				);
				assert.ok(server.requests.length <= 103, `${server.requests.length} requests`);
				server.requests.length = 0;
				const trigger = pollHarness(new MimecastSiemLogsTrigger(), {
					parameters: { authentication: 'oAuth2', logTypes: ['receipt'], startFrom: 'earliest' },
					credentials: v2Credentials(server.baseUrl),
				});
				assert.equal(await trigger.poll(), null);
				assert.ok(server.requests.length <= 103, `${server.requests.length} requests`);
				assert.equal(
					(trigger.staticData.siemCursor as IDataObject).position,
					'eyJ2IjoyLCJ0Ijp7fX0',
					'no position was taken',
				);
			});
		}
	});
});
