/**
 * API 1.0 request authentication, done the way Mimecast documents it:
 * signature = base64(HMAC-SHA1(base64decode(secretKey), "{x-mc-date}:{x-mc-req-id}:{path}:{appKey}")).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { MINUTE, parseXMcDate } from './clock';
import { CODES, failEnvelope, type Reply } from './envelope';

export interface V1Keys {
	appId: string;
	appKey: string;
	accessKey: string;
	/** base64 */
	secretKey: string;
}

/** How far x-mc-date may be from the server clock (Mimecast rejects stale requests; ~15 min). */
export const MAX_DATE_SKEW_MS = 15 * MINUTE;

export type AuthResult = { ok: true; identity: string } | { ok: false; reply: Reply };

const reject = (code: string, message: string): AuthResult => ({
	ok: false,
	reply: failEnvelope(401, [{ code, message }]),
});

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
	const v = headers[name];
	return Array.isArray(v) ? v[0] : v;
};

export function signV1(
	keys: Pick<V1Keys, 'appKey' | 'secretKey'>,
	date: string,
	requestId: string,
	path: string,
): string {
	return createHmac('sha1', Buffer.from(keys.secretKey, 'base64'))
		.update(`${date}:${requestId}:${path}:${keys.appKey}`)
		.digest('base64');
}

/**
 * @param rawPath the URI path exactly as received (a region prefix included): that is what the
 *   client had to sign.
 * @param pathRegion the grid named by the path prefix, if any; the key belongs to `keyRegion`.
 */
export function verifyV1(
	headers: IncomingHttpHeaders,
	rawPath: string,
	pathRegion: string | undefined,
	keys: V1Keys,
	keyRegion: string,
	now: number,
): AuthResult {
	const auth = header(headers, 'authorization');
	const date = header(headers, 'x-mc-date');
	const requestId = header(headers, 'x-mc-req-id');
	const appId = header(headers, 'x-mc-app-id');
	const m = auth ? /^MC ([^:\s]+):(\S+)$/.exec(auth.trim()) : null;
	if (!m || !date || !requestId || !appId) {
		const missing = [
			!m && 'Authorization: MC {accessKey}:{signature}',
			!date && 'x-mc-date',
			!requestId && 'x-mc-req-id',
			!appId && 'x-mc-app-id',
		]
			.filter(Boolean)
			.join(', ');
		return reject(
			CODES.clientUpdateRequired,
			`0001 Missing or malformed authentication headers: ${missing}`,
		);
	}
	if (appId !== keys.appId)
		return reject(CODES.developerKey, 'The x-mc-app-id is not a registered application');
	const sent = parseXMcDate(date);
	if (sent === undefined) {
		return reject(
			CODES.invalidRequestDate,
			`x-mc-date "${date}" is not in the format "Tue, 24 Nov 2015 12:50:11 UTC"`,
		);
	}
	if (Math.abs(now - sent) > MAX_DATE_SKEW_MS) {
		return reject(
			CODES.invalidRequestDate,
			`x-mc-date "${date}" is more than 15 minutes away from the server time`,
		);
	}
	// The wrong grid has never heard of this key, so it cannot check the signature either.
	if (pathRegion !== undefined && pathRegion !== keyRegion) {
		return reject(
			CODES.incorrectRegion,
			`This key belongs to the ${keyRegion} region; use the ${keyRegion} base URL`,
		);
	}
	const [, accessKey, signature] = m;
	if (accessKey !== keys.accessKey)
		return reject(CODES.invalidSignature, '0004 Invalid Signature (unknown access key)');
	const expected = Buffer.from(signV1(keys, date, requestId, rawPath));
	const given = Buffer.from(signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
		return reject(CODES.invalidSignature, '0004 Invalid Signature');
	}
	return { ok: true, identity: `v1:${accessKey}` };
}
