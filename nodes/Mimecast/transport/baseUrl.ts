import { api1BaseUrl, api2BaseUrl, InvalidBaseUrlError } from '../core/regions';
import { inputError } from './errors';
import type { AuthenticationMode, MimecastContext } from './types';
import { credentialType } from './types';

const cache = new WeakMap<object, Map<AuthenticationMode, Promise<string>>>();

/** The API base for this node's credential. Reads only region and base URL, never keys. */
export async function resolveBaseUrl(
	ctx: MimecastContext,
	auth: AuthenticationMode,
): Promise<string> {
	let perCtx = cache.get(ctx);
	if (!perCtx) cache.set(ctx, (perCtx = new Map()));
	let pending = perCtx.get(auth);
	if (!pending) {
		pending = readBaseUrl(ctx, auth);
		perCtx.set(auth, pending);
		pending.catch(() => perCtx?.delete(auth));
	}
	return await pending;
}

async function readBaseUrl(ctx: MimecastContext, auth: AuthenticationMode): Promise<string> {
	const credentials = await ctx.getCredentials(credentialType(auth));
	try {
		return auth === 'oAuth2'
			? api2BaseUrl(credentials.region ?? 'global', credentials.baseUrl)
			: api1BaseUrl(credentials.region ?? 'eu', credentials.baseUrl);
	} catch (error) {
		// The region helpers throw only InvalidBaseUrlError: each says what is wrong.
		throw inputError(
			ctx,
			(error as InvalidBaseUrlError).message,
			`Open the ${auth === 'oAuth2' ? 'Mimecast API 2.0' : 'Mimecast API 1.0'} credential and correct its Region or Base URL.`,
		);
	}
}
