// Bundles the parts of fflate the SIEM parser uses into nodes/Mimecast/vendor/fflate.js.
// n8n Cloud verification accepts community nodes without runtime dependencies only, so
// fflate (still the library doing the zip/gzip work) ships inside dist instead of being a
// dependency. The exports must match nodes/Mimecast/vendor/fflate.d.ts.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(root, 'nodes/Mimecast/vendor/fflate.js');

await build({
	stdin: { contents: "export { Gunzip, Unzlib } from 'fflate';", resolveDir: root, loader: 'js' },
	bundle: true,
	platform: 'neutral',
	mainFields: ['module', 'main'],
	format: 'cjs',
	target: 'es2020',
	outfile: source,
	banner: {
		js: '/*! fflate (c) 2023 Arjun Barrett, MIT License: https://github.com/101arrowz/fflate. Bundled by n8n-nodes-mimecast. */',
	},
	logLevel: 'warning',
});

if (process.argv.includes('--dist')) {
	const target = resolve(root, 'dist/nodes/Mimecast/vendor/fflate.js');
	mkdirSync(dirname(target), { recursive: true });
	copyFileSync(source, target);
}
