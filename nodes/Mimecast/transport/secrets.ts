import type { AuthenticationMode, MimecastContext } from './types';
import { credentialType } from './types';

/**
 * Every secret value of the credential in use, for redacting what a server says. Only read
 * when an error is being built from a server's text; the keys themselves are used by the
 * credential alone. The computed API 1.0 signature is never known here: `redactSecrets`
 * recognises it by its shape.
 */
export async function knownSecrets(
	ctx: MimecastContext,
	auth: AuthenticationMode,
): Promise<string[]> {
	try {
		const credentials = await ctx.getCredentials(credentialType(auth));
		return secretsOfCredential(credentials);
	} catch {
		return [];
	}
}

/** The secret fields of either Mimecast credential (application ID and client ID are not secret). */
export function secretsOfCredential(credentials: Record<string, unknown>): string[] {
	const token = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	return [
		credentials.secretKey,
		credentials.appKey,
		credentials.accessKey,
		credentials.clientSecret,
		token.access_token,
		token.refresh_token,
	].filter((v): v is string => typeof v === 'string' && v !== '');
}
