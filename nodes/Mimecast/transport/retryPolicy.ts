/**
 * One retry policy for every Mimecast call. Log reads are idempotent, so repeating one is
 * always safe; what matters is not hammering Mimecast (429 storms lost events for other
 * integrations, Elastic #11460) and not retrying what cannot succeed.
 *
 * - 429: the call was not executed; wait X-RateLimit-Reset (milliseconds) and try again.
 * - 5xx, timeouts, resets, truncated bodies: exponential backoff with full jitter.
 * - Other 4xx and Mimecast fail[] errors not marked retryable: never retried.
 */
export interface RetryPolicy {
	/** Attempts per call, the first included. */
	maxAttempts: number;
	/** Sum of all waits of one call. */
	maxTotalWaitMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Used when a 429 carries no usable X-RateLimit-Reset. */
	defaultRateLimitWaitMs: number;
	/** Longest a 429's X-RateLimit-Reset is waited out (in a call, or as a trigger's pause). */
	maxRateLimitWaitMs: number;
	/** Per-request socket timeout: how long the connection may stay silent. */
	timeoutMs: number;
	/** How long one attempt may take from request to last body byte, redirects included. */
	attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	maxTotalWaitMs: 120_000,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	defaultRateLimitWaitMs: 10_000,
	maxRateLimitWaitMs: 3_600_000,
	timeoutMs: 120_000,
	attemptTimeoutMs: 600_000,
};

/** Resets above this are not a wait but a broken header (a timestamp, seconds read as ms…). */
const ABSURD_RESET_MS = 86_400_000;

export function backoffDelay(
	policy: RetryPolicy,
	attempt: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long to wait after a 429. X-RateLimit-Reset is milliseconds until a request is restored
 * (not seconds, not a timestamp). Missing, unreadable, negative or absurd (over a day) values
 * mean the default wait; a long but plausible one is cut to `maxRateLimitWaitMs`, so one bad
 * header never pauses a trigger for longer than that.
 */
export function rateLimitResetWait(policy: RetryPolicy, resetHeader: string | undefined): number {
	const reset =
		resetHeader === undefined || resetHeader.trim() === '' ? Number.NaN : Number(resetHeader);
	if (!Number.isFinite(reset) || reset < 0 || reset > ABSURD_RESET_MS)
		return policy.defaultRateLimitWaitMs;
	return Math.min(Math.ceil(reset) + 50, policy.maxRateLimitWaitMs);
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_STREAM_PREMATURE_CLOSE',
	'UND_ERR_SOCKET',
]);

export function isNetworkError(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string }; message?: string };
	const code = e?.code ?? e?.cause?.code;
	if (code && NETWORK_CODES.has(code)) return true;
	return /socket hang up|aborted|timeout|premature close|network error|ECONNRESET/i.test(
		e?.message ?? '',
	);
}
