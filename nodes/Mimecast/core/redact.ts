/**
 * Secret redaction for text a server wrote (a fail[] message, a token endpoint's error body,
 * the start of an HTML page). A hostile or broken server may echo what it was sent; the
 * transport passes such text through here before it can reach an error, an item or a log.
 */
const REDACTED = '[redacted]';

/** Values shorter than this are not secrets worth hiding (and would blank ordinary words). */
const MIN_SECRET_LENGTH = 6;

const SHAPES: RegExp[] = [
	// An API 1.0 Authorization header: "MC accessKey:signature".
	/\bMC\s+[^\s:"']+:[A-Za-z0-9+/=]+/g,
	// A bearer header value.
	/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
	// An HMAC-SHA1 signature on its own: 20 bytes in base64 are 27 characters and one '='.
	/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{27}=(?![A-Za-z0-9+/=])/g,
	// Token fields of an OAuth2 answer.
	/("?(?:access_token|refresh_token|client_secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
];

export function redactSecrets(text: string, secrets: readonly unknown[]): string {
	let out = text;
	for (const secret of secrets) {
		if (typeof secret !== 'string') continue;
		for (const form of new Set([secret, secret.trim(), encodeURIComponent(secret.trim())])) {
			if (form.length >= MIN_SECRET_LENGTH) out = out.split(form).join(REDACTED);
		}
	}
	for (const shape of SHAPES) {
		out = out.replace(shape, (match, prefix?: string) =>
			typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
		);
	}
	return out;
}
