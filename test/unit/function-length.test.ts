/**
 * Shipped code stays readable in small pieces: every function in nodes/ and credentials/ fits
 * in 60 lines, unless a comment right above it starts with `Long:` and says why (a table of
 * cases that reads best whole, say). Counted on the source as written, from the line holding
 * the function's start to the line of its closing brace.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const MAX_LINES = 60;

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'vendor' ? [] : sources(path);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
	});
}

type FunctionNode = ts.FunctionLikeDeclaration & { body?: ts.Node };

function isFunction(node: ts.Node): node is FunctionNode {
	return (
		ts.isFunctionDeclaration(node) ||
		ts.isMethodDeclaration(node) ||
		ts.isFunctionExpression(node) ||
		ts.isArrowFunction(node) ||
		ts.isConstructorDeclaration(node) ||
		ts.isGetAccessorDeclaration(node) ||
		ts.isSetAccessorDeclaration(node)
	);
}

/** Comments before the function or the statement declaring it. */
function leadingComments(node: ts.Node, text: string): string {
	let holder: ts.Node = node;
	while (
		holder.parent &&
		(ts.isVariableDeclaration(holder.parent) ||
			ts.isVariableDeclarationList(holder.parent) ||
			ts.isVariableStatement(holder.parent) ||
			ts.isPropertyAssignment(holder.parent) ||
			ts.isPropertyDeclaration(holder.parent) ||
			ts.isExportAssignment(holder.parent))
	) {
		holder = holder.parent;
	}
	const ranges = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
	return ranges.map((r) => text.slice(r.pos, r.end)).join('\n');
}

function longFunctions(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (isFunction(node) && node.body) {
			const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
			const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
			const lines = last - first + 1;
			if (lines > MAX_LINES && !/\bLong:/.test(leadingComments(node, text))) {
				const name =
					node.name?.getText() ??
					(ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
				found.push(`${relative(ROOT, file)}:${first + 1} ${name} has ${lines} lines`);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

describe('shipped code', () => {
	it(`has no function longer than ${MAX_LINES} lines without a "Long:" comment saying why`, () => {
		const files = [...sources(join(ROOT, 'nodes')), ...sources(join(ROOT, 'credentials'))];
		assert.ok(files.length > 20, 'the sources were found');
		assert.deepEqual(files.flatMap(longFunctions), []);
	});
});
