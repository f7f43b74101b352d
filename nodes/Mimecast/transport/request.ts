import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { resolveBaseUrl } from './baseUrl';
import { asNodeError, firstFail, inputError, mimecastApiError, networkError } from './errors';
import type { RetryPolicy } from './retryPolicy';
import { responseShapeError } from './shape';
import { backoffDelay, DEFAULT_RETRY_POLICY, isNetworkError, rateLimitWait } from './retryPolicy';
import { refuseRepeat, wasNeverSent } from './repeatPolicy';
import type { AuthenticationMode, MimecastCall, MimecastContext, MimecastEnvelope, MimecastResponse } from './types';
import { credentialType } from './types';

interface RawResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * The one way this package talks to Mimecast: signs through the credential, retries by the
 * policy, and turns every failure, including a `fail[]` inside an HTTP 200, into an error
 * that says what to do.
 */
export async function mimecastRequest<T = IDataObject>(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<MimecastResponse<T>> {
	const url = call.presignedUrl ?? `${await resolveBaseUrl(ctx, auth)}${call.path}`;
	const options: IHttpRequestOptions = {
		method: call.method ?? 'POST',
		url,
		qs: call.qs,
		body: call.body,
		json: !call.binary,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: policy.timeoutMs,
		headers: { Accept: call.binary ? 'application/octet-stream, application/json' : 'application/json' },
	};
	if (call.binary) options.encoding = 'arraybuffer';

	let waited = 0;
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
		const host = new URL(url).host;

		let response: RawResponse;
		try {
			response = call.presignedUrl ? await sendUnauthenticated(ctx, options) : await send(ctx, auth, options);
		} catch (error) {
			if (isNetworkError(error) || wasNeverSent(error)) {
				if (!wasNeverSent(error)) maybeApplied = refuseRepeat(ctx, call, codeOf(error));
				if (await retryAfter(backoffDelay(policy, attempt))) continue;
				throw networkError(ctx, call, attempt, error, host);
			}
			throw sendError(ctx, auth, call, error);
		}

		const body = call.binary ? decodeJsonIfAny(response) : parseJsonBody(response.body);
		const status = effectiveStatus(response.statusCode, body);
		const fail = firstFail(body);
		const failure = { status, code: fail?.code, message: fail?.message };

		if (status === 429) {
			const wait = rateLimitWait(policy, response.headers['x-ratelimit-reset']);
			if (await retryAfter(wait)) continue;
			const error = mimecastApiError(ctx, failure, call, auth);
			error.context.retryAfterMs = wait;
			throw error;
		}
		if (status >= 500) {
			maybeApplied = refuseRepeat(ctx, call, `HTTP ${status}`);
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw mimecastApiError(ctx, failure, call, auth);
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
			const error = mimecastApiError(ctx, { status, code: 'file_link_expired' }, call, auth);
			error.context.fileLinkExpired = true;
			throw error;
		}
		if (status < 300 && fail?.message !== undefined && call.noDataMessages?.includes(fail.message)) {
			return { status, headers: response.headers, body: body as T, noData: true };
		}
		if (status >= 300 || fail) {
			if (fail?.retryable && (await retryAfter(backoffDelay(policy, attempt)))) continue;
			const error = mimecastApiError(ctx, { ...failure, status: status >= 300 ? status : 200 }, call, auth);
			// A write's "not found" after an attempt that may have been applied can mean "done".
			if (maybeApplied) error.context.afterUncertainAttempt = true;
			throw error;
		}
		const problem = call.validate?.(body);
		if (problem !== undefined) {
			if (await retryAfter(backoffDelay(policy, attempt))) continue;
			throw responseShapeError(ctx, call, problem, attempt);
		}
		return { status, headers: response.headers, body: (call.binary ? toBytes(response.body) : body) as T };
	}
}

/** A request that failed before Mimecast answered: a credential n8n could not use, mostly. */
function sendError(ctx: MimecastContext, auth: AuthenticationMode, call: MimecastCall, error: unknown) {
	if (isCredentialInputError(error)) return inputError(ctx, messageOf(error), credentialHint(auth), call.itemIndex);
	if (/OAuth2 access token/i.test(messageOf(error))) {
		return inputError(
			ctx,
			'Mimecast API 2.0 refused the client credentials',
			`Could not get an access token: ${messageOf(error).replace(/^.*?token:\s*/i, '')}. Check the credential's Client ID, Client Secret and Region (the token comes from {base URL}/oauth/token).`,
			call.itemIndex,
		);
	}
	return inputError(ctx, `Could not send the request for ${call.operation}: ${messageOf(error)}`, 'Check the credential and the network path to Mimecast.', call.itemIndex);
}

/** Pre-signed links must not get an Authorization header: they are often on another host. */
async function sendUnauthenticated(ctx: MimecastContext, options: IHttpRequestOptions): Promise<RawResponse> {
	const response = (await ctx.helpers.httpRequest({ ...options, headers: { ...options.headers } })) as {
		statusCode?: number;
		headers?: Record<string, string>;
		body: unknown;
	};
	return { statusCode: response.statusCode ?? 200, headers: lowerCaseKeys(response.headers ?? {}), body: response.body };
}

/**
 * API 1.0 answers every status as a response. API 2.0 requests let n8n see HTTP errors as
 * errors, because that is what makes n8n fetch a new token on a 401 and repeat the call;
 * the status, headers and body are then read back from the error.
 */
async function send(ctx: MimecastContext, auth: AuthenticationMode, options: IHttpRequestOptions): Promise<RawResponse> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(auth), {
			...options,
			headers: { ...options.headers },
			ignoreHttpStatusErrors: auth !== 'oAuth2',
		})) as { statusCode?: number; status?: number; headers?: Record<string, string>; body: unknown };
		return {
			statusCode: response.statusCode ?? response.status ?? 200,
			headers: lowerCaseKeys(response.headers ?? {}),
			body: response.body,
		};
	} catch (error) {
		const failed = httpResponseOf(error);
		if (!failed) throw asNodeError(ctx.getNode(), error);
		return failed;
	}
}

/** The HTTP response behind an error thrown by n8n's request helpers, if there was one. */
function httpResponseOf(error: unknown): RawResponse | undefined {
	const e = error as { response?: AxiosLike; cause?: { response?: AxiosLike } };
	const response = e?.response ?? e?.cause?.response;
	if (!response || typeof response.status !== 'number') return undefined;
	return { statusCode: response.status, headers: lowerCaseKeys(response.headers ?? {}), body: response.data };
}

interface AxiosLike {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
}

/** Fewer bytes than Content-Length declared (unless the body was decoded on the way). */
function isCutOff(response: RawResponse): boolean {
	const declared = Number(response.headers['content-length']);
	const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
	return !encoded && Number.isFinite(declared) && toBytes(response.body).length < declared;
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

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	return out;
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
	const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) || raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : JSON.stringify(raw);
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
	return e?.name === 'InvalidApiKeysError' || e?.cause?.name === 'InvalidApiKeysError' || /^The credential's /.test(messageOf(error));
}

function credentialHint(auth: AuthenticationMode): string {
	return `Open the ${auth === 'oAuth2' ? 'Mimecast API 2.0' : 'Mimecast API 1.0'} credential and correct it. Nothing was sent to Mimecast.`;
}
