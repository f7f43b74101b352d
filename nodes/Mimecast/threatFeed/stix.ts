import type { IDataObject } from 'n8n-workflow';

import { FeedFormatError } from './errors';
import { parseStixPattern } from './pattern';

/**
 * One item per `indicator` object of a STIX bundle: the indicator's own fields, with what its
 * pattern points at (`indicatorType`, `value`) and the name of the `malware` object it
 * indicates (`malwareName`: Mimecast puts the email subject there) in front. The malware is
 * found through the bundle's `relationship` objects, in either direction.
 */
export function indicatorsFromBundle(bundle: unknown, fileName?: string): IDataObject[] {
	if (
		!isObject(bundle) ||
		!Array.isArray(bundle.objects) ||
		(bundle.type !== undefined && bundle.type !== 'bundle')
	) {
		throw new FeedFormatError('The STIX answer is not a bundle with an "objects" list', fileName);
	}
	const objects = bundle.objects as unknown[];
	const malwareNames = new Map<string, string>();
	for (const object of objects) {
		if (
			isObject(object) &&
			object.type === 'malware' &&
			typeof object.id === 'string' &&
			typeof object.name === 'string'
		) {
			malwareNames.set(object.id, object.name);
		}
	}
	const malwareOf = new Map<string, string>();
	for (const object of objects) {
		if (!isObject(object) || object.type !== 'relationship') continue;
		const { source_ref: source, target_ref: target } = object;
		if (typeof source !== 'string' || typeof target !== 'string') continue;
		if (malwareNames.has(target) && !malwareOf.has(source))
			malwareOf.set(source, malwareNames.get(target) as string);
		if (malwareNames.has(source) && !malwareOf.has(target))
			malwareOf.set(target, malwareNames.get(source) as string);
	}
	const items: IDataObject[] = [];
	objects.forEach((object, index) => {
		if (!isObject(object) || object.type !== 'indicator') return;
		if (typeof object.id !== 'string' || object.id === '') {
			throw new FeedFormatError(
				`STIX object #${index + 1} is an indicator without an id`,
				fileName,
			);
		}
		const pattern = typeof object.pattern === 'string' ? object.pattern : '';
		const { indicatorType, value } = parseStixPattern(pattern);
		items.push({ indicatorType, value, malwareName: malwareOf.get(object.id) ?? null, ...object });
	});
	return items;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
