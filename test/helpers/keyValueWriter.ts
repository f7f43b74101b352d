/**
 * The key_value writer the tests use to make Mimecast-like lines from records (the package
 * only reads key_value, so this lives with the tests, not in dist/).
 */
const KEY = /^[A-Za-z0-9_.-]+$/;
const KEY_EQUALS = /^[A-Za-z0-9_.-]+=/;

function isKey(key: string): boolean {
	return KEY.test(key);
}

function serializeString(key: string, value: string): string {
	if (value.length === 0) return value;
	if (value.includes('\n') || value.includes('\r')) {
		throw new RangeError(`key_value cannot hold a line break (field ${key})`);
	}
	const c0 = value[0];
	const wrap =
		c0 === '\\' || c0 === '{' || c0 === '[' || value.includes(' ') || value.includes('|');
	if (!wrap) return value;
	// Inside a wrapped value, `\|key=` would end the value early: Mimecast has no escape for it.
	let i = value.indexOf('\\|');
	while (i !== -1) {
		if (KEY_EQUALS.test(value.slice(i + 2))) {
			throw new RangeError(`key_value cannot hold "\\|key=" inside a value (field ${key})`);
		}
		i = value.indexOf('\\|', i + 1);
	}
	return `\\${value}\\`;
}

/**
 * Writes a record the way Mimecast writes key_value lines: `key=value` joined by `|`, values
 * with spaces or pipes wrapped in backslashes, objects and arrays as inline JSON, `null` as an
 * empty value, `undefined` left out. Throws RangeError for what the format cannot carry (keys
 * outside `A-Z a-z 0-9 _ - .`, line breaks, `\|key=` inside a value) instead of writing a line
 * that would read back differently.
 */
export function serializeKeyValue(record: Record<string, unknown>): string {
	let out = '';
	let first = true;
	for (const key of Object.keys(record)) {
		const value = record[key];
		if (value === undefined) continue;
		if (!isKey(key)) throw new RangeError(`key_value cannot hold the key ${JSON.stringify(key)}`);
		let text: string;
		if (value === null) text = '';
		else if (typeof value === 'string') text = serializeString(key, value);
		else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
			text = String(value);
		} else if (value instanceof Date) text = serializeString(key, value.toISOString());
		else if (typeof value === 'object') text = JSON.stringify(value);
		else throw new RangeError(`key_value cannot hold a ${typeof value} (field ${key})`);
		out += first ? `${key}=${text}` : `|${key}=${text}`;
		first = false;
	}
	return out;
}
