/**
 * The HTTP server: one pipeline for every request.
 *
 *   record -> route -> early fault (status / reset / slow) -> authenticate -> quota -> handler
 *          -> send (a 'truncated' fault cuts the body here)
 *
 * API 1.0 and 2.0 share one listener, like Mimecast shares paths between them: the
 * Authorization scheme (MC or Bearer) decides how a request is authenticated.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { verifyV1, type V1Keys } from './auth-v1';
import { OAuthServer, type V2Keys } from './auth-v2';
import { Clock } from './clock';
import { DataStore } from './data/store';
import { resolveTenant } from './data/tenant';
import { CODES, failEnvelope, okEnvelope, v2Fail, type Reply } from './envelope';
import { earlyKinds, faultReply, Faults, type Family } from './faults';
import { ActionState, registerActionRoutes } from './actions';
import { PAGED_ENDPOINTS } from './log-endpoints';
import { handlePaged } from './paged-endpoint';
import { Rng } from './prng';
import { RateLimiter } from './rate-limit';
import { handleSiemV1 } from './siem-v1';
import { handleBatchFile, handleBatchList, handleStream, type SiemV2Deps } from './siem-v2';
import { CI_BATCH_TYPES } from './data/siem-v2-events';
import { ThreatFeed } from './threat-feed';
import { selfSignedCertificate } from './tls';
import { TokenCodec } from './tokens';
import type { Emulator, EmulatorOptions, FaultKind, FaultSpec, RecordedRequest } from './types';

/** API 1.0 grids, served as path prefixes (`/us/api/...` stands for https://us-api.mimecast.com). */
export const REGIONS = ['eu', 'de', 'us', 'usb', 'ca', 'za', 'au', 'je', 'uspcom'] as const;
const REGION_RE = new RegExp(`^/(${REGIONS.join('|')})(/api/.*)$`);
const MAX_BODY = 10 * 1024 * 1024;

/** Everything a handler needs to know about one request. */
class RequestContext {
	private random: FaultSpec | undefined;
	private randomUsed = false;

	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly path: string,
		readonly region: string | undefined,
		readonly params: URLSearchParams,
		readonly body: Buffer,
		readonly family: Family,
		readonly record: RecordedRequest,
		private readonly faults: Faults,
	) {
		this.random = faults.roll(path);
	}

	/** The fault of one of `kinds` this request should suffer, if any (random first, then queued). */
	takeFault(kinds: readonly FaultKind[]): FaultSpec | undefined {
		let spec: FaultSpec | undefined;
		if (this.random && !this.randomUsed && kinds.includes(this.random.kind)) {
			this.randomUsed = true;
			this.faults.count(this.random.kind);
			spec = this.random;
		} else {
			spec = this.faults.take(this.path, kinds);
		}
		if (spec)
			this.record.fault = this.record.fault ? `${this.record.fault},${spec.kind}` : spec.kind;
		return spec;
	}
}

type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers))
		if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

function parseForRecord(body: Buffer, contentType: string): unknown {
	if (body.length === 0) return undefined;
	const text = body.toString('utf8');
	if (contentType.startsWith('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(text));
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) req.destroy(new Error('request body too large'));
			else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function deriveKeys(seed: number): { v1: V1Keys; v2: V2Keys; secret: Buffer } {
	const r = Rng.derive(seed, 'keys');
	return {
		v1: {
			appId: r.uuid(),
			appKey: r.uuid(),
			accessKey: `mYtOL3XZCOwG96BOiFTZRu${r.base64url(64)}`,
			secretKey: r.bytes(64).toString('base64'),
		},
		v2: { clientId: r.base64url(32), clientSecret: r.base64url(32) },
		secret: r.bytes(32),
	};
}

export class EmulatorServer implements Emulator {
	baseUrl = '';
	readonly ca: string | undefined;
	readonly keys: Emulator['keys'];
	readonly requests: RecordedRequest[] = [];
	readonly faults: Faults;
	readonly data: DataStore;
	readonly threatFeed: ThreatFeed;
	readonly actions: ActionState;

	private readonly clock: Clock;
	private readonly server: Server;
	private readonly oauth: OAuthServer;
	private readonly limiter: RateLimiter;
	private readonly codec: TokenCodec;
	private readonly secret: Buffer;
	private readonly region: string;
	private readonly v1Keys: V1Keys;
	private readonly api = new Map<string, (ctx: RequestContext, json: unknown) => Reply>();
	/** Milliseconds to wait before handling a request (options.latency), seeded. */
	private readonly delay: () => number;
	/** Requests received and not yet answered (or dropped), per family: RecordedRequest.inFlight. */
	private readonly open: Partial<Record<Family, number>> = {};

	constructor(private readonly options: EmulatorOptions = {}) {
		const seed = options.seed ?? 1;
		this.clock = new Clock(options.now ?? Date.now);
		const keys = deriveKeys(seed);
		this.v1Keys = keys.v1;
		this.keys = { v1: { ...keys.v1 }, v2: { ...keys.v2 } };
		this.secret = keys.secret;
		this.codec = new TokenCodec(keys.secret);
		this.region = options.region ?? 'eu';
		this.faults = new Faults(seed);
		this.data = new DataStore(seed, this.clock, resolveTenant(options.tenant));
		this.oauth = new OAuthServer(keys.v2, this.clock, options.tokenTtlSeconds ?? 1799);
		this.limiter = new RateLimiter(options.rateLimit);

		for (const ep of PAGED_ENDPOINTS) {
			this.api.set(ep.path, (ctx, json) =>
				handlePaged(ep, json, {
					store: this.data,
					codec: this.codec,
					now: this.clock.now(),
					takeFault: (k) => ctx.takeFault(k),
					emptyLastPage: options.emptyLastPage === true,
				}),
			);
		}
		this.actions = new ActionState(seed, this.clock, this.data);
		registerActionRoutes(this.actions, (path, handler) =>
			this.api.set(path, (_ctx, json) => handler(json)),
		);
		this.api.set('/api/audit/get-categories', () =>
			okEnvelope(JSON.stringify(this.data.categories())),
		);
		// What the credentials' test calls: it needs no log permission, only valid keys.
		this.api.set('/api/account/get-account', () =>
			okEnvelope(
				JSON.stringify([
					{
						accountName: 'Northwind (emulator)',
						accountCode: 'CUSA00E00',
						region: this.region,
						gateway: true,
						archive: true,
					},
				]),
			),
		);
		// Seeded like attachment logs, halved: the feed lists the malicious files among them.
		const tenant = resolveTenant(options.tenant);
		this.threatFeed = new ThreatFeed(
			seed,
			this.clock,
			Math.round(tenant.ttpAttachment / 2),
			tenant.days,
			this.codec,
		);
		this.api.set('/api/ttp/threat-intel/get-feed', (ctx, json) =>
			this.threatFeed.handle(json, { now: this.clock.now(), takeFault: (k) => ctx.takeFault(k) }),
		);
		this.api.set('/api/audit/get-siem-logs', (ctx, json) =>
			handleSiemV1(json, {
				store: this.data,
				secret: this.secret,
				requestId: String(ctx.req.headers['x-mc-req-id'] ?? randomUUID()),
				takeFault: (k) => ctx.takeFault(k),
			}),
		);

		const handler = (req: IncomingMessage, res: ServerResponse) => {
			this.handle(req, res).catch((err: unknown) => {
				process.stderr.write(
					`[mimecast-emulator] internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
				);
				if (!res.headersSent && !res.destroyed)
					this.send(
						undefined,
						res,
						failEnvelope(500, [{ code: CODES.internal, message: 'Emulator error' }]),
					);
			});
		};
		const certificate = options.tls ? selfSignedCertificate() : undefined;
		this.ca = certificate?.cert;
		this.server = certificate ? createHttpsServer(certificate, handler) : createServer(handler);
		this.server.keepAliveTimeout = 5000;
		const latency = typeof options.latency === 'number' ? { ms: options.latency } : options.latency;
		const jitter = Rng.derive(seed, 'latency');
		this.delay = () =>
			latency ? latency.ms + (latency.jitterMs ? jitter.float() * latency.jitterMs : 0) : 0;
	}

	async listen(): Promise<this> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
		});
		const { port } = this.server.address() as AddressInfo;
		this.baseUrl = `${this.ca ? 'https' : 'http'}://127.0.0.1:${port}`;
		return this;
	}

	regionBaseUrl(region: string): string {
		return `${this.baseUrl}/${region}`;
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	setClock(now: () => number): void {
		this.clock.set(now);
	}

	async close(): Promise<void> {
		this.data.stopGrowth();
		this.threatFeed.stopGrowth();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	// ---- pipeline ---------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = performance.now();
		const url = new URL(req.url ?? '/', 'http://emulator');
		const rawPath = url.pathname;
		const m = REGION_RE.exec(rawPath);
		const path = m ? m[2] : rawPath;
		let body: Buffer;
		try {
			body = await readBody(req);
		} catch {
			return; // the client went away mid-request; nothing to answer
		}
		const headers = flattenHeaders(req);
		const family = this.familyOf(path, headers.authorization ?? '');
		const inFlight = (this.open[family] = (this.open[family] ?? 0) + 1);
		res.once('close', () => (this.open[family] = (this.open[family] ?? 1) - 1));
		const wait = this.delay();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
		const query: Record<string, string> = {};
		for (const key of new Set(url.searchParams.keys()))
			query[key] = url.searchParams.getAll(key).join(',');
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: rawPath,
			query,
			headers,
			body: parseForRecord(body, headers['content-type'] ?? ''),
			api: family,
			status: 0,
			at: this.clock.now(),
			...(wait > 0 ? { latencyMs: wait } : {}),
			inFlight,
		};
		this.requests.push(record);
		if (this.options.logRequests)
			res.on('close', () => this.log(record, performance.now() - started));

		const ctx = new RequestContext(
			req,
			res,
			path,
			m?.[1],
			url.searchParams,
			body,
			family,
			record,
			this.faults,
		);
		const route = this.route(ctx);
		if (!route) return this.send(ctx, res, this.notFound(ctx));
		if (typeof route === 'object') return this.send(ctx, res, route);

		const early = ctx.takeFault(earlyKinds(family));
		if (early?.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		if (early?.kind === 'slow')
			await new Promise((r) => setTimeout(r, early.delayMs ?? 1000).unref());
		else if (early) {
			const reply = faultReply(early, family, this.limiter.limit, path.startsWith('/api/'));
			if (reply) return this.send(ctx, res, reply);
		}
		const reply = await route(ctx);
		if (ctx.takeFault(['resetAfterApplying'])) {
			// The handler ran (a write is applied), then the answer is lost: the client cannot know.
			req.socket.destroy();
			return;
		}
		this.send(ctx, res, reply);
	}

	private familyOf(path: string, authorization: string): Family {
		if (path === '/oauth/token') return 'oauth';
		if (path.startsWith('/siem-files/')) return 'file';
		if (path.startsWith('/siem/')) return 'v2';
		if (path.startsWith('/api/')) return /^Bearer\s/i.test(authorization) ? 'v2' : 'v1';
		return 'other';
	}

	/** The handler for a request, a ready error reply (wrong method), or undefined (no such path). */
	private route(ctx: RequestContext): Handler | Reply | undefined {
		const { path, req } = ctx;
		const method = req.method ?? 'GET';
		const only = (allowed: string, h: Handler): Handler | Reply =>
			method === allowed
				? h
				: {
						...failEnvelope(405, [
							{ code: CODES.methodNotAllowed, message: `Use ${allowed} for ${path}` },
						]),
						headers: { 'content-type': 'application/json', allow: allowed },
					};
		if (path === '/oauth/token') return only('POST', () => this.oauth.issue(req.headers, ctx.body));
		if (this.api.has(path)) return only('POST', (c) => this.authenticated(c, () => this.runApi(c)));
		if (path === '/siem/v1/batch/events/cg')
			return only('GET', (c) =>
				this.authenticated(c, () => handleBatchList(c.params, this.v2Deps(c))),
			);
		if (path === '/siem/v1/batch/events/ci')
			return only('GET', (c) =>
				this.authenticated(c, () => handleBatchList(c.params, this.v2Deps(c), CI_BATCH_TYPES)),
			);
		if (path === '/siem/v1/events/cg')
			return only('GET', (c) =>
				this.authenticated(c, () => handleStream(c.params, this.v2Deps(c))),
			);
		if (path.startsWith('/siem-files/'))
			return only('GET', (c) => handleBatchFile(path, c.params, this.v2Deps(c)));
		return undefined;
	}

	private notFound(ctx: RequestContext): Reply {
		const message = `No endpoint ${ctx.path}`;
		return ctx.family === 'v2'
			? v2Fail(404, 'not_found', message)
			: failEnvelope(404, [{ code: CODES.notFound, message }]);
	}

	private v2Deps(ctx: RequestContext): SiemV2Deps {
		return {
			store: this.data,
			codec: this.codec,
			now: this.clock.now(),
			origin: `${this.ca ? 'https' : 'http'}://${ctx.req.headers.host ?? new URL(this.baseUrl).host}`,
			fileUrlTtlMs: this.options.fileUrlTtlMs ?? 60_000,
			takeFault: (k) => ctx.takeFault(k),
		};
	}

	/** Authenticates (MC signature or Bearer), applies the quota, then runs `next`. */
	private authenticated(ctx: RequestContext, next: () => Reply): Reply {
		const authorization = String(ctx.req.headers.authorization ?? '');
		const auth =
			ctx.family === 'v2'
				? this.oauth.verify(authorization)
				: verifyV1(
						ctx.req.headers,
						ctx.record.path,
						ctx.region,
						this.v1Keys,
						this.region,
						this.clock.now(),
					);
		if (!auth.ok) return auth.reply;
		const quota = this.limiter.consume(auth.identity);
		const reply = quota.allowed
			? next()
			: ctx.family === 'v2'
				? v2Fail(429, 'rate_limit_exceeded', 'Quota exceeded: the request was not executed', true)
				: failEnvelope(429, [
						{
							code: CODES.rateLimited,
							message: 'Quota exceeded: the request was not executed',
							retryable: true,
						},
					]);
		Object.assign(reply.headers, quota.headers);
		return reply;
	}

	private runApi(ctx: RequestContext): Reply {
		let json: unknown = {};
		if (ctx.body.length > 0) {
			try {
				json = JSON.parse(ctx.body.toString('utf8'));
			} catch {
				return failEnvelope(400, [
					{ code: CODES.malformedRequest, message: 'The request body is not valid JSON' },
				]);
			}
		}
		const handler = this.api.get(ctx.path);
		return handler ? handler(ctx, json) : this.notFound(ctx);
	}

	private send(ctx: RequestContext | undefined, res: ServerResponse, reply: Reply): void {
		if (res.destroyed || res.headersSent) return;
		const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
		if (ctx) ctx.record.status = reply.status;
		res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
		if (ctx?.takeFault(['truncated'])) {
			// Promise the whole body, deliver half, then hang up: the client sees a short read.
			res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
			return;
		}
		res.end(body);
	}

	private log(r: RecordedRequest, ms: number): void {
		const time = new Date(this.clock.now()).toISOString().slice(11, 23);
		const status = r.status === 0 ? 'RESET' : String(r.status);
		process.stderr.write(
			`[mimecast-emulator] ${time} ${r.method} ${r.path} ${r.api} ${status} ${ms.toFixed(1)}ms${r.fault ? ` fault=${r.fault}` : ''}\n`,
		);
	}
}
