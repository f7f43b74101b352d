import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { resolveBaseUrl } from './baseUrl';
import { firstFail, inputError, mimecastApiError, networkError, serverError } from './errors';
import { redirectRefused, unexpectedAnswer } from './odd';
import type { RedirectDecision } from './redirects';
import { decideRedirect } from './redirects';
import { refuseRepeat, wasNeverSent } from './repeatPolicy';
import type { RetryPolicy } from './retryPolicy';
import {
	backoffDelay,
	DEFAULT_RETRY_POLICY,
	isNetworkError,
	rateLimitResetWait,
} from './retryPolicy';
import { knownSecrets } from './secrets';
import { responseShapeError } from './shape';
import type { RawResponse } from './send';
import { sendOnce } from './send';
import type {
	AuthenticationMode,
	MimecastCall,
	MimecastContext,
	MimecastEnvelope,
	MimecastResponse,
} from './types';

/**
 * The one way this package talks to Mimecast: signs through the credential, never lets a
 * redirect carry it elsewhere, retries by the policy, and turns every failure, including a
 * `fail[]` inside an HTTP 200, into an error that says what to do. Loops: attempts are capped
 * by the policy, redirect hops by MAX_REDIRECTS, each attempt's time by the policy. Long: it
 * is the retry policy's table of cases, read best in one place.
 */
export async function mimecastRequest<T = IDataObject>(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<MimecastResponse<T>> {
	const url = call.presignedUrl ?? `${await resolveBaseUrl(ctx, auth)}${call.path}`;
	const host = new URL(url).host;
	// Errors that quote the server are built with the secrets at hand, to redact them.
	const fail = async <E extends Error>(build: (secrets: string[]) => E): Promise<E> =>
		build(await knownSecrets(ctx, auth));
	let waited = 0;
	let nonJsonSeen = false;
	/** An earlier attempt of this call may have reached Mimecast (see repeatPolicy.ts). */
	let maybeApplied = false;
	for (let attempt = 1; ; attempt++) {
		/** Sleeps and says "try again" while the policy allows another attempt after `wait`. */
		const retryAfter = async (wait: number): Promise<boolean> => {
			if (attempt >= policy.maxAttempts || !canWait(policy, waited, wait, call)) return false;
			waited += wait;
			await sleep(wait);
			return true;
		};

		let response: RawResponse;
		try {
			response = await exchange(ctx, auth, call, url, policy);
		} catch (error) {
			if (error instanceof RedirectStop)
				throw await fail((s) => redirectRefused(ctx, call, error.status, error.decision, host, s));
			if (!isNetworkError(error) && !wasNeverSent(error))
				throw await fail((s) => sendError(ctx, auth, call, error, s));
			if (!wasNeverSent(error)) maybeApplied = refuseRepeat(ctx, call, codeOf(error));
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw networkError(ctx, call, attempt, error, host);
		}

		const body = call.binary ? decodeJsonIfAny(response) : parseJsonBody(response.body);
		const status = effectiveStatus(response.statusCode, body);
		const failed = firstFail(body);
		const failure = { status, code: failed?.code, message: failed?.message };

		if (status === 429) {
			const wait = rateLimitResetWait(policy, response.headers['x-ratelimit-reset']);
			if (await retryAfter(wait)) continue;
			const error = await fail((s) => mimecastApiError(ctx, failure, call, auth, s));
			error.context.retryAfterMs = wait;
			throw error;
		}
		if (status >= 500) {
			maybeApplied = refuseRepeat(ctx, call, `HTTP ${status}`);
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw await fail((s) => mimecastApiError(ctx, failure, call, auth, s));
		}
		if (status < 300 && !call.binary && body === undefined && isNotJson(response)) {
			// A page from a proxy or a captive portal (or a 204), not a cut-off answer: one more try
			// covers a portal that lets the second request through; more would only hammer it.
			if (!nonJsonSeen) maybeApplied = refuseRepeat(ctx, call, 'an answer that is not JSON');
			if (!nonJsonSeen && (await retryAfter(backoffDelay(policy, attempt)))) {
				nonJsonSeen = true;
				continue;
			}
			throw await fail((s) => unexpectedAnswer(ctx, call, response, host, s));
		}
		if (status < 300 && (call.binary ? isCutOff(response) : body === undefined)) {
			// A 2xx with an unreadable or short body is a cut-off response: as transient as a
			// 5xx. n8n hands a binary body cut off after the headers back as a plain 200 with
			// fewer bytes; taken as it is, a SIEM file would read as empty and be lost.
			maybeApplied = refuseRepeat(ctx, call, 'a cut-off answer');
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw networkError(ctx, call, attempt, { code: 'a cut-off response' }, host);
		}
		if (call.presignedUrl && (status === 403 || status === 404)) {
			// Pre-signed SIEM file links expire: the caller lists the batch again for fresh ones.
			const error = await fail((s) =>
				mimecastApiError(ctx, { status, code: 'file_link_expired' }, call, auth, s),
			);
			error.context.fileLinkExpired = true;
			throw error;
		}
		if (
			status < 300 &&
			failed?.message !== undefined &&
			call.noDataMessages?.includes(failed.message)
		) {
			return { status, headers: response.headers, body: body as T, noData: true };
		}
		if (status >= 300 || failed) {
			if (failed?.retryable && (await retryAfter(backoffDelay(policy, attempt)))) continue;
			const shown = { ...failure, status: status >= 300 ? status : 200 };
			const error = await fail((s) => mimecastApiError(ctx, shown, call, auth, s));
			// A write's "not found" after an attempt that may have been applied can mean "done".
			if (maybeApplied) error.context.afterUncertainAttempt = true;
			throw error;
		}
		const problem = call.validate?.(body);
		if (problem !== undefined) {
			// Records not where the endpoint puts them: as transient as a cut-off body (shape.ts).
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw responseShapeError(ctx, call, problem, attempt);
		}
		return {
			status,
			headers: response.headers,
			body: (call.binary ? toBytes(response.body) : body) as T,
		};
	}
}

/** A redirect the transport will not follow; turned into an error by the caller. */
class RedirectStop extends Error {
	constructor(
		readonly status: number,
		readonly decision: Exclude<RedirectDecision, { follow: true }>,
	) {
		super('redirect not followed');
	}
}

/**
 * One attempt: the request and the same-origin redirects it may follow (bounded). The attempt
 * has a time limit over its whole length, body included: n8n's `timeout` only measures
 * silence, so a server trickling a byte now and then would hold it for ever.
 */
async function exchange(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall,
	url: string,
	policy: RetryPolicy,
): Promise<RawResponse> {
	const withCredentials = call.presignedUrl === undefined;
	const limit =
		call.deadline === undefined
			? policy.attemptTimeoutMs
			: Math.min(policy.attemptTimeoutMs, Math.max(1_000, call.deadline - nowMs()));
	const signal = AbortSignal.timeout(limit);
	const origin = new URL(url).origin;
	let options = requestOptions(call, url, policy);
	for (let hops = 0; ; hops++) {
		const response = await withinLimit(
			sendOnce(ctx, auth, { ...options, abortSignal: signal }, withCredentials),
			signal,
			limit,
		);
		const decision = decideRedirect(
			response.statusCode,
			response.headers.location,
			options.url,
			origin,
			withCredentials,
			hops,
		);
		if (decision === undefined) return response;
		if (!decision.follow) throw new RedirectStop(response.statusCode, decision);
		// The Location carries its own query; the call's is not added again.
		options = { ...options, url: decision.url, qs: undefined };
	}
}

/**
 * Settles with `request`, or fails when `signal` fires first. n8n replaces the abort signal of
 * authenticated requests with the execution's own, so the limit is enforced here; such a
 * request is then abandoned (its socket closes when the server stops or n8n cancels).
 */
async function withinLimit<T>(request: Promise<T>, signal: AbortSignal, limit: number): Promise<T> {
	const timedOut = () =>
		Object.assign(new Error(`no complete answer within ${Math.round(limit / 1000)} s`), {
			code: 'ETIMEDOUT',
		});
	request.catch(() => undefined);
	const expired = new Promise<never>((_, reject) =>
		signal.addEventListener('abort', () => reject(timedOut()), { once: true }),
	);
	expired.catch(() => undefined);
	try {
		return await Promise.race([request, expired]);
	} catch (error) {
		throw signal.aborted ? timedOut() : error;
	}
}

function requestOptions(call: MimecastCall, url: string, policy: RetryPolicy): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: call.method ?? 'POST',
		url,
		qs: call.qs,
		body: call.body,
		json: !call.binary,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: policy.timeoutMs,
		headers: {
			Accept: call.binary ? 'application/octet-stream, application/json' : 'application/json',
		},
	};
	if (call.binary) options.encoding = 'arraybuffer';
	return options;
}

/** A request that failed before Mimecast answered: a credential n8n could not use, mostly. */
function sendError(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall,
	error: unknown,
	secrets: string[],
) {
	if (isCredentialInputError(error))
		return inputError(ctx, messageOf(error), credentialHint(auth), call.itemIndex);
	if (/OAuth2 access token/i.test(messageOf(error))) {
		// n8n's token error quotes the token endpoint's answer, which may echo what it was sent.
		return serverError(
			ctx,
			call,
			{
				status: 401,
				message: 'Mimecast API 2.0 refused the client credentials',
				description: `Could not get an access token: ${messageOf(error)
					.replace(/^.*?token:\s*/i, '')
					.replace(
						/[.\s]+$/,
						'',
					)}. Check the credential's Client ID, Client Secret and Region (the token comes from {base URL}/oauth/token).`,
			},
			secrets,
		);
	}
	return serverError(
		ctx,
		call,
		{
			status: 0,
			message: `Could not send the request for ${call.operation}: ${messageOf(error)}`,
			description: 'Check the credential and the network path to Mimecast.',
		},
		secrets,
	);
}

/** Fewer bytes than Content-Length declared (unless the body was decoded on the way). */
function isCutOff(response: RawResponse): boolean {
	const declared = Number(response.headers['content-length']);
	const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
	return !encoded && Number.isFinite(declared) && toBytes(response.body).length < declared;
}

/** A body that is there but is not JSON, and was not declared as JSON (a cut-off JSON body is). */
function isNotJson(response: RawResponse): boolean {
	if (response.statusCode === 204 || response.statusCode === 205) return true;
	const type = response.headers['content-type'] ?? '';
	return !/json/i.test(type) && toBytes(response.body).length > 0;
}

function toBytes(body: unknown): Uint8Array {
	if (body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	if (typeof body === 'string') return Buffer.from(body, 'binary');
	if (body === undefined || body === null) return new Uint8Array(0);
	return Buffer.from(JSON.stringify(body), 'utf8');
}

function canWait(policy: RetryPolicy, waited: number, wait: number, call: MimecastCall): boolean {
	if (waited + wait > policy.maxTotalWaitMs) return false;
	return call.deadline === undefined || nowMs() + wait < call.deadline;
}

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/** SIEM answers files as octet-stream but errors and "caught up" as JSON. */
function decodeJsonIfAny(response: RawResponse): unknown {
	const type = response.headers['content-type'] ?? '';
	if (!type.includes('json')) return response.statusCode >= 300 ? {} : null;
	const raw = response.body;
	const text =
		typeof raw === 'string'
			? raw
			: Buffer.isBuffer(raw) || raw instanceof Uint8Array
				? Buffer.from(raw).toString('utf8')
				: JSON.stringify(raw);
	return parseJsonBody(text) ?? {};
}

/**
 * Mimecast can answer HTTP 200 with a failing `meta.status` and an empty `fail[]` (R7 fixtures:
 * 403 on find-groups, 404 on delete-policy of an unknown id): that status is the answer.
 */
function effectiveStatus(httpStatus: number, body: unknown): number {
	const meta = (body as MimecastEnvelope | null | undefined)?.meta?.status;
	return httpStatus < 300 && typeof meta === 'number' && meta >= 400 ? meta : httpStatus;
}

function codeOf(error: unknown): string {
	const e = error as { code?: string; cause?: { code?: string } };
	return e?.code ?? e?.cause?.code ?? 'a network error';
}

function messageOf(error: unknown): string {
	return (error as Error)?.message ?? String(error);
}

function isCredentialInputError(error: unknown): boolean {
	const e = error as { name?: string; cause?: { name?: string } };
	return (
		e?.name === 'InvalidApiKeysError' ||
		e?.cause?.name === 'InvalidApiKeysError' ||
		/^The credential's /.test(messageOf(error))
	);
}

function credentialHint(auth: AuthenticationMode): string {
	return `Open the ${auth === 'oAuth2' ? 'Mimecast API 2.0' : 'Mimecast API 1.0'} credential and correct it. Nothing was sent to Mimecast.`;
}
