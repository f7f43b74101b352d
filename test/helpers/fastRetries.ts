import { after, before } from 'node:test';

import type { RetryPolicy } from '../../nodes/Mimecast/transport/retryPolicy';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Mimecast/transport/retryPolicy';

/**
 * Shortens the retry policy's waits for the suite that calls this (what is retried, and how
 * often, stays the same): integration tests exhaust retries on purpose. `overrides` shortens
 * more (the SIEM suites also cap the total wait, to see a 429 outlast the policy).
 */
export function useFastRetries(overrides: Partial<RetryPolicy> = {}): void {
	const saved = { ...DEFAULT_RETRY_POLICY };
	before(() =>
		Object.assign(DEFAULT_RETRY_POLICY, { baseDelayMs: 5, maxDelayMs: 40, ...overrides }),
	);
	after(() => Object.assign(DEFAULT_RETRY_POLICY, saved));
}
