/**
 * Where each Mimecast grid answers, and the one rule for a base URL. The credentials build
 * their Region options and their n8n expressions (test request, OAuth2 token URL) from this
 * file too, so the nodes, the credential test and the token request agree on every address.
 * API 1.0 keys only work on their own grid (err_audit_log_incorrect_region otherwise); API 2.0
 * has a global gateway.
 */
export interface RegionEntry {
	/** Stable option value saved in credentials. */
	value: string;
	/** What the Region dropdown shows. */
	label: string;
	url: string;
}

export const API1_REGIONS: readonly RegionEntry[] = [
	{ value: 'au', label: 'Australia (au-api)', url: 'https://au-api.mimecast.com' },
	{ value: 'ca', label: 'Canada (ca-api)', url: 'https://ca-api.mimecast.com' },
	{ value: 'eu', label: 'Europe (eu-api)', url: 'https://eu-api.mimecast.com' },
	{ value: 'de', label: 'Germany (de-api)', url: 'https://de-api.mimecast.com' },
	{ value: 'je', label: 'Offshore / Jersey (je-api)', url: 'https://je-api.mimecast.com' },
	{ value: 'za', label: 'South Africa (za-api)', url: 'https://za-api.mimecast.com' },
	{ value: 'us', label: 'United States (us-api)', url: 'https://us-api.mimecast.com' },
	{ value: 'usb', label: 'US Government (usb-api)', url: 'https://usb-api.mimecast.com' },
	{
		value: 'uspcom',
		label: 'US PSCOM (uspcom-api)',
		url: 'https://uspcom-api.mimecast-pscom-us.com',
	},
];

export const API2_REGIONS: readonly RegionEntry[] = [
	{
		value: 'global',
		label: 'Global (api.services.mimecast.com)',
		url: 'https://api.services.mimecast.com',
	},
	{
		value: 'uk',
		label: 'United Kingdom (uk-api.services.mimecast.com)',
		url: 'https://uk-api.services.mimecast.com',
	},
	{
		value: 'us',
		label: 'United States (us-api.services.mimecast.com)',
		url: 'https://us-api.services.mimecast.com',
	},
];

/** Hosts on this machine: the only ones plain http is accepted for (the emulator, a local proxy). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export class InvalidBaseUrlError extends Error {}

/**
 * The https rule, for the base URL and for every other address the package is handed (SIEM
 * batch links, redirect targets): https, or plain http to this machine only (the emulator, a
 * local proxy). Anything else would carry credentials or signed links in clear.
 */
export function isSecureOrLoopback(url: URL): boolean {
	return (
		url.protocol === 'https:' ||
		(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()))
	);
}

/**
 * The one normalisation of a custom base URL: trimmed, no trailing slash, https (http only for
 * localhost, 127.0.0.1 and ::1), no query or fragment. `baseUrlExpression` below is the same
 * rule written as an n8n expression; a unit test holds the two together.
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
			`The credential's Base URL "${url.origin}" must use https:// (plain http is only accepted for localhost, 127.0.0.1 and ::1). Change it to https://${url.host}.`,
		);
	}
	if (url.search || url.hash) {
		throw new InvalidBaseUrlError(
			"The credential's Base URL must not contain a query string or fragment. Use only the scheme, host and optional path prefix.",
		);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The grid's URL for a region value; own entries only, so `toString` or `__proto__` are not regions. */
function regionUrl(table: readonly RegionEntry[], region: unknown, api: string): string {
	const entry = table.find((r) => r.value === region);
	if (!entry) {
		throw new InvalidBaseUrlError(
			`The credential's Region "${String(region)}" is not a Mimecast ${api} region. Pick one of ${table.map((r) => r.value).join(', ')} or Custom.`,
		);
	}
	return entry.url;
}

export function api1BaseUrl(region: unknown, customBaseUrl: unknown): string {
	return region === 'custom'
		? normalizeBaseUrl(customBaseUrl)
		: regionUrl(API1_REGIONS, region, 'API 1.0');
}

export function api2BaseUrl(region: unknown, customBaseUrl: unknown): string {
	return region === 'custom'
		? normalizeBaseUrl(customBaseUrl)
		: regionUrl(API2_REGIONS, region, 'API 2.0');
}

/**
 * Where a credential's own requests go when its Base URL breaks the rule: a reserved name
 * (RFC 2606 `.invalid`) that never resolves, so nothing is sent, and that names the fix in
 * whatever error n8n shows.
 */
export const REFUSED_BASE_URL = 'https://base-url-must-be-https-or-localhost.invalid';

/**
 * `normalizeBaseUrl` and the region tables as an n8n expression body, for the places n8n
 * resolves an address itself (the credential test request, the OAuth2 token URL). `self` is
 * how the expression reaches the credential's fields: `$credentials` in a test request,
 * `$self` in a credential property. The Region value is looked up in a list, never as an
 * object key, for the same reason as `regionUrl`.
 */
export function baseUrlExpression(
	table: readonly RegionEntry[],
	self: '$credentials' | '$self',
): string {
	const regions = JSON.stringify(table.map((r) => [r.value, r.url]));
	const custom =
		`(u => /^(https:\\/\\/[^\\s\\/?#]+|http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?)(\\/[^\\s?#]*)?$/i.test(u) ? u : "${REFUSED_BASE_URL}")` +
		`(String(${self}.baseUrl ?? "").trim().replace(/\\/+$/, ""))`;
	return `(${self}.region === "custom" ? ${custom} : ((${regions}).find(r => r[0] === ${self}.region) ?? [0, "${REFUSED_BASE_URL}"])[1])`;
}
