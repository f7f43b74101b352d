import { after, before } from 'node:test';

import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';

/**
 * Shortens the retry policy's waits for the suite that calls this (what is retried, and how
 * often, stays the same): integration tests exhaust retries on purpose.
 */
export function useFastRetries(): void {
	const saved = { ...DEFAULT_RETRY_POLICY };
	before(() => Object.assign(DEFAULT_RETRY_POLICY, { baseDelayMs: 5, maxDelayMs: 40 }));
	after(() => Object.assign(DEFAULT_RETRY_POLICY, saved));
}
