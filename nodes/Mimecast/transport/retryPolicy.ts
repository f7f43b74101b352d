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
	/** Per-request socket timeout. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	maxTotalWaitMs: 120_000,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	defaultRateLimitWaitMs: 10_000,
	timeoutMs: 120_000,
};

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** X-RateLimit-Reset is milliseconds until a request is restored (not seconds, not a timestamp). */
export function rateLimitWait(policy: RetryPolicy, resetHeader: string | undefined): number {
	const reset = Number(resetHeader);
	if (!Number.isFinite(reset) || reset < 0) return policy.defaultRateLimitWaitMs;
	return Math.ceil(reset) + 50;
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
	return /socket hang up|aborted|timeout|premature close|network error|ECONNRESET/i.test(e?.message ?? '');
}
