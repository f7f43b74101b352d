import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { InvalidDateError, nowMs, parseUserDate, toMimecastDate } from '../core/dates';
import { asObject } from '../core/values';
import type { LogQuery, PagedLogDefinition } from '../logTypes/types';
import { inputError } from '../transport/errors';
import type { AuthenticationMode, MimecastContext } from '../transport/types';

/** getNodeParameter for one item, whichever context asks. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

/** A trigger's parameters (a poll has no input items, so no item index). */
export function pollParameters(ctx: IPollFunctions): ParameterReader {
	return (name, fallback) => ctx.getNodeParameter(name, fallback);
}

export interface ActionQuery extends LogQuery {
	auth: AuthenticationMode;
	returnAll: boolean;
	limit: number;
	simplify: boolean;
}

export function readAuthentication(
	ctx: MimecastContext,
	read: ParameterReader,
	itemIndex?: number,
): AuthenticationMode {
	const auth = read('authentication', 'oAuth2');
	if (auth !== 'oAuth2' && auth !== 'apiKeys') {
		throw inputError(
			ctx,
			`Unknown Authentication "${String(auth)}"`,
			"Set the node's Authentication to API 2.0 (OAuth2) or API 1.0 (Keys).",
			itemIndex,
		);
	}
	return auth;
}

export function readVariant(
	ctx: MimecastContext,
	definition: PagedLogDefinition,
	read: ParameterReader,
	itemIndex?: number,
): string {
	if (!definition.variant) return '';
	const { parameter, values } = definition.variant;
	const value = String(read(parameter.name, parameter.default));
	if (!values.includes(value)) {
		throw inputError(
			ctx,
			`Unknown ${parameter.displayName} "${value}"`,
			`Choose one of: ${values.join(', ')}. A workflow saved with an older version may need the field set again.`,
			itemIndex,
		);
	}
	return value;
}

/** Filters and options, checked against the values each endpoint accepts. */
export function readCollections(
	ctx: MimecastContext,
	definition: PagedLogDefinition,
	variant: string,
	read: ParameterReader,
	itemIndex?: number,
): { filters: IDataObject; options: IDataObject } {
	const filters = asObject(read('filters', {}));
	const options = asObject(read('options', {}));
	for (const [field, rule] of Object.entries(definition.allowedValues)) {
		const value = filters[field] ?? options[field];
		if (value === undefined || value === '' || (rule.variants && !rule.variants.includes(variant)))
			continue;
		const given = Array.isArray(value) ? value.map(String) : [String(value)];
		const unknown = given.filter((v) => !rule.values.includes(v));
		if (unknown.length > 0) {
			throw inputError(
				ctx,
				`Unknown ${rule.label} "${unknown.join('", "')}"`,
				`${rule.label} must be one of: ${rule.values.join(', ')}. A workflow saved with an older version may need the field set again.`,
				itemIndex,
			);
		}
	}
	return { filters, options };
}

export interface Window {
	start: DateTime;
	end: DateTime;
}

/** Start and End, validated against each other and the log's retention, before anything is sent. */
export function readTimeRange(
	ctx: MimecastContext,
	definition: Pick<PagedLogDefinition, 'recordNoun' | 'retentionDays'>,
	read: ParameterReader,
	zone: string,
	itemIndex?: number,
): Window {
	const start = readDate(ctx, 'Start', read('start', ''), zone, itemIndex);
	if (!start) {
		throw inputError(
			ctx,
			"The 'Start' parameter is empty",
			`Set Start to the oldest ${definition.recordNoun} time you want, e.g. {{ $now.minus({ days: 1 }) }}.`,
			itemIndex,
		);
	}
	const now = DateTime.fromMillis(nowMs());
	const end = readDate(ctx, 'End', read('end', ''), zone, itemIndex) ?? now;
	if (end <= start) {
		throw inputError(
			ctx,
			`'End' (${toMimecastDate(end)}) is not after 'Start' (${toMimecastDate(start)})`,
			'Set End to a later time than Start, or leave End empty for now.',
			itemIndex,
		);
	}
	if (definition.retentionDays !== undefined) {
		const oldest = now.minus({ days: definition.retentionDays });
		if (start < oldest) {
			throw inputError(
				ctx,
				`'Start' (${toMimecastDate(start)}) is more than ${definition.retentionDays} days ago`,
				`Mimecast serves ${definition.recordNoun}s for the last ${definition.retentionDays} days only. Set Start to ${toMimecastDate(oldest.plus({ minutes: 1 }))} or later.`,
				itemIndex,
			);
		}
	}
	return { start, end };
}

/** A date parameter, or a NodeOperationError naming it. */
export function readDate(
	ctx: MimecastContext,
	label: string,
	value: unknown,
	zone: string,
	itemIndex?: number,
) {
	try {
		return parseUserDate(value, zone);
	} catch (error) {
		// parseUserDate throws only InvalidDateError, whose message says what the value is.
		throw inputError(
			ctx,
			`The '${label}' parameter ${(error as InvalidDateError).message}`,
			`Use an ISO 8601 date such as 2024-05-01T08:00:00Z, the date picker, or an expression like {{ $now.minus({ hours: 1 }) }}.`,
			itemIndex,
		);
	}
}

export function readLimit(
	ctx: MimecastContext,
	read: ParameterReader,
	itemIndex?: number,
): { returnAll: boolean; limit: number } {
	const returnAll = read('returnAll', false) === true;
	if (returnAll) return { returnAll, limit: Number.POSITIVE_INFINITY };
	const limit = Number(read('limit', 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw inputError(
			ctx,
			`The 'Limit' parameter must be a whole number of at least 1 (got ${String(read('limit', 50))})`,
			'Set Limit to how many records you want, or turn on Return All.',
			itemIndex,
		);
	}
	return { returnAll, limit };
}

export function readActionQuery(
	ctx: MimecastContext,
	definition: PagedLogDefinition,
	read: ParameterReader,
	zone: string,
	itemIndex?: number,
): ActionQuery {
	const auth = readAuthentication(ctx, read, itemIndex);
	const variant = readVariant(ctx, definition, read, itemIndex);
	const { start, end } = readTimeRange(ctx, definition, read, zone, itemIndex);
	const { returnAll, limit } = readLimit(ctx, read, itemIndex);
	const { filters, options } = readCollections(ctx, definition, variant, read, itemIndex);
	const simplifyDefault = definition.endpoint(variant).simplifyByDefault;
	const simplify = read('simplify', simplifyDefault) === true;
	return {
		auth,
		variant,
		start: toMimecastDate(start),
		end: toMimecastDate(end),
		returnAll,
		limit,
		simplify,
		filters,
		options,
	};
}
