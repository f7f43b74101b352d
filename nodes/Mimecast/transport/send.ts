import type { IHttpRequestOptions } from 'n8n-workflow';

import { asNodeError } from './errors';
import type { AuthenticationMode, MimecastContext } from './types';
import { credentialType } from './types';

export interface RawResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * One HTTP exchange, redirects NOT followed: n8n's helpers would follow them and, by default,
 * hand the Authorization header (and the body, on a 307) to whatever host the Location names.
 * The caller decides what a redirect may do (see `redirects.ts`).
 */
export async function sendOnce(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	options: IHttpRequestOptions,
	withCredentials: boolean,
): Promise<RawResponse> {
	const request: IHttpRequestOptions = {
		...options,
		headers: { ...options.headers },
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	return withCredentials ? await send(ctx, auth, request) : await sendUnauthenticated(ctx, request);
}

/** Pre-signed links must not get an Authorization header: they are often on another host. */
async function sendUnauthenticated(
	ctx: MimecastContext,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	const response = (await ctx.helpers.httpRequest({
		...options,
		ignoreHttpStatusErrors: true,
	})) as {
		statusCode?: number;
		headers?: Record<string, string>;
		body: unknown;
	};
	return {
		statusCode: response.statusCode ?? 200,
		headers: lowerCaseKeys(response.headers ?? {}),
		body: response.body,
	};
}

/**
 * API 1.0 answers every status as a response. API 2.0 requests let n8n see HTTP errors as
 * errors, because that is what makes n8n fetch a new token on a 401 and repeat the call;
 * the status, headers and body are then read back from the error.
 */
async function send(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType(auth),
			{
				...options,
				ignoreHttpStatusErrors: auth !== 'oAuth2',
			},
		)) as { statusCode?: number; status?: number; headers?: Record<string, string>; body: unknown };
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
	return {
		statusCode: response.status,
		headers: lowerCaseKeys(response.headers ?? {}),
		body: response.data,
	};
}

interface AxiosLike {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers)) {
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}
