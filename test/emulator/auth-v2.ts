/**
 * API 2.0 OAuth 2.0 client credentials: `POST /oauth/token` and Bearer checks on every API path.
 * Tokens expire by the emulator clock, so tests can age them without waiting.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from './clock';
import { jsonReply, v2Fail, type Reply } from './envelope';

export interface V2Keys {
	clientId: string;
	clientSecret: string;
}

export type BearerResult = { ok: true; identity: string } | { ok: false; reply: Reply };

const oauthError = (
	status: number,
	error: string,
	description: string,
	headers: Record<string, string> = {},
): Reply =>
	jsonReply(
		status,
		{ error, error_description: description },
		{ 'cache-control': 'no-store', ...headers },
	);

const same = (a: string, b: string): boolean => {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
};

export class OAuthServer {
	private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

	constructor(
		private readonly keys: V2Keys,
		private readonly clock: Clock,
		private readonly ttlSeconds: number,
	) {}

	/**
	 * Accepts client credentials in the form body (what Mimecast documents) or as HTTP Basic
	 * (RFC 6749 2.3.1; n8n's OAuth2 client can send them either way).
	 */
	issue(headers: IncomingHttpHeaders, body: Buffer): Reply {
		const contentType = String(headers['content-type'] ?? '');
		if (body.length > 0 && !contentType.startsWith('application/x-www-form-urlencoded')) {
			return oauthError(
				400,
				'invalid_request',
				'Content-Type must be application/x-www-form-urlencoded',
			);
		}
		const form = new URLSearchParams(body.toString('utf8'));
		let clientId = form.get('client_id') ?? undefined;
		let clientSecret = form.get('client_secret') ?? undefined;
		const auth = String(headers.authorization ?? '');
		const basic = /^Basic\s+(\S+)$/i.exec(auth);
		let usedBasic = false;
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon < 0) return oauthError(400, 'invalid_request', 'Malformed Basic credentials');
			const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
			const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
			if (
				(clientId !== undefined && clientId !== id) ||
				(clientSecret !== undefined && clientSecret !== secret)
			) {
				return oauthError(400, 'invalid_request', 'Client credentials sent twice and they differ');
			}
			clientId = id;
			clientSecret = secret;
			usedBasic = true;
		}
		const grant = form.get('grant_type');
		if (!grant) return oauthError(400, 'invalid_request', 'grant_type is required');
		if (grant !== 'client_credentials') {
			return oauthError(
				400,
				'unsupported_grant_type',
				`grant_type ${grant} is not supported; use client_credentials`,
			);
		}
		if (
			!clientId ||
			!clientSecret ||
			!same(clientId, this.keys.clientId) ||
			!same(clientSecret, this.keys.clientSecret)
		) {
			return oauthError(
				401,
				'invalid_client',
				'Client authentication failed',
				usedBasic ? { 'www-authenticate': 'Basic realm="mimecast"' } : {},
			);
		}
		const token = randomBytes(24).toString('base64url');
		this.tokens.set(token, { clientId, expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
		return jsonReply(
			200,
			{ access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds, scope: '' },
			{ 'cache-control': 'no-store', pragma: 'no-cache' },
		);
	}

	verify(authorization: string): BearerResult {
		const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
		const entry = token ? this.tokens.get(token) : undefined;
		if (!token || !entry) {
			return {
				ok: false,
				reply: v2Fail(
					401,
					'token_verification_failed',
					'Unauthorized Request: the access token is not valid',
				),
			};
		}
		if (this.clock.now() >= entry.expiresAt) {
			this.tokens.delete(token);
			return {
				ok: false,
				reply: v2Fail(401, 'token_expired', 'The access token has expired; request a new one'),
			};
		}
		return { ok: true, identity: `v2:${entry.clientId}` };
	}
}
