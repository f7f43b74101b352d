import { createHash } from 'crypto';

/**
 * A stable identity for a record whose API gives no unique id across all types
 * (mimecast-api.md): SHA-1 of its canonical JSON, keys sorted at every depth, so the
 * same record served twice (overlapping poll windows, a retried page) hashes the same.
 */
export function fingerprint(record: unknown): string {
	return createHash('sha1').update(canonicalJson(record)).digest('base64').slice(0, 27);
}

export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const keys = Object.keys(value).sort();
	const parts: string[] = [];
	for (const key of keys) {
		const v = (value as Record<string, unknown>)[key];
		if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
	}
	return `{${parts.join(',')}}`;
}
