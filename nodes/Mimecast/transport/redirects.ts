import { isSecureOrLoopback } from '../core/regions';

/** Redirect statuses that carry a Location to go to. 300, 304 and 305 are not followed. */
const FOLLOWABLE = new Set([301, 302, 303, 307, 308]);

/** Hops one request may take before it is called a loop. */
export const MAX_REDIRECTS = 5;

export type RedirectDecision =
	| { follow: true; url: string }
	| {
			follow: false;
			reason: 'noLocation' | 'badLocation' | 'otherOrigin' | 'downgrade' | 'loop';
			target?: URL;
	  };

/**
 * What to do with a 3xx. Requests that carry credentials follow a redirect only within their
 * own origin (scheme, host and port unchanged): anywhere else the credential would go with
 * it. Pre-signed file links carry none and may go to another host, but never to plain http
 * (except on this machine), which would expose the link's signature and the file.
 */
export function decideRedirect(
	status: number,
	location: string | undefined,
	current: string,
	origin: string,
	withCredentials: boolean,
	hops: number,
): RedirectDecision | undefined {
	if (!FOLLOWABLE.has(status)) return undefined;
	if (!location) return { follow: false, reason: 'noLocation' };
	const target = URL.canParse(location, current) ? new URL(location, current) : undefined;
	if (!target) return { follow: false, reason: 'badLocation' };
	if (!isSecureOrLoopback(target)) return { follow: false, reason: 'downgrade', target };
	if (withCredentials && target.origin !== origin)
		return { follow: false, reason: 'otherOrigin', target };
	if (hops >= MAX_REDIRECTS) return { follow: false, reason: 'loop', target };
	return { follow: true, url: target.href };
}
