import type { IDataObject } from 'n8n-workflow';

import { toMimecastDate } from '../core/dates';
import { asObject, toStringList } from '../core/values';
import type { FeedFileType, FeedLogDefinition } from '../logTypes/types';
import { inputError } from '../transport/errors';
import type { AuthenticationMode, MimecastContext } from '../transport/types';
import type { ParameterReader } from './query';
import { readAuthentication, readLimit, readTimeRange } from './query';

/** What both feed nodes read, checked before anything is sent. */
export interface FeedSettings {
	auth: AuthenticationMode;
	/** Mimecast's `feedType` string (`malware_customer`). */
	feedType: string;
	fileType: FeedFileType;
	compress: boolean;
	simplify: boolean;
	/** Indicator types to keep; empty keeps all (Mimecast has no such filter: applied here). */
	indicatorTypes: string[];
	options: IDataObject;
}

export interface FeedActionQuery extends FeedSettings {
	start: string;
	end: string;
	limit: number;
}

export function readFeedSettings(
	ctx: MimecastContext,
	definition: FeedLogDefinition,
	read: ParameterReader,
	itemIndex?: number,
): FeedSettings {
	const auth = readAuthentication(ctx, read, itemIndex);
	const feedValue = String(read('feedType', definition.feedTypes[0].value));
	const feedType = definition.feedTypes.find((t) => t.value === feedValue);
	if (!feedType) throw unknownValue(ctx, 'Feed Type', feedValue, definition.feedTypes, itemIndex);
	const fileValue = String(read('fileType', definition.fileTypes[0].value));
	const fileType = definition.fileTypes.find((t) => t.value === fileValue);
	if (!fileType) throw unknownValue(ctx, 'File Type', fileValue, definition.fileTypes, itemIndex);
	const filters = asObject(read('filters', {}));
	const options = asObject(read('options', {}));
	const indicatorTypes = toStringList(filters.indicatorTypes);
	const unknown = indicatorTypes.filter(
		(v) => !definition.indicatorTypes.some((t) => t.value === v),
	);
	if (unknown.length > 0)
		throw unknownValue(
			ctx,
			'Indicator Type',
			unknown.join('", "'),
			definition.indicatorTypes,
			itemIndex,
		);
	if (options.compress !== undefined && typeof options.compress !== 'boolean') {
		throw inputError(
			ctx,
			`'Compress' must be true or false (got ${JSON.stringify(options.compress)})`,
			'Turn Compress on or off.',
			itemIndex,
		);
	}
	return {
		auth,
		feedType: feedType.api,
		fileType,
		compress: options.compress === true,
		simplify: read('simplify', false) === true,
		indicatorTypes,
		options,
	};
}

export function readFeedActionQuery(
	ctx: MimecastContext,
	definition: FeedLogDefinition,
	read: ParameterReader,
	zone: string,
	itemIndex?: number,
): FeedActionQuery {
	const settings = readFeedSettings(ctx, definition, read, itemIndex);
	const { start, end } = readTimeRange(ctx, definition, read, zone, itemIndex);
	const { limit } = readLimit(ctx, read, itemIndex);
	return { ...settings, start: toMimecastDate(start), end: toMimecastDate(end), limit };
}

/**
 * The Indicator Types filter. STIX items carry their indicatorType; a CSV row matches 'sha256'
 * or 'md5' when it has that hash (CSV rows name files only, so the other types never match).
 */
export function matchesIndicatorTypes(
	settings: Pick<FeedSettings, 'indicatorTypes' | 'fileType'>,
	record: IDataObject,
): boolean {
	const wanted = settings.indicatorTypes;
	if (wanted.length === 0) return true;
	if (settings.fileType.value === 'stix') return wanted.includes(String(record.indicatorType));
	return (
		(wanted.includes('sha256') && isPresent(record.SHA256)) ||
		(wanted.includes('md5') && isPresent(record.MD5))
	);
}

function isPresent(value: unknown): boolean {
	return value !== null && value !== undefined && value !== '';
}

function unknownValue(
	ctx: MimecastContext,
	label: string,
	value: string,
	allowed: Array<{ value: string }>,
	itemIndex?: number,
) {
	return inputError(
		ctx,
		`Unknown ${label} "${value}"`,
		`${label} must be one of: ${allowed.map((a) => a.value).join(', ')}. A workflow saved with an older version may need the field set again.`,
		itemIndex,
	);
}
