/**
 * Per-identity call quotas with Mimecast's headers. X-RateLimit-Reset is in MILLISECONDS until
 * the window resets (a widely copied sample gets this wrong). 1.0 quotas are per user
 * (access key), 2.0 per application (client id); both map to `identity`.
 *
 * Windows run on real time, not the emulator clock: a client that sleeps for the reset must see
 * the quota come back even when a test froze the data clock.
 */
import { performance } from 'node:perf_hooks';

export interface Quota {
	limit: number;
	windowMs: number;
}

/** Without a configured quota the headers still appear, with a limit nobody reaches. */
const UNLIMITED: Quota = { limit: 1_000_000, windowMs: 60_000 };

export class RateLimiter {
	private readonly windows = new Map<string, { start: number; count: number }>();
	private readonly quota: Quota;

	constructor(quota: Quota | undefined) {
		this.quota = quota ?? UNLIMITED;
	}

	get limit(): number {
		return this.quota.limit;
	}

	/** Counts one call; `allowed` false means answer 429 and do not execute it. */
	consume(identity: string): { allowed: boolean; headers: Record<string, string> } {
		const now = performance.now();
		let w = this.windows.get(identity);
		if (!w || now >= w.start + this.quota.windowMs) {
			w = { start: now, count: 0 };
			this.windows.set(identity, w);
		}
		const allowed = w.count < this.quota.limit;
		if (allowed) w.count++;
		return {
			allowed,
			headers: {
				'x-ratelimit-limit': String(this.quota.limit),
				'x-ratelimit-remaining': String(Math.max(0, this.quota.limit - w.count)),
				'x-ratelimit-reset': String(Math.max(1, Math.ceil(w.start + this.quota.windowMs - now))),
			},
		};
	}
}
