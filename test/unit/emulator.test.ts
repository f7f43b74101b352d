/**
 * The Mimecast emulator, checked from the outside: real HTTP, requests signed here (not with
 * the emulator's code), answers compared with the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID, X509Certificate } from 'node:crypto';
import { Agent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { startEmulator, type Emulator, type EmulatorOptions, type LogRecord } from '../emulator';
import { trustCaInProcess } from '../helpers/tls';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Json = Record<string, any>;

interface Res {
	status: number;
	headers: Headers;
	bytes: Buffer;
	json?: Json;
}

/** `2011-12-03T10:15:30+0000` */
const mcDate = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+0000`;

function fakeClock(start = T0): { now: () => number; advance(ms: number): void } {
	let t = start;
	return { now: () => t, advance: (ms) => (t += ms) };
}

async function start(
	options: EmulatorOptions = {},
): Promise<{ emu: Emulator; clock: ReturnType<typeof fakeClock> }> {
	const clock = fakeClock();
	const emu = await startEmulator({ tenant: 'small', now: clock.now, ...options });
	return { emu, clock };
}

async function read(r: Response): Promise<Res> {
	const bytes = Buffer.from(await r.arrayBuffer());
	const type = r.headers.get('content-type') ?? '';
	return {
		status: r.status,
		headers: r.headers,
		bytes,
		json: type.startsWith('application/json') ? (JSON.parse(bytes.toString()) as Json) : undefined,
	};
}

/** Signs as Mimecast documents it: base64(HMAC-SHA1(base64decode(secret), date:reqId:path:appKey)). */
function signedHeaders(
	emu: Emulator,
	path: string,
	now: number,
	over: { appId?: string; signPath?: string; date?: string } = {},
): Record<string, string> {
	const { appId, appKey, accessKey, secretKey } = emu.keys.v1;
	const date = over.date ?? new Date(now).toUTCString().replace('GMT', 'UTC');
	const requestId = randomUUID();
	const signature = createHmac('sha1', Buffer.from(secretKey, 'base64'))
		.update(`${date}:${requestId}:${over.signPath ?? path}:${appKey}`)
		.digest('base64');
	return {
		authorization: `MC ${accessKey}:${signature}`,
		'x-mc-date': date,
		'x-mc-req-id': requestId,
		'x-mc-app-id': over.appId ?? appId,
		'content-type': 'application/json',
		accept: 'application/json',
	};
}

async function v1(
	emu: Emulator,
	now: number,
	path: string,
	body: unknown,
	over: Parameters<typeof signedHeaders>[3] & { base?: string } = {},
): Promise<Res> {
	const base = over.base ?? emu.baseUrl;
	const fullPath = new URL(base + path).pathname;
	return read(
		await fetch(base + path, {
			method: 'POST',
			headers: signedHeaders(emu, fullPath, now, over),
			body: JSON.stringify(body),
		}),
	);
}

async function token(emu: Emulator): Promise<string> {
	const { clientId, clientSecret } = emu.keys.v2;
	const r = await read(
		await fetch(`${emu.baseUrl}/oauth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: clientId,
				client_secret: clientSecret,
				grant_type: 'client_credentials',
			}),
		}),
	);
	assert.equal(r.status, 200);
	return r.json?.access_token as string;
}

async function v2(emu: Emulator, bearer: string, path: string, body?: unknown): Promise<Res> {
	const init: RequestInit =
		body === undefined
			? { headers: { authorization: `Bearer ${bearer}` } }
			: {
					method: 'POST',
					headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
					body: JSON.stringify(body),
				};
	return read(await fetch(emu.baseUrl + path, init));
}

const firstError = (r: Res): Json => r.json?.fail?.[0]?.errors?.[0] as Json;
const window = (now: number, days = 3): Json => ({
	from: mcDate(now - days * DAY),
	to: mcDate(now),
});

/** An independent key_value reader: `\…\` wrapped values, inline JSON, CRLF. */
function parseKeyValue(text: string): Array<Record<string, string>> {
	return text
		.split('\r\n')
		.filter(Boolean)
		.map((line) => {
			const out: Record<string, string> = {};
			let i = 0;
			while (i < line.length) {
				const eq = line.indexOf('=', i);
				const key = line.slice(i, eq);
				let j = eq + 1;
				let value: string;
				if (line[j] === '\\') {
					const end = line.indexOf('\\', j + 1);
					value = line.slice(j + 1, end);
					j = end + 1;
				} else if (line[j] === '{' || line[j] === '[') {
					let depth = 0;
					let inString = false;
					let k = j;
					for (; k < line.length; k++) {
						const c = line[k];
						if (inString) {
							if (c === '\\') k++;
							else if (c === '"') inString = false;
						} else if (c === '"') inString = true;
						else if (c === '{' || c === '[') depth++;
						else if (c === '}' || c === ']') {
							depth--;
							if (depth === 0) break;
						}
					}
					value = line.slice(j, k + 1);
					j = k + 1;
				} else {
					const bar = line.indexOf('|', j);
					const end = bar < 0 ? line.length : bar;
					value = line.slice(j, end);
					j = end;
				}
				out[key] = value;
				i = j + 1; // skip '|'
			}
			return out;
		});
}

const asStrings = (e: LogRecord): Record<string, string> =>
	Object.fromEntries(
		Object.entries(e).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
	);

describe('API 1.0 authentication', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	before(async () => ({ emu, clock } = await start()));
	after(() => emu.close());
	const body = { data: [{ ...window(T0) }] };

	it('accepts a request signed as Mimecast documents, with rate-limit headers in milliseconds', async () => {
		const r = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body);
		assert.equal(r.status, 200);
		assert.deepEqual(r.json?.fail, []);
		assert.ok(Number(r.headers.get('x-ratelimit-limit')) > 0);
		assert.ok(Number(r.headers.get('x-ratelimit-remaining')) >= 0);
		const reset = Number(r.headers.get('x-ratelimit-reset'));
		assert.ok(
			reset > 0 && reset <= 60_000,
			`reset ${reset} is a millisecond count within the window`,
		);
		assert.equal(emu.requests.at(-1)?.api, 'v1');
	});

	it('rejects a bad signature with the Mimecast envelope', async () => {
		const r = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body, {
			signPath: '/api/ttp/url/get-log',
		});
		assert.equal(r.status, 401);
		assert.deepEqual(r.json?.data, []);
		assert.equal(r.json?.meta.status, 401);
		assert.equal(firstError(r).code, 'err_xdk_invalid_signature');
		assert.equal(firstError(r).retryable, false);
	});

	it('rejects an unknown application id', async () => {
		const r = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body, { appId: randomUUID() });
		assert.equal(r.status, 401);
		assert.equal(firstError(r).code, 'err_developer_key');
	});

	it('rejects a stale x-mc-date', async () => {
		const r = await v1(emu, clock.now() - 20 * 60_000, '/api/ttp/url/get-logs', body);
		assert.equal(r.status, 401);
		assert.equal(firstError(r).code, 'err_xdk_invalid_request_date');
	});

	it('rejects missing auth headers', async () => {
		const r = await read(
			await fetch(`${emu.baseUrl}/api/ttp/url/get-logs`, { method: 'POST', body: '{}' }),
		);
		assert.equal(r.status, 401);
		assert.equal(firstError(r).code, 'err_xdk_client_update_required');
	});

	it('serves region prefixes, signing the path as received, and refuses the wrong grid', async () => {
		const ok = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body, {
			base: emu.regionBaseUrl('eu'),
		});
		assert.equal(ok.status, 200);
		assert.equal(emu.requests.at(-1)?.path, '/eu/api/ttp/url/get-logs');
		const unprefixedSignature = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body, {
			base: emu.regionBaseUrl('eu'),
			signPath: '/api/ttp/url/get-logs',
		});
		assert.equal(firstError(unprefixedSignature).code, 'err_xdk_invalid_signature');
		const wrong = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body, {
			base: emu.regionBaseUrl('us'),
		});
		assert.equal(wrong.status, 401);
		assert.equal(firstError(wrong).code, 'err_audit_log_incorrect_region');
	});
});

describe('paged log endpoints', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	before(async () => ({ emu, clock } = await start()));
	after(() => emu.close());

	const audit = (pageToken?: string, pageSize = 7): Json => ({
		meta: { pagination: { pageSize, ...(pageToken ? { pageToken } : {}) } },
		data: [{ startDateTime: mcDate(T0 - 5 * DAY), endDateTime: mcDate(T0) }],
	});

	it('walks every audit event exactly once, newest first, unshifted by records added mid-walk', async () => {
		const truth = emu.data.records('auditEvents');
		const seen: Json[] = [];
		let next: string | undefined;
		let pages = 0;
		do {
			const r = await v1(emu, clock.now(), '/api/audit/get-audit-events', audit(next));
			assert.equal(r.status, 200);
			assert.deepEqual(r.json?.fail, []);
			// totalCount counts what matches now: it grows once records are added mid-walk.
			if (pages <= 1) assert.equal(r.json?.meta.pagination.totalCount, truth.length);
			assert.equal(r.json?.meta.pagination.pageSize, r.json?.data.length);
			seen.push(...(r.json?.data as Json[]));
			next = r.json?.meta.pagination.next as string | undefined;
			if (pages++ === 1) {
				emu.data.add('auditEvents', 5, { at: T0 }); // newer than the walk: must not appear
				emu.data.add('auditEvents', 2, { at: T0 + 1000 });
			}
		} while (next);
		assert.equal(seen.length, truth.length);
		assert.deepEqual(new Set(seen.map((e) => e.id)), new Set(truth.map((e) => e.id)));
		const times = seen.map((e) => Date.parse(String(e.eventTime).replace('+0000', 'Z')));
		assert.ok(
			times.every((t, i) => i === 0 || t <= times[i - 1]),
			'newest first',
		);
		assert.ok(new Set(times).size < times.length, 'some records share a second');
	});

	it('hands out previous tokens that lead back to the page before', async () => {
		const p1 = await v1(emu, clock.now(), '/api/audit/get-audit-events', audit());
		assert.equal(p1.json?.meta.pagination.previous, undefined);
		const p2 = await v1(
			emu,
			clock.now(),
			'/api/audit/get-audit-events',
			audit(p1.json?.meta.pagination.next),
		);
		const back = await v1(
			emu,
			clock.now(),
			'/api/audit/get-audit-events',
			audit(p2.json?.meta.pagination.previous),
		);
		assert.deepEqual(back.json?.data, p1.json?.data);
	});

	it('binds page tokens to their query', async () => {
		const body = (route: string, pageToken?: string): Json => ({
			meta: { pagination: { pageSize: 3, ...(pageToken ? { pageToken } : {}) } },
			data: [{ ...window(T0), route }],
		});
		const p1 = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body('inbound'));
		const next = p1.json?.meta.pagination.next as string;
		assert.ok(next);
		const other = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body('outbound', next));
		assert.equal(other.status, 200);
		assert.equal(firstError(other).code, 'err_validation_page_token_invalid');
		const forged = await v1(
			emu,
			clock.now(),
			'/api/ttp/url/get-logs',
			body('inbound', `${next.slice(0, -2)}AA`),
		);
		assert.equal(firstError(forged).code, 'err_validation_page_token_invalid');
		const same = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body('inbound', next));
		assert.deepEqual(same.json?.fail, []);
		const tokenOnly = await v1(emu, clock.now(), '/api/ttp/url/get-logs', {
			meta: { pagination: { pageSize: 3, pageToken: next } },
		});
		assert.deepEqual(tokenOnly.json?.data, same.json?.data, 'the token remembers the query');
	});

	it('honours route, scanResult, oldestFirst and an inclusive time window on URL logs', async () => {
		const truth = emu.data.records('ttpUrl');
		const lo = truth[5].date as string;
		const hi = truth[truth.length - 6].date as string;
		const r = await v1(emu, clock.now(), '/api/ttp/url/get-logs', {
			meta: { pagination: { pageSize: 500 } },
			data: [{ from: lo, to: hi, oldestFirst: true, route: 'inbound', scanResult: 'all' }],
		});
		const logs = r.json?.data[0].clickLogs as Json[];
		const expected = truth.filter(
			(e) => (e.date as string) >= lo && (e.date as string) <= hi && e.route === 'inbound',
		);
		assert.deepEqual(logs, expected, 'oldest first, both ends inclusive');
		assert.ok(logs.some((e) => e.date === lo) && logs.some((e) => e.date === hi));

		emu.data.add('ttpUrl', 3, { at: T0 - HOUR, malicious: true });
		const bad = await v1(emu, clock.now(), '/api/ttp/url/get-logs', {
			meta: { pagination: { pageSize: 500 } },
			data: [{ ...window(T0), scanResult: 'malicious' }],
		});
		const malicious = bad.json?.data[0].clickLogs as Json[];
		assert.ok(malicious.length >= 3);
		assert.ok(malicious.every((e) => e.scanResult === 'malicious'));
		assert.equal(
			malicious.length,
			emu.data.records('ttpUrl').filter((e) => e.scanResult === 'malicious').length,
		);
	});

	it('filters attachment logs by result (clean means "safe" records)', async () => {
		const truth = emu.data.records('ttpAttachment');
		emu.data.add('ttpAttachment', 2, { at: T0 - HOUR, malicious: true });
		for (const [result, recordValue] of [
			['clean', 'safe'],
			['malicious', 'malicious'],
		] as const) {
			const r = await v1(emu, clock.now(), '/api/ttp/attachment/get-logs', {
				meta: { pagination: { pageSize: 500 } },
				data: [{ ...window(T0), result }],
			});
			const logs = r.json?.data[0].attachmentLogs as Json[];
			assert.ok(logs.length > 0);
			assert.ok(logs.every((e) => e.result === recordValue));
			assert.equal(
				logs.length,
				emu.data.records('ttpAttachment').filter((e) => e.result === recordValue).length,
			);
		}
		assert.ok(truth.length > 0);
	});

	it('serves impersonation logs with resultCount and the taggedMalicious filter', async () => {
		const r = await v1(emu, clock.now(), '/api/ttp/impersonation/get-logs', {
			meta: { pagination: { pageSize: 500 } },
			data: [{ ...window(T0), taggedMalicious: true }],
		});
		const [{ impersonationLogs, resultCount }] = r.json?.data as Json[];
		assert.equal(resultCount, impersonationLogs.length);
		assert.equal(
			impersonationLogs.length,
			emu.data.records('ttpImpersonation').filter((e) => e.taggedMalicious === true).length,
		);
		assert.ok(
			impersonationLogs.every(
				(e: Json) => typeof e.eventTime === 'string' && e.id.startsWith('MTOKEN:'),
			),
		);
	});

	it('serves view logs flat, keyed by `viewed`, with the query filter', async () => {
		const truth = emu.data.records('viewLogs');
		const viewer = truth[0].viewer as string;
		const r = await v1(emu, clock.now(), '/api/archive/get-view-logs', {
			meta: { pagination: { pageSize: 500 } },
			data: [{ start: mcDate(T0 - 5 * DAY), end: mcDate(T0), query: viewer }],
		});
		const logs = r.json?.data as Json[];
		assert.ok(logs.length >= 1);
		assert.ok(
			logs.every((e) =>
				[e.viewer, e.from, e.to, e.subject].some((f) =>
					String(f).toLowerCase().includes(viewer.toLowerCase()),
				),
			),
		);
		assert.ok(logs.every((e) => 'viewed' in e && 'contentViewed' in e && 'discoveryCase' in e));
	});

	it('answers validation problems in fail[] with HTTP 200, as Mimecast does', async () => {
		const cases: Array<[Json, string]> = [
			[{ data: [{ endDateTime: mcDate(T0) }] }, 'err_validation_null'],
			[{ data: [{ startDateTime: '', endDateTime: mcDate(T0) }] }, 'err_validation_blank'],
			[
				{ data: [{ startDateTime: '2025-01-01', endDateTime: mcDate(T0) }] },
				'err_validation_date_format',
			],
			[
				{ data: [{ startDateTime: mcDate(T0 - 61 * DAY), endDateTime: mcDate(T0) }] },
				'err_validation_date_range',
			],
			[
				{
					meta: { pagination: { pageSize: 501 } },
					data: [{ startDateTime: mcDate(T0 - DAY), endDateTime: mcDate(T0) }],
				},
				'err_validation_max_value',
			],
		];
		for (const [body, code] of cases) {
			const r = await v1(emu, clock.now(), '/api/audit/get-audit-events', body);
			assert.equal(r.status, 200, code);
			assert.deepEqual(r.json?.data, [], code);
			assert.equal(firstError(r).code, code);
		}
		const withKey = await v1(emu, clock.now(), '/api/audit/get-audit-events', cases[0][0]);
		assert.deepEqual(
			withKey.json?.fail[0].key,
			cases[0][0].data[0],
			'the failing item comes back as key',
		);
	});

	it('lists audit categories', async () => {
		const r = await v1(emu, clock.now(), '/api/audit/get-categories', { data: [] });
		const codes = (r.json?.data as Json[]).map((c) => c.code);
		assert.ok(codes.includes('authentication_logs'));
		const one = await v1(emu, clock.now(), '/api/audit/get-audit-events', {
			meta: { pagination: { pageSize: 500 } },
			data: [
				{
					startDateTime: mcDate(T0 - 5 * DAY),
					endDateTime: mcDate(T0),
					categories: ['authentication_logs'],
				},
			],
		});
		assert.ok((one.json?.data as Json[]).every((e) => e.category === 'authentication_logs'));
	});
});

describe('DLP, archive search and message release logs', () => {
	const ENDPOINTS = [
		{
			path: '/api/dlp/get-logs',
			kind: 'dlpLogs',
			wrapper: 'dlpLogs',
			from: 'from',
			to: 'to',
			time: 'eventTime',
		},
		{
			path: '/api/archive/get-archive-search-logs',
			kind: 'archiveSearchLogs',
			wrapper: 'logs',
			from: 'start',
			to: 'end',
			time: 'createTime',
		},
		{
			path: '/api/gateway/get-held-release-logs',
			kind: 'releaseLogs',
			wrapper: 'heldReleaseLogs',
			from: 'start',
			to: 'end',
			time: 'released',
		},
	] as const;

	/** Every record of a walk, and the last page's pagination. */
	async function walk(emu: Emulator, now: number, ep: (typeof ENDPOINTS)[number]) {
		const records: Json[] = [];
		let next: string | undefined;
		let last: Json = {};
		for (let pages = 0; pages < 50; pages++) {
			const r = await v1(emu, now, ep.path, {
				meta: { pagination: { pageSize: 7, ...(next ? { pageToken: next } : {}) } },
				data: [{ [ep.from]: mcDate(now - 3 * DAY), [ep.to]: mcDate(now) }],
			});
			assert.deepEqual(r.json?.fail, []);
			const page = (r.json?.data as Json[])[0][ep.wrapper] as Json[];
			records.push(...page);
			last = r.json?.meta.pagination;
			if (page.length === 0 || !last.next) break;
			next = last.next;
		}
		return { records, last };
	}

	for (const ep of ENDPOINTS) {
		it(`${ep.path}: every record once, in data[0].${ep.wrapper}, newest first`, async () => {
			const { emu, clock } = await start();
			try {
				const { records, last } = await walk(emu, clock.now(), ep);
				assert.equal(records.length, emu.data.records(ep.kind).length);
				assert.ok(records.length > 7, 'several pages');
				const times = records.map((r) => Date.parse(String(r[ep.time]).replace('+0000', 'Z')));
				assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]));
				assert.equal(last.next, undefined, 'without the option, the last page has no next');
			} finally {
				await emu.close();
			}
		});

		it(`${ep.path}: with emptyLastPage, the end carries next and an empty page repeats it`, async () => {
			const { emu, clock } = await start({ emptyLastPage: true });
			try {
				const { records, last } = await walk(emu, clock.now(), ep);
				assert.equal(records.length, emu.data.records(ep.kind).length, 'nothing lost on the way');
				assert.ok(last.next, 'the empty last page still has next');
				const again = await v1(emu, clock.now(), ep.path, {
					meta: { pagination: { pageSize: 7, pageToken: last.next } },
				});
				assert.deepEqual(again.json?.data, [{ [ep.wrapper]: [] }]);
				assert.equal(again.json?.meta.pagination.next, last.next);
			} finally {
				await emu.close();
			}
		});
	}

	it("keeps Mimecast's quirks in the records", async () => {
		const { emu } = await start({
			tenant: { dlpLogs: 300, archiveSearchLogs: 300, releaseLogs: 300 },
		});
		try {
			const dlp = emu.data.records('dlpLogs');
			assert.ok(
				dlp.some((r) => r.senderAddress === '<>'),
				'bounces have sender <>',
			);
			assert.deepEqual(new Set(dlp.map((r) => r.action)), new Set(['hold', 'notification']));
			const searches = emu.data.records('archiveSearchLogs');
			assert.ok(
				searches.every((r) => typeof r.emailAddr === 'string' && r.emailAddress === undefined),
			);
			assert.ok(
				searches.some((r) => r.isAdmin === 'true') &&
					searches.every((r) => r.isAdmin === undefined || r.isAdmin === 'true'),
			);
			const releases = emu.data.records('releaseLogs');
			assert.ok(
				releases.every((r) => (r.rejectReason !== undefined) === (r.status === 'rejected')),
				'rejectReason only on rejected',
			);
			assert.ok(
				releases.every(
					(r) =>
						(r.fromEnv as Json).emailAddress &&
						(r.fromHdr as Json).emailAddress &&
						r.from === undefined,
				),
			);
		} finally {
			await emu.close();
		}
	});
});

describe('API 2.0 OAuth and Bearer', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	before(async () => ({ emu, clock } = await start({ tokenTtlSeconds: 1799 })));
	after(() => emu.close());

	it('issues a token for form credentials and serves the 1.0 log paths with it', async () => {
		const bearer = await token(emu);
		const r = await v2(emu, bearer, '/api/ttp/url/get-logs', { data: [window(T0)] });
		assert.equal(r.status, 200);
		assert.ok(Array.isArray(r.json?.data[0].clickLogs));
		assert.equal(emu.requests.at(-1)?.api, 'v2');
		assert.ok(r.headers.get('x-ratelimit-reset'));
	});

	it('accepts HTTP Basic client authentication and refuses a wrong secret', async () => {
		const { clientId, clientSecret } = emu.keys.v2;
		const post = (user: string, pass: string) =>
			fetch(`${emu.baseUrl}/oauth/token`, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
				},
				body: 'grant_type=client_credentials',
			}).then(read);
		const ok = await post(clientId, clientSecret);
		assert.equal(ok.status, 200);
		assert.equal(ok.json?.token_type, 'Bearer');
		assert.equal(ok.json?.expires_in, 1799);
		const bad = await post(clientId, 'nope');
		assert.equal(bad.status, 401);
		assert.equal(bad.json?.error, 'invalid_client');
	});

	it('expires tokens by the emulator clock and rejects unknown ones', async () => {
		const bearer = await token(emu);
		clock.advance(1800 * 1000);
		const expired = await v2(emu, bearer, '/api/ttp/url/get-logs', { data: [window(clock.now())] });
		assert.equal(expired.status, 401);
		assert.equal(expired.json?.fail[0].code, 'token_expired');
		const unknown = await v2(emu, 'not-a-token', '/api/ttp/url/get-logs', { data: [] });
		assert.equal(unknown.status, 401);
		assert.equal(unknown.json?.fail[0].code, 'token_verification_failed');
	});
});

describe('SIEM API 1.0 get-siem-logs', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	before(async () => ({ emu, clock } = await start()));
	after(() => emu.close());
	const siem = (item: Json): Promise<Res> =>
		v1(emu, clock.now(), '/api/audit/get-siem-logs', { data: [{ type: 'MTA', ...item }] });

	it('drains the chain one file per call, then answers isLastToken and echoes the token', async () => {
		const files = emu.data.siemFiles();
		assert.ok(new Set(files.map((f) => f.filePrefix)).size === 10, 'every log type');
		const events: Json[] = [];
		let tok: string | undefined;
		for (const file of files) {
			const r = await siem({ fileFormat: 'json', token: tok });
			assert.equal(r.status, 200);
			assert.equal(r.headers.get('content-type'), 'application/octet-stream');
			assert.equal(
				r.headers.get('content-disposition'),
				`attachment; filename="${file.name}.json"`,
			);
			assert.match(file.name, /^[a-z_]+_\d{17}$/);
			events.push(...(JSON.parse(r.bytes.toString()) as Json).data);
			tok = r.headers.get('mc-siem-token') ?? undefined;
			assert.ok(tok);
		}
		assert.deepEqual(events, emu.data.siemEvents());
		const last = await siem({ fileFormat: 'json', token: tok });
		assert.deepEqual(last.json, { meta: { isLastToken: true, status: 200 }, data: [], fail: [] });
		assert.equal(last.headers.get('mc-siem-token'), tok);

		emu.data.addSiemFiles(1, { filePrefix: 'receipt' });
		const fresh = await siem({ fileFormat: 'json', token: tok });
		assert.match(fresh.headers.get('content-disposition') ?? '', /filename="receipt_\d{17}\.json"/);
	});

	it('carries the same events in key_value and json', async () => {
		const kv = await siem({});
		const js = await siem({ fileFormat: 'JSON' });
		const kvText = kv.bytes.toString();
		assert.match(kv.headers.get('content-disposition') ?? '', /\.log"$/);
		assert.ok(kvText.endsWith('\r\n'));
		const fromJson = (JSON.parse(js.bytes.toString()) as Json).data.map(asStrings);
		assert.deepEqual(parseKeyValue(kvText), fromJson);
		assert.match(kvText, /Subject=\\[^\\|]* [^\\]*\\/);
		const receipt = emu.data
			.siemFiles()
			.find((f) => f.filePrefix === 'receipt' && f.events.some((e) => e.SpamProcessingDetail));
		assert.ok(receipt);
	});

	it('zips several consecutive files with compress:true and resumes after the last one', async () => {
		const files = emu.data.siemFiles();
		const r = await siem({ fileFormat: 'key_value', compress: true });
		assert.match(r.headers.get('content-disposition') ?? '', /filename="[0-9a-f-]{36}\.zip"/);
		const entries = unzipSync(new Uint8Array(r.bytes));
		const names = Object.keys(entries);
		assert.ok(names.length > 1);
		assert.deepEqual(
			names,
			files.slice(0, names.length).map((f) => `${f.name}.log`),
		);
		const next = await siem({ fileFormat: 'json', token: r.headers.get('mc-siem-token') });
		assert.equal(
			next.headers.get('content-disposition'),
			`attachment; filename="${files[names.length].name}.json"`,
		);
	});

	it('rejects an invalid token', async () => {
		const r = await siem({ token: 'eNoLSS0uUSjJSFUoSSxOBQAkKAU7' });
		assert.equal(firstError(r).code, 'err_audit_siem_invalid_token');
	});
});

describe('SIEM API 2.0 batch', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	let bearer: string;
	before(async () => {
		({ emu, clock } = await start({ fileUrlTtlMs: 60_000 }));
		bearer = await token(emu);
	});
	after(() => emu.close());
	const list = (type: string, extra = ''): Promise<Res> =>
		v2(
			emu,
			bearer,
			`/siem/v1/batch/events/cg?type=${encodeURIComponent(type)}&dateRangeStartsAt=${mcDate(clock.now() - 6 * DAY).slice(0, 10)}&dateRangeEndsAt=${mcDate(clock.now()).slice(0, 10)}&pageSize=2${extra}`,
		);

	it('lists pre-signed gzip files that hold the ground-truth events, then resumes with @nextPage', async () => {
		const type = 'url protect';
		const events: Json[] = [];
		let next = '';
		let caughtUp = false;
		while (!caughtUp) {
			const r = await list(type, next ? `&nextPage=${encodeURIComponent(next)}` : '');
			assert.equal(r.status, 200);
			for (const { url, size } of r.json?.value as Json[]) {
				const file = await read(await fetch(url));
				assert.equal(file.status, 200);
				assert.equal(file.bytes.length, size);
				events.push(
					...gunzipSync(file.bytes)
						.toString()
						.trim()
						.split('\n')
						.map((l) => JSON.parse(l) as Json),
				);
			}
			next = r.json?.['@nextPage'] as string;
			caughtUp = r.json?.isCaughtUp as boolean;
		}
		assert.deepEqual(events, emu.data.batchEvents(type));
		assert.ok(
			events.every(
				(e) =>
					e.type === type && typeof e.timestamp === 'number' && e.aggregateId && e.processingId,
			),
		);

		const idle = await list(type, `&nextPage=${encodeURIComponent(next)}`);
		assert.deepEqual(idle.json?.value, []);
		assert.equal(idle.json?.isCaughtUp, true);
		const [added] = emu.data.addBatchFiles(type, 1);
		const later = await list(type, `&nextPage=${encodeURIComponent(next)}`);
		assert.equal((later.json?.value as Json[]).length, 1);
		const body = gunzipSync((await read(await fetch(later.json?.value[0].url))).bytes).toString();
		assert.deepEqual(
			body
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l)),
			added.events,
		);
	});

	it('expires file URLs (403) by the emulator clock', async () => {
		const r = await list('receipt');
		const url = r.json?.value[0].url as string;
		assert.equal((await fetch(url)).status, 200);
		clock.advance(61_000);
		const expired = await read(await fetch(url));
		assert.equal(expired.status, 403);
		assert.match(expired.bytes.toString(), /Request has expired/);
	});

	it('serves the event stream', async () => {
		const r = await v2(emu, bearer, '/siem/v1/events/cg?types=receipt,journal&pageSize=5');
		assert.equal(r.status, 200);
		assert.equal((r.json?.value as Json[]).length, 5);
		assert.ok((r.json?.value as Json[]).every((e) => ['receipt', 'journal'].includes(e.eventType)));
		assert.ok(r.json?.['@nextPage'] && r.json?.['@nextLink']);
	});
});

describe('faults', () => {
	let emu: Emulator;
	let clock: ReturnType<typeof fakeClock>;
	before(async () => ({ emu, clock } = await start()));
	after(() => emu.close());
	const url = (): Promise<Res> =>
		v1(emu, clock.now(), '/api/ttp/url/get-logs', { data: [window(clock.now())] });
	const siem = (item: Json): Promise<Res> =>
		v1(emu, clock.now(), '/api/audit/get-siem-logs', { data: [{ type: 'MTA', ...item }] });

	it('answers each status fault once, shaped like Mimecast, then recovers', async () => {
		const table: Array<
			[kind: Parameters<Emulator['faults']['inject']>[0]['kind'], status: number, code?: string]
		> = [
			['429', 429, 'err_xdk_rate_limit_exceeded'],
			['500', 500, 'err_internal_server_error'],
			['502', 502],
			['503', 503],
			['418', 418, 'err_xdk_binding_expired'],
			['401', 401, 'err_developer_key'],
			['403', 403, 'err_xdk_forbidden'],
			['invalidSignature', 401, 'err_xdk_invalid_signature'],
			['failOn200', 200, 'err_internal_server_error'],
		];
		for (const [kind, status, code] of table) {
			emu.faults.inject({ kind, resetMs: 2500 });
			const r = await url();
			assert.equal(r.status, status, kind);
			if (code) assert.equal(firstError(r).code, code, kind);
			else assert.match(r.bytes.toString(), /<html>/, kind);
			if (kind === '429') assert.equal(r.headers.get('x-ratelimit-reset'), '2500');
			assert.equal(emu.requests.at(-1)?.fault, kind);
			assert.equal((await url()).status, 200, `${kind} is one-shot`);
		}
		assert.equal(emu.faults.counts()['503'], 1);
	});

	it('answers API 2.0 callers in the gateway shape for auth faults and the 1.0 envelope for service faults', async () => {
		const bearer = await token(emu);
		emu.faults.inject({ kind: '401' });
		const expired = await v2(emu, bearer, '/api/ttp/url/get-logs', { data: [window(clock.now())] });
		assert.equal(expired.status, 401);
		assert.equal(expired.json?.fail[0].code, 'token_expired');
		emu.faults.inject({ kind: 'failOn200', code: 'err_validation_blank' });
		const failed = await v2(emu, bearer, '/api/ttp/url/get-logs', { data: [window(clock.now())] });
		assert.equal(failed.status, 200);
		assert.equal(firstError(failed).code, 'err_validation_blank');
	});

	it('destroys the socket on reset and cuts the body on truncated', async () => {
		emu.faults.inject({ kind: 'reset' });
		await assert.rejects(url());
		assert.equal(emu.requests.at(-1)?.status, 0);
		emu.faults.inject({ kind: 'truncated' });
		await assert.rejects(url());
		emu.faults.inject({ kind: 'slow', delayMs: 150 });
		const t = Date.now();
		assert.equal((await url()).status, 200);
		assert.ok(Date.now() - t >= 140);
	});

	it('targets a path and waits for a request it applies to', async () => {
		emu.faults.inject({ kind: '500', path: '/api/audit/get-siem-logs' });
		assert.equal((await url()).status, 200);
		assert.equal((await siem({ fileFormat: 'json' })).status, 500);
		emu.faults.inject({ kind: 'zipSlip' });
		assert.equal(
			(await siem({ fileFormat: 'json' })).status,
			200,
			'not a compressed call: the fault waits',
		);
		const slip = await siem({ compress: true });
		assert.ok(
			Object.keys(unzipSync(new Uint8Array(slip.bytes))).every((n) => n.startsWith('../../')),
		);
	});

	it('corrupts SIEM files, serves zip bombs and expired file URLs', async () => {
		emu.faults.inject({ kind: 'corruptSiemFile' });
		const truncatedJson = await siem({ fileFormat: 'json' });
		assert.equal(truncatedJson.bytes.toString(), '{ "type" : "MTA", "data" : ');
		assert.ok(truncatedJson.headers.get('mc-siem-token'), 'the chain can move past the bad file');
		emu.faults.inject({ kind: 'corruptSiemFile' });
		const badZip = await siem({ compress: true });
		assert.throws(() => unzipSync(new Uint8Array(badZip.bytes)));

		emu.faults.inject({ kind: 'zipBomb', bombBytes: 8 << 20 });
		const bomb = await siem({ compress: true });
		assert.ok(bomb.bytes.length < 64 * 1024, `${bomb.bytes.length} bytes on the wire`);
		const nameLength = bomb.bytes.readUInt16LE(26);
		const compressedSize = bomb.bytes.readUInt32LE(18);
		assert.equal(bomb.bytes.readUInt32LE(22), 8 << 20, 'declared size');
		const inflated = inflateRawSync(
			bomb.bytes.subarray(30 + nameLength, 30 + nameLength + compressedSize),
		);
		assert.equal(inflated.length, 8 << 20);
		assert.equal(crc32(inflated) >>> 0, bomb.bytes.readUInt32LE(14), 'a valid entry, not garbage');

		const bearer = await token(emu);
		const listing = await v2(emu, bearer, `/siem/v1/batch/events/cg?type=receipt`);
		const fileUrl = listing.json?.value[0].url as string;
		emu.faults.inject({ kind: 'expiredFileUrl' });
		assert.equal((await fetch(fileUrl)).status, 403);
		emu.faults.inject({ kind: 'corruptSiemFile', path: /^\/siem-files\// });
		const cut = await read(await fetch(fileUrl));
		assert.throws(() => gunzipSync(cut.bytes));
	});

	it('serves an empty page that still carries next, whose token loses nothing', async () => {
		const body = (pageToken?: string): Json => ({
			meta: { pagination: { pageSize: 5, ...(pageToken ? { pageToken } : {}) } },
			data: [window(clock.now())],
		});
		const normal = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body());
		emu.faults.inject({ kind: 'emptyPageWithNext' });
		const empty = await v1(emu, clock.now(), '/api/ttp/url/get-logs', body());
		assert.deepEqual(empty.json?.data, [{ clickLogs: [] }]);
		assert.ok(empty.json?.meta.pagination.next);
		const resumed = await v1(
			emu,
			clock.now(),
			'/api/ttp/url/get-logs',
			body(empty.json?.meta.pagination.next),
		);
		assert.deepEqual(resumed.json?.data, normal.json?.data);
	});

	it('draws seeded random faults and counts them', async () => {
		emu.faults.clear();
		emu.faults.random({ rate: 1, kinds: ['503'] });
		assert.equal((await url()).status, 503);
		emu.faults.random(null);
		assert.equal((await url()).status, 200);
		assert.deepEqual(emu.faults.counts(), { '503': 1 });
	});
});

describe('rate limit', () => {
	it('answers 429 beyond the quota, with the reset in milliseconds, without running the call', async () => {
		const { emu, clock } = await start({ rateLimit: { limit: 3, windowMs: 2000 } });
		try {
			const remaining: string[] = [];
			for (let i = 0; i < 3; i++) {
				const r = await v1(emu, clock.now(), '/api/audit/get-siem-logs', {
					data: [{ type: 'MTA' }],
				});
				assert.equal(r.status, 200);
				remaining.push(r.headers.get('x-ratelimit-remaining') ?? '');
			}
			assert.deepEqual(remaining, ['2', '1', '0']);
			const r = await v1(emu, clock.now(), '/api/audit/get-siem-logs', { data: [{ type: 'MTA' }] });
			assert.equal(r.status, 429);
			assert.equal(r.headers.get('mc-siem-token'), null, 'not executed');
			assert.equal(firstError(r).retryable, true);
			const reset = Number(r.headers.get('x-ratelimit-reset'));
			assert.ok(reset > 0 && reset <= 2000, `reset ${reset} ms`);
		} finally {
			await emu.close();
		}
	});
});

describe('data', () => {
	it('is identical for the same seed and clock, different for another seed', async () => {
		const a = await startEmulator({ seed: 7, now: () => T0 });
		const b = await startEmulator({ seed: 7, now: () => T0 });
		const c = await startEmulator({ seed: 8, now: () => T0 });
		try {
			assert.deepEqual(a.data.records('ttpUrl'), b.data.records('ttpUrl'));
			assert.deepEqual(a.data.siemEvents(), b.data.siemEvents());
			assert.deepEqual(a.keys, b.keys);
			assert.notDeepEqual(a.data.records('ttpUrl'), c.data.records('ttpUrl'));
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('adds records with shared, late and malicious timestamps in event-time order', async () => {
		const { emu } = await start({ tenant: 'empty' });
		try {
			emu.data.add('ttpUrl', 4, { sameTimestamp: true, malicious: true });
			emu.data.add('ttpUrl', 1, { lateByMs: HOUR });
			const recs = emu.data.records('ttpUrl');
			assert.equal(recs.length, 5);
			assert.equal(recs[0].date, mcDate(T0 - HOUR), 'the late record sorts first');
			assert.deepEqual(new Set(recs.slice(1).map((r) => r.date)), new Set([mcDate(T0)]));
			assert.ok(recs.slice(1).every((r) => r.scanResult === 'malicious'));
			assert.ok(recs.every((r) => typeof emu.data.idOf(r) === 'number'));
			assert.equal(emu.data.siemFiles().length, 0);
		} finally {
			await emu.close();
		}
	});
});

describe('network realism: latency and TLS', () => {
	it('waits the fixed latency before each response, and records it', async () => {
		const { emu } = await start({ latency: 120 });
		try {
			const started = performance.now();
			const r = await fetch(`${emu.baseUrl}/no-such-path`);
			await r.arrayBuffer();
			// setTimeout may fire up to a millisecond early; the point is that it waited at all.
			assert.ok(performance.now() - started >= 118, 'the response came after the latency');
			assert.equal(emu.requests.at(-1)?.latencyMs, 120);
		} finally {
			await emu.close();
		}
	});

	it('records how many requests of a family were in flight when each arrived', async () => {
		const { emu } = await start({ latency: 30 });
		try {
			const get = async (path: string) =>
				await (await fetch(`${emu.baseUrl}${path}`)).arrayBuffer();
			await Promise.all([get('/siem-files/a.json.gz'), get('/siem-files/b.json.gz')]);
			await get('/siem-files/c.json.gz');
			await get('/no-such-path');
			assert.deepEqual(
				emu.requests.map((r) => [r.api, r.inFlight]).sort(),
				[
					['file', 1],
					['file', 1],
					['file', 2],
					['other', 1],
				],
				'two at once, then one by one; each family counted on its own',
			);
		} finally {
			await emu.close();
		}
	});

	it('draws jitter from the seed: same seed, same delays, all within [ms, ms + jitter]', async () => {
		const delays = async (seed: number) => {
			const { emu } = await start({ seed, latency: { ms: 5, jitterMs: 20 } });
			try {
				for (let i = 0; i < 8; i++)
					await (await fetch(`${emu.baseUrl}/no-such-path`)).arrayBuffer();
				return emu.requests.map((r) => r.latencyMs ?? -1);
			} finally {
				await emu.close();
			}
		};
		const [a, b, c] = [await delays(3), await delays(3), await delays(4)];
		assert.deepEqual(a, b);
		assert.notDeepEqual(a, c);
		assert.ok(
			a.every((d) => d >= 5 && d <= 25),
			`delays ${a.join(', ')}`,
		);
		assert.ok(new Set(a).size > 4, 'the delays vary');
	});

	it('serves HTTPS with a certificate made at start, trusted only by a client given emu.ca', async () => {
		const { emu } = await start({ tls: true });
		try {
			assert.match(emu.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
			assert.ok(
				emu.ca && new X509Certificate(emu.ca).checkIP('127.0.0.1'),
				'the certificate names 127.0.0.1',
			);
			const post = (ca?: string) =>
				new Promise<number>((resolve, reject) => {
					const { clientId, clientSecret } = emu.keys.v2;
					const body = new URLSearchParams({
						client_id: clientId,
						client_secret: clientSecret,
						grant_type: 'client_credentials',
					}).toString();
					const req = httpsRequest(
						`${emu.baseUrl}/oauth/token`,
						{
							method: 'POST',
							ca,
							headers: { 'content-type': 'application/x-www-form-urlencoded' },
						},
						(res) => {
							res.resume();
							res.on('end', () => resolve(res.statusCode ?? 0));
						},
					);
					req.on('error', reject);
					req.end(body);
				});
			assert.equal(await post(emu.ca), 200);
			await assert.rejects(
				post(),
				/self.signed certificate/i,
				'a client without emu.ca refuses it: nothing process-wide trusts it',
			);
		} finally {
			await emu.close();
		}
	});

	it("lets n8n's kind of client (own https.Agent, no ca option) reach it once the CA is trusted in-process, and only then", async () => {
		const { emu } = await start({ tls: true, now: Date.now });
		// A fresh agent per request, as n8n's helpers make: no `ca` option, no reused socket.
		const get = (url: string) =>
			new Promise<number>((resolve, reject) => {
				httpsRequest(url, { agent: new Agent() }, (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				})
					.on('error', reject)
					.end();
			});
		try {
			const untrust = trustCaInProcess(emu.ca!);
			try {
				const bearer = await token(emu);
				const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
				const range = `dateRangeStartsAt=${day(Date.now() - 6 * DAY)}&dateRangeEndsAt=${day(Date.now())}`;
				const list = await v2(
					emu,
					bearer,
					`/siem/v1/batch/events/cg?type=url%20protect&${range}&pageSize=10`,
				);
				assert.equal(list.status, 200);
				const url = String((list.json?.value as Json[])[0]?.url);
				assert.match(
					url,
					/^https:\/\/127\.0\.0\.1:\d+\/siem-files\//,
					'file URLs keep the https origin',
				);
				assert.equal(await get(url), 200);
			} finally {
				untrust();
			}
			await assert.rejects(
				get(`${emu.baseUrl}/oauth/token`),
				/self.signed certificate/i,
				'untrusted again once undone',
			);
		} finally {
			await emu.close();
		}
	});
});
