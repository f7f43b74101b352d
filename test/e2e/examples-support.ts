// What the two example suites (examples.test.ts, response-actions.test.ts) share: the examples
// by file name, and running one in n8n with the time window it ran in.
import assert from 'node:assert/strict';

import type { Example } from '../../scripts/examples';
import { loadExamples } from '../../scripts/examples';
import type { HttpSink } from '../../scripts/http-sink';
import type { E2e } from './setup';

const EXAMPLES = new Map(loadExamples().map((e) => [e.file, e]));

/** Every example of examples/. */
export function allExamples(): Example[] {
	return [...EXAMPLES.values()];
}

/** The example of examples/ with this file name; a missing one fails the suite by name. */
export function example(file: string): Example {
	const found = EXAMPLES.get(file);
	if (!found) throw new Error(`examples/${file} is missing`);
	return found;
}

/**
 * Runs an example (its HTTP sink emptied first) and fails with n8n's own message if the run
 * failed; returns the result and the window bounds for the example's relative dates.
 */
export async function runExample(e2e: E2e, http: HttpSink, file: string) {
	http.clear();
	const before = Date.now();
	const result = await e2e.home.execute(example(file).workflow.id);
	const after = Date.now();
	assert.equal(
		result.error,
		undefined,
		`n8n reported: ${result.error?.message} ${result.error?.description ?? ''}`,
	);
	return { result, before, after };
}
