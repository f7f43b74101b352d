/**
 * Fault injection. Faults are queued (inject) or drawn at a seeded rate (random) and applied
 * where they make sense: status faults before the request runs, content faults where the
 * content is produced (a SIEM file, a page, the bytes on the wire). A queued fault waits for a
 * request it can apply to, so `inject({kind: 'zipSlip'})` hits the next compressed SIEM call
 * even if audit calls come first.
 */
import {
	CODES,
	failEnvelope,
	gatewayHtml,
	jsonReply,
	s3Error,
	v2Fail,
	type Reply,
} from './envelope';
import { Rng } from './prng';
import type { FaultController, FaultKind, FaultSpec, RandomFaults } from './types';

export type Family = 'v1' | 'v2' | 'oauth' | 'file' | 'other';

/** What a log endpoint can answer instead of its records, either API. */
const LOG_CALL_FAULTS: readonly FaultKind[] = [
	'429',
	'500',
	'502',
	'503',
	'reset',
	'slow',
	'failOn200',
	'418',
	'401',
	'403',
	'invalidSignature',
];

export const FAULT_KINDS: readonly FaultKind[] = [
	...LOG_CALL_FAULTS,
	'truncated',
	'corruptSiemFile',
	'expiredFileUrl',
	'zipSlip',
	'zipBomb',
	'emptyPageWithNext',
	'badPageShape',
	'freshNextForever',
	'resetAfterApplying',
];

/** Faults decided before the request runs; at most one per request. */
const EARLY: Readonly<Record<Family, readonly FaultKind[]>> = {
	v1: LOG_CALL_FAULTS,
	v2: LOG_CALL_FAULTS,
	oauth: ['429', '500', '502', '503', 'reset', 'slow', '401', '403', 'invalidSignature'],
	file: ['500', '502', '503', 'reset', 'slow', '403', 'expiredFileUrl'],
	other: ['500', '502', '503', 'reset', 'slow'],
};

export const earlyKinds = (family: Family): readonly FaultKind[] => EARLY[family];

const matches = (pattern: string | RegExp | undefined, path: string): boolean => {
	// Default scope: every path but the token endpoint, so a queued '500' meant for a log call is
	// not eaten by the client's token fetch. Target /oauth/token explicitly to fault it.
	if (pattern === undefined) return path !== '/oauth/token';
	return typeof pattern === 'string' ? pattern === path : pattern.test(path);
};

interface Queued {
	spec: FaultSpec;
	left: number;
}

export class Faults implements FaultController {
	private queue: Queued[] = [];
	private randomOpts: RandomFaults | null = null;
	private tally: Record<string, number> = {};
	private readonly rng: Rng;

	constructor(seed: number) {
		this.rng = Rng.derive(seed, 'faults');
	}

	inject(spec: FaultSpec): void {
		if (!FAULT_KINDS.includes(spec.kind))
			throw new Error(`unknown fault kind ${String(spec.kind)}`);
		this.queue.push({ spec, left: spec.times ?? 1 });
	}

	random(opts: RandomFaults | null): void {
		if (opts) {
			for (const k of opts.kinds)
				if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind ${String(k)}`);
		}
		this.randomOpts = opts && opts.kinds.length > 0 && opts.rate > 0 ? opts : null;
	}

	counts(): Record<string, number> {
		return { ...this.tally };
	}

	clear(): void {
		this.queue = [];
		this.randomOpts = null;
		this.tally = {};
	}

	/** One draw per request: the random fault (if any) this request carries. */
	roll(path: string): FaultSpec | undefined {
		const r = this.randomOpts;
		if (!r || !matches(r.path, path) || !this.rng.chance(r.rate)) return undefined;
		return { kind: this.rng.pick(r.kinds), resetMs: r.resetMs, delayMs: r.delayMs };
	}

	/** Takes the first queued fault of one of `kinds` matching `path`, counting it. */
	take(path: string, kinds: readonly FaultKind[]): FaultSpec | undefined {
		const i = this.queue.findIndex(
			(q) => kinds.includes(q.spec.kind) && matches(q.spec.path, path),
		);
		if (i < 0) return undefined;
		const q = this.queue[i];
		if (--q.left <= 0) this.queue.splice(i, 1);
		this.count(q.spec.kind);
		return q.spec;
	}

	count(kind: FaultKind): void {
		this.tally[kind] = (this.tally[kind] ?? 0) + 1;
	}
}

/**
 * The canned response for a status fault, shaped like the real thing for each family. On the
 * shared /api paths, the 2.0 gateway answers auth and quota problems in its own shape
 * (`fail[].code`), while what the log service itself answers keeps the 1.0 envelope.
 */
export function faultReply(
	spec: FaultSpec,
	family: Family,
	rateLimit: number,
	servicePath: boolean,
): Reply | undefined {
	const { code, message } = spec;
	const gateway2 = family === 'v2';
	const service2 = family === 'v2' && !servicePath;
	const envelope = (
		v2: boolean,
		status: number,
		v1Code: string,
		v2Code: string,
		text: string,
		retryable = false,
	): Reply =>
		v2
			? v2Fail(status, code ?? v2Code, message ?? text, retryable)
			: failEnvelope(status, [{ code: code ?? v1Code, message: message ?? text, retryable }]);
	const oauth = (status: number, error: string, description: string): Reply =>
		jsonReply(status, { error: code ?? error, error_description: message ?? description });
	switch (spec.kind) {
		case '429': {
			const reply =
				family === 'oauth'
					? oauth(429, 'rate_limited', 'Too many requests')
					: envelope(
							gateway2,
							429,
							CODES.rateLimited,
							'rate_limit_exceeded',
							'Quota exceeded: the request was not executed',
							true,
						);
			reply.headers['x-ratelimit-limit'] = String(rateLimit);
			reply.headers['x-ratelimit-remaining'] = '0';
			reply.headers['x-ratelimit-reset'] = String(spec.resetMs ?? 1000);
			return reply;
		}
		case '500':
			if (family === 'file')
				return s3Error(
					500,
					'InternalError',
					message ?? 'We encountered an internal error. Please try again.',
				);
			if (family === 'oauth') return oauth(500, 'server_error', 'Internal error');
			return envelope(
				service2,
				500,
				CODES.internal,
				'internal_server_error',
				'An internal error occurred',
				true,
			);
		case '502':
		case '503':
			return gatewayHtml(Number(spec.kind) as 502 | 503);
		case '418':
			return envelope(
				service2,
				418,
				CODES.bindingExpired,
				'binding_expired',
				'The access key binding has expired: create new keys or set the authentication profile TTL to never expire',
			);
		case '401':
			if (family === 'oauth') return oauth(401, 'invalid_client', 'Client authentication failed');
			return envelope(
				gateway2,
				401,
				CODES.developerKey,
				'token_expired',
				gateway2 ? 'The access token has expired' : 'The application is not authorised',
			);
		case 'invalidSignature':
			if (family === 'oauth') return oauth(401, 'invalid_client', 'Client authentication failed');
			return envelope(
				gateway2,
				401,
				CODES.invalidSignature,
				'token_verification_failed',
				gateway2 ? 'Unauthorized Request' : '0004 Invalid Signature',
			);
		case '403':
			if (family === 'file') return s3Error(403, 'AccessDenied', message ?? 'Access Denied');
			if (family === 'oauth') return oauth(403, 'access_denied', 'Forbidden');
			return envelope(
				gateway2,
				403,
				CODES.forbidden,
				'forbidden',
				'The user does not have permission for this endpoint',
			);
		case 'failOn200':
			return envelope(
				service2,
				200,
				CODES.internal,
				CODES.internal,
				'The request could not be completed',
				true,
			);
		case 'expiredFileUrl':
			return s3Error(403, 'AccessDenied', message ?? 'Request has expired');
		default:
			return undefined;
	}
}
