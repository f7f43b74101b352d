import { createHash } from 'crypto';

/**
 * A stable identity for a record whose API gives no unique id across all types
 * (mimecast-api.md): SHA-1 of its canonical JSON, keys sorted at every depth, so the
 * same record served twice (overlapping poll windows, a retried page) hashes the same.
 */
export function fingerprint(record: unknown): string {
	return createHash('sha1').update(canonicalJson(record)).digest('base64').slice(0, 27);
}

/** Text written as is, between the values still to serialize. */
class Literal {
	constructor(readonly text: string) {}
}

const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');

/**
 * JSON with object keys sorted and undefined members left out. Iterative, with its own stack:
 * a record nested thousands of levels deep (bad data, a hostile server) would overflow the
 * call stack of a recursive walk. The output is the same as the recursive version's, so
 * fingerprints kept in saved cursors stay valid.
 */
export function canonicalJson(value: unknown): string {
	const out: string[] = [];
	const todo: unknown[] = [value];
	while (todo.length > 0) {
		const next = todo.pop();
		if (next instanceof Literal) {
			out.push(next.text);
		} else if (next === null || typeof next !== 'object') {
			out.push(JSON.stringify(next) ?? 'null');
		} else if (Array.isArray(next)) {
			out.push('[');
			todo.push(CLOSE_ARRAY);
			for (let i = next.length - 1; i >= 0; i--) {
				todo.push(next[i]);
				if (i > 0) todo.push(COMMA);
			}
		} else {
			out.push('{');
			todo.push(CLOSE_OBJECT);
			const record = next as Record<string, unknown>;
			const keys = Object.keys(record)
				.sort()
				.filter((key) => record[key] !== undefined);
			for (let i = keys.length - 1; i >= 0; i--) {
				todo.push(record[keys[i]]);
				todo.push(new Literal(`${JSON.stringify(keys[i])}:`));
				if (i > 0) todo.push(COMMA);
			}
		}
	}
	return out.join('');
}
