/**
 * What a STIX indicator points at, read from its pattern. Mimecast's feed writes one comparison
 * per indicator (`[file:hashes.'SHA-256' = 'ec5a…']`, EL-mock in mimecast-api-more.md §4);
 * the other object types are STIX 2.0's own. Anything else (compound patterns, other objects)
 * is kept whole with indicatorType 'unknown', so nothing Mimecast sends is dropped.
 */
export type IndicatorType =
	| 'sha256'
	| 'md5'
	| 'sha1'
	| 'sha512'
	| 'url'
	| 'domain'
	| 'ipv4'
	| 'ipv6'
	| 'email'
	| 'unknown';

export interface ParsedPattern {
	indicatorType: IndicatorType;
	value: string;
}

/** `[object-path = 'literal']`, the literal with STIX's `\'` and `\\` escapes. */
const COMPARISON = /^\s*\[\s*([A-Za-z0-9_-]+):([^\s=]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]\s*$/s;

const HASHES: Record<string, IndicatorType> = {
	sha256: 'sha256',
	md5: 'md5',
	sha1: 'sha1',
	sha512: 'sha512',
};

const VALUE_OBJECTS: Record<string, IndicatorType> = {
	url: 'url',
	'domain-name': 'domain',
	'ipv4-addr': 'ipv4',
	'ipv6-addr': 'ipv6',
	'email-addr': 'email',
};

export function parseStixPattern(pattern: string): ParsedPattern {
	const match = COMPARISON.exec(pattern);
	const unknown: ParsedPattern = { indicatorType: 'unknown', value: pattern };
	if (!match) return unknown;
	const [, object, property, literal] = match;
	const value = literal.replace(/\\(.)/gs, '$1');
	if (object === 'file') {
		const algorithm = hashAlgorithm(property);
		return algorithm ? { indicatorType: algorithm, value: value.toLowerCase() } : unknown;
	}
	const type = VALUE_OBJECTS[object];
	return type && property === 'value' ? { indicatorType: type, value } : unknown;
}

/** `hashes.'SHA-256'`, `hashes."SHA-256"`, `hashes.SHA256`, `hashes.sha_256` all name SHA-256. */
function hashAlgorithm(property: string): IndicatorType | undefined {
	const match = /^hashes\.(?:'([^']+)'|"([^"]+)"|([A-Za-z0-9_-]+))$/.exec(property);
	if (!match) return undefined;
	const name = (match[1] ?? match[2] ?? match[3]).toLowerCase().replace(/[-_]/g, '');
	return HASHES[name];
}
