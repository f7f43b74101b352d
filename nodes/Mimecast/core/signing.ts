import { createHmac, randomUUID } from 'crypto';
import { DateTime } from 'luxon';

/**
 * Mimecast API 1.0 request signing, as the endpoint pages' sample code does it:
 * signature = base64(HMAC-SHA1(base64decode(secretKey), "date:requestId:path:appKey")).
 * Kept free of n8n so it can be tested against independently computed vectors.
 */

export interface ApiKeys {
	appId: string;
	appKey: string;
	accessKey: string;
	secretKey: string;
}

export interface SignedHeaders {
	'x-mc-date': string;
	'x-mc-req-id': string;
	'x-mc-app-id': string;
	Authorization: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class InvalidApiKeysError extends Error {
	constructor(
		message: string,
		readonly field: keyof ApiKeys,
	) {
		super(message);
		this.name = 'InvalidApiKeysError';
	}
}

/** Refuses keys that would only produce a confusing err_xdk_invalid_signature from Mimecast. */
export function validateApiKeys(keys: Partial<ApiKeys>): ApiKeys {
	const labels: Record<keyof ApiKeys, string> = {
		appId: 'Application ID',
		appKey: 'Application Key',
		accessKey: 'Access Key',
		secretKey: 'Secret Key',
	};
	for (const field of Object.keys(labels) as Array<keyof ApiKeys>) {
		const value = keys[field];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new InvalidApiKeysError(
				`The credential's ${labels[field]} is empty. Copy it from Mimecast (Administration | Services | API and Platform Integrations) into the Mimecast API 1.0 credential.`,
				field,
			);
		}
	}
	const secretKey = (keys.secretKey as string).replace(/\s+/g, '');
	if (!BASE64.test(secretKey)) {
		// Never echo the value: it is a secret.
		throw new InvalidApiKeysError(
			"The credential's Secret Key is not valid base64. Mimecast secret keys are base64 text (letters, digits, '+', '/', ending in '=' padding); paste it again without quotes or extra characters.",
			'secretKey',
		);
	}
	return {
		appId: (keys.appId as string).trim(),
		appKey: (keys.appKey as string).trim(),
		accessKey: (keys.accessKey as string).trim(),
		secretKey,
	};
}

/** `Tue, 24 Nov 2015 12:50:11 UTC`: RFC 1123 names, always UTC, as Mimecast requires. */
export function formatMimecastHeaderDate(epochMs: number): string {
	return DateTime.fromMillis(epochMs, { zone: 'utc' })
		.setLocale('en-US')
		.toFormat("ccc, dd LLL yyyy HH:mm:ss 'UTC'");
}

export function computeSignature(secretKey: string, dataToSign: string): string {
	return createHmac('sha1', Buffer.from(secretKey, 'base64'))
		.update(dataToSign, 'utf8')
		.digest('base64');
}

/**
 * The URI path a request goes to, whichever form n8n hands the credential: `baseURL` + `url`
 * (httpRequest; joined like axios joins them, so a base URL's path prefix is kept), an absolute
 * `url`, or `uri` (the legacy request helper, which the HTTP Request node uses with a predefined
 * credential). The query string is never part of it: Mimecast signs the path alone.
 */
export function requestPath(options: { url?: unknown; baseURL?: unknown; uri?: unknown }): string {
	const target = typeof options.url === 'string' && options.url !== '' ? options.url : options.uri;
	const text = target instanceof URL ? target.href : typeof target === 'string' ? target : '';
	const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
	const base = typeof options.baseURL === 'string' ? options.baseURL : '';
	const joined =
		absolute || base === '' ? text : `${base.replace(/\/+$/, '')}/${text.replace(/^\/+/, '')}`;
	if (!URL.canParse(joined, 'http://localhost')) {
		throw new InvalidApiKeysError(
			`The credential's request has no readable address to sign ("${joined}").`,
			'appKey',
		);
	}
	return new URL(joined, 'http://localhost').pathname;
}

/** Headers for one request to `path` (URI path only: no host, no query). */
export function signRequest(
	keys: ApiKeys,
	path: string,
	now: number = DateTime.now().toMillis(),
	requestId: string = randomUUID(),
): SignedHeaders {
	const date = formatMimecastHeaderDate(now);
	const signature = computeSignature(keys.secretKey, `${date}:${requestId}:${path}:${keys.appKey}`);
	return {
		'x-mc-date': date,
		'x-mc-req-id': requestId,
		'x-mc-app-id': keys.appId,
		Authorization: `MC ${keys.accessKey}:${signature}`,
	};
}

/**
 * The API 1.0 credential's `authenticate`: request options with Mimecast's signed headers.
 * Throws before anything is sent when a key is empty or the secret is not base64.
 */
export function signedRequest<
	T extends { headers?: object; url?: unknown; baseURL?: unknown; uri?: unknown },
>(credentials: Partial<ApiKeys>, requestOptions: T): T {
	const keys = validateApiKeys(credentials);
	return {
		...requestOptions,
		headers: {
			...requestOptions.headers,
			...signRequest(keys, requestPath(requestOptions)),
			Accept: 'application/json',
		},
	};
}
