// n8n's community-package scanner, run locally on what we would publish. The published
// scanner fetches a package from the npm registry and its attested source from GitHub; here
// the same analysis (its exported analyzePackage and rule set) runs on `npm pack`'s tarball
// and on the sources it is built from.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const work = mkdtempSync(join(tmpdir(), 'mimecast-scan-'));

function run(command, args, cwd) {
	const result = spawnSync(command, args, {
		cwd,
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
	return result.stdout;
}

let failed = false;
try {
	run('npm', ['pack', '--silent', '--pack-destination', work], root);
	const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
	const unpacked = join(work, 'package');
	run('tar', ['-xzf', join(work, tarball), '-C', work], work);

	for (const [label, dir, patterns] of [
		[`tarball ${tarball}`, unpacked, undefined],
		['sources (nodes/, credentials/, package.json)', root, SOURCE_FILE_PATTERNS],
	]) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(`scan: ${label}: passed${result.message ? ` (${result.message})` : ''}`);
		} else {
			failed = true;
			console.log(`scan: ${label}: FAILED: ${result.message}\n${result.details ?? ''}`);
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
