import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/** A collection parameter's value, or an empty object for anything else an expression gave. */
export function asObject(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** A multi-options value, or the comma list an expression may give. */
export function toStringList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((v) => v.trim())
			.filter(Boolean);
	if (typeof value === 'string')
		return value
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean);
	return [];
}

/**
 * The options of an options parameter from its stable values, one list for the dropdown and
 * for the check of saved values: `clean` is shown as "Clean", in alphabetical order (as n8n's
 * lint wants dropdowns).
 */
export function optionsOf(values: readonly string[]): INodePropertyOptions[] {
	return sortedOptions(values.map(optionOf));
}

/** The option of a stable value, shown capitalized: `clean` is "Clean". */
export function optionOf(value: string): { name: string; value: string } {
	return { name: value.charAt(0).toUpperCase() + value.slice(1), value };
}

/**
 * The `{ name, value }` options of a table whose rows may carry more (an API string, say), in
 * alphabetical order of name, as n8n's lint wants dropdowns; the table keeps its own order for
 * messages.
 */
export function sortedOptions(
	rows: ReadonlyArray<{ name: string; value: string }>,
): INodePropertyOptions[] {
	return rows
		.map(({ name, value }) => ({ name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Values typed into one text field that cannot contain spaces (hashes, IP ranges, domains):
 * split at commas, semicolons, spaces or new lines; a list from an expression is taken as is.
 */
export function toTokenList(value: unknown): string[] {
	const parts = Array.isArray(value)
		? value.map((v) => String(v ?? ''))
		: typeof value === 'string'
			? value.split(/[\s,;]+/)
			: [];
	return parts.map((p) => p.trim()).filter((p) => p !== '');
}
