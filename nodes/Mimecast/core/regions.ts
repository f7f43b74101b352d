/**
 * Where each Mimecast grid answers. API 1.0 keys only work on their own grid
 * (err_audit_log_incorrect_region otherwise); API 2.0 has a global gateway.
 */
export const API1_REGIONS = {
	eu: 'https://eu-api.mimecast.com',
	de: 'https://de-api.mimecast.com',
	us: 'https://us-api.mimecast.com',
	usb: 'https://usb-api.mimecast.com',
	ca: 'https://ca-api.mimecast.com',
	za: 'https://za-api.mimecast.com',
	au: 'https://au-api.mimecast.com',
	je: 'https://je-api.mimecast.com',
	uspcom: 'https://uspcom-api.mimecast-pscom-us.com',
} as const;

export const API2_REGIONS = {
	global: 'https://api.services.mimecast.com',
	uk: 'https://uk-api.services.mimecast.com',
	us: 'https://us-api.services.mimecast.com',
} as const;

export type Api1Region = keyof typeof API1_REGIONS | 'custom';
export type Api2Region = keyof typeof API2_REGIONS | 'custom';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export class InvalidBaseUrlError extends Error {}

/**
 * The https rule, for the base URL and for every other address the package is handed (SIEM
 * batch links): https, or plain http to this machine only (the emulator, a local proxy).
 */
export function isSecureOrLoopback(url: URL): boolean {
	return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}

/**
 * A custom base URL must be https, except on this machine (the emulator, a local proxy):
 * plain http would send Mimecast credentials in clear text.
 */
export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		throw new InvalidBaseUrlError(
			'The credential\'s Base URL is empty. Set it to your Mimecast API address, e.g. https://eu-api.mimecast.com, or pick a region instead of "Custom".',
		);
	}
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url) {
		throw new InvalidBaseUrlError(
			`The credential's Base URL "${text}" is not a URL. Use the form https://eu-api.mimecast.com.`,
		);
	}
	if (!isSecureOrLoopback(url)) {
		throw new InvalidBaseUrlError(
			`The credential's Base URL "${url.origin}" must use https:// (plain http is only accepted for localhost). Change it to https://${url.host}.`,
		);
	}
	if (url.search || url.hash) {
		throw new InvalidBaseUrlError(
			"The credential's Base URL must not contain a query string or fragment. Use only the scheme, host and optional path prefix.",
		);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function api1BaseUrl(region: unknown, customBaseUrl: unknown): string {
	if (region === 'custom') return normalizeBaseUrl(customBaseUrl);
	const url = API1_REGIONS[region as keyof typeof API1_REGIONS];
	if (!url) {
		throw new InvalidBaseUrlError(
			`The credential's Region "${String(region)}" is not a Mimecast API 1.0 region. Pick one of ${Object.keys(API1_REGIONS).join(', ')} or Custom.`,
		);
	}
	return url;
}

export function api2BaseUrl(region: unknown, customBaseUrl: unknown): string {
	if (region === 'custom') return normalizeBaseUrl(customBaseUrl);
	const url = API2_REGIONS[region as keyof typeof API2_REGIONS];
	if (!url) {
		throw new InvalidBaseUrlError(
			`The credential's Region "${String(region)}" is not a Mimecast API 2.0 region. Pick one of ${Object.keys(API2_REGIONS).join(', ')} or Custom.`,
		);
	}
	return url;
}
