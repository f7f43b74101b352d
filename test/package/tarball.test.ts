/**
 * What `npm publish` would upload, checked on `npm pack`'s own file list after a build:
 * only the compiled package, README, LICENSE and package.json; nothing from the tests, the
 * emulator or the benchmarks, no source maps and no path of the machine that built it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');

interface PackedFile {
	path: string;
}

function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	const [pack] = JSON.parse(out) as Array<{ files: PackedFile[] }>;
	return pack.files.map((file) => file.path).sort();
}

describe('the packed tarball', () => {
	const files = packedFiles();
	const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};

	it('holds only dist/, README.md, LICENSE and package.json', () => {
		const outside = files.filter(
			(path) =>
				!path.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(path),
		);
		assert.deepEqual(outside, []);
		for (const required of ['README.md', 'LICENSE', 'package.json'])
			assert.ok(files.includes(required), required);
	});

	it('ships every node and credential package.json names, with codex files and icons', () => {
		for (const path of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
			assert.ok(files.includes(path), path);
		for (const node of pkg.n8n.nodes) {
			assert.ok(files.includes(node.replace(/\.js$/, '.json')), `codex of ${node}`);
		}
		assert.ok(files.includes('dist/nodes/Mimecast/mimecast.svg'));
		assert.ok(files.includes('dist/nodes/Mimecast/mimecast.dark.svg'));
	});

	it('has no tests, emulator, benchmarks, sources, source maps or build info', () => {
		const unwanted = files.filter((path) =>
			/(^|\/)(test|tests|bench|emulator|scripts|examples)\/|\.ts$|\.map$|tsbuildinfo$/.test(path),
		);
		assert.deepEqual(unwanted, []);
	});

	it('names no path of the machine that built it', () => {
		const leaks = files
			.filter((path) => path.startsWith('dist/'))
			.filter((path) => {
				const text = readFileSync(resolve(ROOT, path), 'utf8');
				return text.includes(ROOT) || /sourceMappingURL/.test(text);
			});
		assert.deepEqual(leaks, []);
	});
});
