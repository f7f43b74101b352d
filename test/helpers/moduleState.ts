/**
 * Finds mutable state kept at module level in TypeScript sources, with the TypeScript compiler
 * API. In n8n's queue mode the main process and every worker load the package into their own
 * memory: a module-level cache, rate-limit memory or cursor is not shared between them and is
 * lost on restart, so state must live in workflow static data or the credential store.
 *
 * What counts as module-level state:
 * - a module-scope `let` or `var`;
 * - a module-scope `const` bound to a container (array or object literal, `new Map/Set/WeakMap/
 *   WeakSet/Array/Object`) that code in the package mutates (a mutating method call, an
 *   assignment to one of its properties or elements, `delete`, `++`/`--`, `Object.assign`);
 * - a class `static` field that is not `readonly`.
 * Constants that cannot change are fine and need no listing: `Object.freeze(...)`, `as const`,
 * or a `readonly`/`Readonly*` type annotation.
 */
import ts from 'typescript';

export interface Finding {
	/** Path as given, and 1-based line. */
	file: string;
	line: number;
	/** The binding's name (class fields: `Class.field`). */
	name: string;
	what: string;
}

const CONTAINER_CONSTRUCTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);
const MUTATORS = new Set([
	'push',
	'pop',
	'shift',
	'unshift',
	'splice',
	'sort',
	'reverse',
	'fill',
	'copyWithin',
	'set',
	'add',
	'delete',
	'clear',
]);

export const WHY =
	'in queue mode the main process and each worker have their own memory, so this is not shared and is lost on restart: keep state in workflow static data (getWorkflowStaticData) or the credential store';

function isFrozen(decl: ts.VariableDeclaration): boolean {
	const type = decl.type?.getText() ?? '';
	if (/^(readonly\b|Readonly)/.test(type)) return true;
	let init = decl.initializer;
	while (init && (ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init)))
		init = init.expression;
	if (!init) return false;
	if (ts.isAsExpression(init) && init.type.getText() === 'const') return true;
	return ts.isCallExpression(init) && init.expression.getText() === 'Object.freeze';
}

function isContainer(init: ts.Expression | undefined): boolean {
	while (
		init &&
		(ts.isParenthesizedExpression(init) ||
			ts.isAsExpression(init) ||
			ts.isSatisfiesExpression(init))
	)
		init = init.expression;
	if (!init) return false;
	if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) return true;
	return (
		ts.isNewExpression(init) &&
		ts.isIdentifier(init.expression) &&
		CONTAINER_CONSTRUCTORS.has(init.expression.text)
	);
}

/** The identifier at the root of `a.b[c].d`, if any. */
function rootName(expr: ts.Expression): string | undefined {
	let e: ts.Expression = expr;
	while (
		ts.isPropertyAccessExpression(e) ||
		ts.isElementAccessExpression(e) ||
		ts.isParenthesizedExpression(e) ||
		ts.isNonNullExpression(e)
	)
		e = e.expression;
	return ts.isIdentifier(e) ? e.text : undefined;
}

const isAssignment = (kind: ts.SyntaxKind) =>
	kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
const INC_DEC = new Set<ts.SyntaxKind>([
	ts.SyntaxKind.PlusPlusToken,
	ts.SyntaxKind.MinusMinusToken,
]);
const isMember = (e: ts.Expression) =>
	ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);

/** Names whose container some code in `source` mutates. */
function mutatedNames(source: ts.SourceFile): Set<string> {
	const names = new Set<string>();
	const visit = (node: ts.Node): void => {
		if (
			ts.isCallExpression(node) &&
			ts.isPropertyAccessExpression(node.expression) &&
			MUTATORS.has(node.expression.name.text)
		) {
			const root = rootName(node.expression.expression);
			if (root) names.add(root);
		}
		if (
			ts.isCallExpression(node) &&
			node.expression.getText(source) === 'Object.assign' &&
			node.arguments[0]
		) {
			const root = rootName(node.arguments[0]);
			if (root) names.add(root);
		}
		if (
			ts.isBinaryExpression(node) &&
			isAssignment(node.operatorToken.kind) &&
			isMember(node.left)
		) {
			const root = rootName(node.left);
			if (root) names.add(root);
		}
		const counted =
			(ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
			INC_DEC.has(node.operator)
				? node.operand
				: undefined;
		const target = ts.isDeleteExpression(node) ? node.expression : counted;
		if (target && isMember(target)) {
			const root = rootName(target);
			if (root) names.add(root);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return names;
}

/** Names a file imports (`import { a, b as c }` gives a and b, the exported names). */
function importedNames(source: ts.SourceFile): Set<string> {
	const names = new Set<string>();
	for (const statement of source.statements) {
		const bindings = ts.isImportDeclaration(statement)
			? statement.importClause?.namedBindings
			: undefined;
		if (bindings && ts.isNamedImports(bindings))
			for (const el of bindings.elements) names.add((el.propertyName ?? el.name).text);
	}
	return names;
}

/**
 * Scans sources given as { path: text }. A container is "mutated" when its own file, or a file
 * importing its name, mutates a binding of that name: by name, not by symbol, so it errs on the
 * side of reporting (a local of the same name in the declaring file counts too).
 */
export function findModuleState(files: Record<string, string>): Finding[] {
	const sources = Object.entries(files).map(([file, text]) =>
		ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS),
	);
	const mutatedIn = new Map(sources.map((source) => [source, mutatedNames(source)]));
	const importsOf = new Map(sources.map((source) => [source, importedNames(source)]));
	const isMutated = (name: string, home: ts.SourceFile) =>
		sources.some(
			(source) =>
				mutatedIn.get(source)!.has(name) && (source === home || importsOf.get(source)!.has(name)),
		);
	const findings: Finding[] = [];
	for (const source of sources) {
		const at = (node: ts.Node) =>
			source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
		for (const statement of source.statements) {
			if (!ts.isVariableStatement(statement)) continue;
			const flags = statement.declarationList.flags;
			const keyword =
				flags & ts.NodeFlags.Let ? 'let' : flags & ts.NodeFlags.Const ? 'const' : 'var';
			for (const decl of statement.declarationList.declarations) {
				const name = decl.name.getText(source);
				if (keyword !== 'const')
					findings.push({
						file: source.fileName,
						line: at(decl),
						name,
						what: `module-scope \`${keyword} ${name}\``,
					});
				else if (isContainer(decl.initializer) && !isFrozen(decl) && isMutated(name, source)) {
					findings.push({
						file: source.fileName,
						line: at(decl),
						name,
						what: `module-scope \`const ${name}\` holds a container that is mutated`,
					});
				}
			}
		}
		const visitClasses = (node: ts.Node): void => {
			if (ts.isClassLike(node)) {
				for (const member of node.members) {
					const mods = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
					const isStatic = mods.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
					const isReadonly = mods.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
					if (ts.isPropertyDeclaration(member) && isStatic && !isReadonly) {
						const name = `${node.name?.getText(source) ?? '(class)'}.${member.name.getText(source)}`;
						findings.push({
							file: source.fileName,
							line: at(member),
							name,
							what: `class static field \`${name}\` is not readonly`,
						});
					}
				}
			}
			ts.forEachChild(node, visitClasses);
		};
		visitClasses(source);
	}
	return findings;
}
