/**
 * The package's node classes by n8n type name, loaded from their TypeScript source the way
 * package.json registers them (`mimecastTtpLogs` → nodes/Mimecast/MimecastTtpLogs.node.ts), so
 * a case table row names its node and no suite imports node files one by one.
 */
import { basename, resolve } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import pkg from '../../package.json';

const ROOT = resolve(__dirname, '../..');

/** Source files of the nodes package.json registers. */
export function registeredNodeFiles(): string[] {
	return pkg.n8n.nodes.map((dist: string) =>
		resolve(ROOT, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
	);
}

/** A fresh instance of the node class in `file`. */
export function loadNodeFile(file: string): INodeType {
	const exports = require(file) as Record<string, new () => INodeType>;
	const Class = exports[basename(file, '.node.ts')];
	if (!Class) throw new Error(`${basename(file)} exports no class ${basename(file, '.node.ts')}`);
	return new Class();
}

/** A fresh instance of node type `name` (without the package prefix). */
export function nodeType(name: string): INodeType {
	const file = resolve(
		ROOT,
		'nodes/Mimecast',
		`${name.charAt(0).toUpperCase()}${name.slice(1)}.node.ts`,
	);
	return loadNodeFile(file);
}
