/**
 * Queue mode: the main process and each worker load the package into their own memory. Shipped
 * code (nodes/, credentials/) must keep no mutable state at module level; see
 * test/helpers/moduleState.ts for what counts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { findModuleState, WHY } from '../helpers/moduleState';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Module-level containers that are mutated but hold nothing across executions, each with the
 * reason. Key: `file:name`. Keep this short: a new entry needs a reason a reviewer accepts.
 */
const ALLOWED: Record<string, string> = {
	'nodes/Mimecast/transport/baseUrl.ts:cache':
		'a WeakMap keyed by the execution context: it memoises the base URL for one node run and is collected with it, never shared between executions',
	// The key_value parser's guess of the next key (a speed hint, see its comment): every use is
	// checked against the line's own bytes first, so a stale or foreign guess costs one compare
	// and never changes a record. It is still process memory that outlives an execution.
	'nodes/Mimecast/siem/keyValue.ts:keyCache':
		'a hint checked against the input before each use; never decides an output',
	'nodes/Mimecast/siem/keyValue.ts:keyCodes': 'keyCache as char codes: the same hint, same check',
};

function shippedSources(): Record<string, string> {
	const files: Record<string, string> = {};
	const walk = (dir: string): void => {
		for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
			const rel = path.join(dir, entry.name);
			// vendor/ is the bundled fflate (third-party, generated, not TypeScript).
			if (entry.isDirectory() && entry.name !== 'vendor') walk(rel);
			else if (entry.isFile() && rel.endsWith('.ts') && !rel.endsWith('.d.ts'))
				files[rel] = fs.readFileSync(path.join(ROOT, rel), 'utf8');
		}
	};
	walk('nodes');
	walk('credentials');
	return files;
}

describe('no mutable state at module level in shipped code (queue mode)', () => {
	it('nodes/ and credentials/ keep none', () => {
		const files = shippedSources();
		assert.ok(Object.keys(files).length > 20, 'the shipped sources were found');
		const findings = findModuleState(files).filter((f) => !ALLOWED[`${f.file}:${f.name}`]);
		const report = findings.map((f) => `${f.file}:${f.line}: ${f.what}: ${WHY}`).join('\n');
		assert.equal(findings.length, 0, `\n${report}`);
	});

	it('every allow-list entry still matches a finding (no stale exceptions)', () => {
		const found = new Set(findModuleState(shippedSources()).map((f) => `${f.file}:${f.name}`));
		for (const key of Object.keys(ALLOWED))
			assert.ok(found.has(key), `${key} is allowed but no longer found: remove it from ALLOWED`);
	});

	it('reports each kind of module state with file:line, and not frozen constants', () => {
		const findings = findModuleState({
			'a.ts': [
				"import { seen } from './b';",
				'let lastCursor = 0;',
				'var hits = 0;',
				'const tokens = new Map<string, string>();',
				'export function remember(k: string) { tokens.set(k, k); seen.push(k); }',
				'const counters = {} as Record<string, number>;',
				'export function count(k: string) { counters[k]++; }',
				'class Limiter { static remaining = 10; static readonly MAX = 10; }',
				'const LEVELS = Object.freeze({ a: 1 });',
				"const KINDS = ['x', 'y'] as const;",
				"const CODES: ReadonlySet<string> = new Set(['a']);",
				"const ROUTES = ['in', 'out'];",
				'const LOOKUP = new Set([1, 2]);',
				"export const used = ROUTES.includes('in') && LOOKUP.has(1) && KINDS.length && LEVELS.a && CODES.size;",
			].join('\n'),
			'b.ts': 'export const seen: string[] = [];',
			// Same name as a.ts's container, not imported: its own local, not module state.
			'c.ts':
				'export const tokens = { a: 1 }; export function f() { const counters = { n: 0 }; counters.n++; return counters; }',
		});
		assert.deepEqual(
			findings.map((f) => `${f.file}:${f.line} ${f.name}`),
			[
				'a.ts:2 lastCursor',
				'a.ts:3 hits',
				'a.ts:4 tokens',
				'a.ts:6 counters',
				'a.ts:8 Limiter.remaining',
				'b.ts:1 seen',
			],
		);
	});
});
