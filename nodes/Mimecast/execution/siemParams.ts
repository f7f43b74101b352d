import type { IDataObject } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { asObject } from '../core/values';
import type {
	SiemBatchSource,
	SiemBatchType,
	SiemLogDefinition,
	SiemSource,
} from '../logTypes/types';
import { siemBatchSource } from '../logTypes/types';
import type { Caps } from '../siem/archive';
import type { V1Format } from '../siem/fetch/chainV1';
import type { V1Position, V2Position } from '../siem/resumeToken';
import {
	looksLikeV2Token,
	parseV1Position,
	parseV2Position,
	START_OF_CHAIN,
} from '../siem/resumeToken';
import { inputError } from '../transport/errors';
import type { AuthenticationMode, MimecastContext } from '../transport/types';
import type { ParameterReader } from './query';
import { readAuthentication, readDate, readLimit } from './query';

const MB = 1024 * 1024;
const DAY_MS = 86_400_000;

/** Defaults of the SIEM options, shown in the node and used when an option is not set. */
export const SIEM_DEFAULTS = {
	action: { maxEventsPerRun: 100_000, maxBytesPerRun: 1024, maxBytesPerFile: 256 },
	trigger: {
		maxEventsPerRun: 10_000,
		maxBytesPerRun: 1024,
		maxBytesPerFile: 256,
		backfillHours: 24,
		sampleSize: 5,
	},
	/** API 2.0 batch files downloaded at once (Options > Download Concurrency), both nodes. */
	downloadConcurrency: { default: 4, min: 1, max: 16 },
} as const;

export type SiemOutput = 'events' | 'files';
export type CorruptFileMode = 'skip' | 'error';
export type StartFrom = 'now' | 'backfill' | 'earliest';

/** What both SIEM nodes read, validated before anything is sent. */
export interface SiemSettings {
	auth: AuthenticationMode;
	output: SiemOutput;
	/** API 1.0 */
	format: V1Format;
	compress: boolean;
	typed: boolean;
	/** API 2.0: which product's logs (Source), its batch endpoint and types. */
	source: SiemSource;
	batch: SiemBatchSource;
	/** API 2.0: the selected batch types in Mimecast's order (all when none is selected). */
	batchTypes: SiemBatchType[];
	onCorruptFile: CorruptFileMode;
	maxEvents: number;
	/** Decompressed bytes per run (a poll, for the trigger). */
	maxBytes: number;
	caps: Caps;
	/** API 2.0: batch files downloaded at once. */
	downloadConcurrency: number;
}

export interface SiemActionQuery extends SiemSettings {
	returnAll: boolean;
	limit: number;
	v1Start: V1Position;
	v2Start: V2Position;
	/** API 2.0 date range, YYYY-MM-DD (UTC). */
	startDay: string;
	endDay: string;
}

export interface SiemTriggerSettings extends SiemSettings {
	startFrom: StartFrom;
	backfillMs: number;
	sampleSize: number;
}

/** File Format's values, and the fileFormat get-siem-logs takes for each. */
const FORMATS: Record<'json' | 'keyValue', V1Format> = { json: 'json', keyValue: 'key_value' };

type CapDefaults = { maxEventsPerRun: number; maxBytesPerRun: number; maxBytesPerFile: number };

/** The settings both SIEM nodes share, in the order the node shows them. */
export function readSiemSettings(
	ctx: MimecastContext,
	definition: SiemLogDefinition,
	read: ParameterReader,
	defaults: CapDefaults,
	itemIndex?: number,
): SiemSettings {
	const auth = readAuthentication(ctx, read, itemIndex);
	const output = oneOf(ctx, 'Output', read('output', 'events'), OUTPUTS, itemIndex);
	const options = asObject(read('options', {}));
	const rawFormat = auth === 'apiKeys' ? read('fileFormat', 'json') : 'json';
	const format = FORMATS[oneOf(ctx, 'File Format', rawFormat, FORMAT_NAMES, itemIndex)];
	const source = readSource(ctx, auth, read('source', 'gateway'), itemIndex);
	const batch = siemBatchSource(definition, source);
	const batchTypes =
		auth === 'oAuth2' ? readBatchTypes(ctx, batch, read('logTypes', []), itemIndex) : [];
	const onCorruptFile = oneOf(
		ctx,
		'On Corrupt File',
		options.onCorruptFile ?? 'skip',
		CORRUPT_FILE_MODES,
		itemIndex,
	);
	return {
		auth,
		output,
		format,
		compress: options.compress === undefined ? true : options.compress === true,
		typed: options.typedValues === true,
		source,
		batch,
		batchTypes,
		onCorruptFile,
		...readRunCaps(ctx, options, defaults, itemIndex),
		// API 1.0 reads one chain response at a time: the option is API 2.0's only.
		downloadConcurrency:
			auth === 'oAuth2' ? readConcurrency(ctx, options.downloadConcurrency, itemIndex) : 1,
	};
}

const OUTPUTS: Record<SiemOutput, string> = { events: 'Events', files: 'Files' };
const SOURCES: Record<SiemSource, string> = {
	gateway: 'Email Security Cloud Gateway',
	cloudIntegrated: 'Cloud Integrated',
};
const CORRUPT_FILE_MODES: Record<CorruptFileMode, string> = {
	skip: 'Skip With a Warning',
	error: 'Stop With an Error',
};
const FORMAT_NAMES: Record<keyof typeof FORMATS, string> = { json: 'JSON', keyValue: 'Key Value' };
const START_FROM: Record<StartFrom, string> = {
	now: 'Now',
	backfill: 'Backfill',
	earliest: 'Earliest Available',
};

/** A value of an options parameter, or an error naming the parameter and its choices. */
function oneOf<T extends string>(
	ctx: MimecastContext,
	label: string,
	value: unknown,
	choices: Record<T, string>,
	itemIndex?: number,
): T {
	if (typeof value === 'string' && Object.hasOwn(choices, value)) return value as T;
	const names = Object.values<string>(choices);
	throw inputError(
		ctx,
		`Unknown ${label} "${String(value)}"`,
		`Set ${label} to ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}.`,
		itemIndex,
	);
}

/** Max Events per Run, Max Size per Run and Max File Size, from Options. */
function readRunCaps(
	ctx: MimecastContext,
	options: IDataObject,
	defaults: CapDefaults,
	itemIndex?: number,
): Pick<SiemSettings, 'maxEvents' | 'maxBytes' | 'caps'> {
	const maxEvents = numberOption(
		ctx,
		options.maxEventsPerRun,
		{ label: 'Max Events per Run', fallback: defaults.maxEventsPerRun, ...WHOLE_NUMBER },
		itemIndex,
	);
	const mb = (label: string, value: unknown, fallback: number) =>
		Math.ceil(numberOption(ctx, value, { label, fallback, ...MEGABYTES }, itemIndex) * MB);
	const maxBytes = mb('Max Size per Run (MB)', options.maxBytesPerRun, defaults.maxBytesPerRun);
	const maxFileBytes = mb('Max File Size (MB)', options.maxBytesPerFile, defaults.maxBytesPerFile);
	// One zip may not hold more than a run may read; a single file no more than its own cap.
	return {
		maxEvents,
		maxBytes,
		caps: { maxFileBytes, maxTotalBytes: Math.max(maxBytes, maxFileBytes) },
	};
}

export function readSiemActionQuery(
	ctx: MimecastContext,
	definition: SiemLogDefinition,
	read: ParameterReader,
	zone: string,
	itemIndex?: number,
): SiemActionQuery {
	const settings = readSiemSettings(ctx, definition, read, SIEM_DEFAULTS.action, itemIndex);
	const { returnAll, limit } = readLimit(ctx, read, itemIndex);
	const startToken = String(read('startToken', '') ?? '').trim();
	let v1Start = START_OF_CHAIN;
	let v2Start: V2Position = { types: {} };
	let startDay = '';
	let endDay = '';
	if (settings.auth === 'apiKeys') {
		v1Start = readV1Token(ctx, startToken, itemIndex);
	} else {
		v2Start = readV2Token(ctx, settings.batch, startToken, itemIndex);
		({ startDay, endDay } = readDayRange(ctx, definition, read, zone, itemIndex));
	}
	return { ...settings, returnAll, limit, v1Start, v2Start, startDay, endDay };
}

export function readSiemTriggerSettings(
	ctx: MimecastContext,
	definition: SiemLogDefinition,
	read: ParameterReader,
): SiemTriggerSettings {
	const settings = readSiemSettings(ctx, definition, read, SIEM_DEFAULTS.trigger);
	const startFrom = oneOf(ctx, 'Start From', read('startFrom', 'now'), START_FROM);
	let backfillMs = 0;
	if (startFrom === 'backfill') {
		const hours = Number(read('backfillHours', SIEM_DEFAULTS.trigger.backfillHours));
		const most = definition.retentionDays * 24;
		if (!Number.isFinite(hours) || hours < 0 || hours > most) {
			throw inputError(
				ctx,
				`'Backfill (Hours)' must be between 0 and ${most} (got ${String(read('backfillHours', ''))})`,
				`Mimecast keeps SIEM logs ${definition.retentionDays} days.`,
			);
		}
		backfillMs = hours * 3_600_000;
	}
	return { ...settings, startFrom, backfillMs, sampleSize: SIEM_DEFAULTS.trigger.sampleSize };
}

export function readV1Token(ctx: MimecastContext, text: string, itemIndex?: number): V1Position {
	if (text === '') return START_OF_CHAIN;
	if (looksLikeV2Token(text)) {
		throw inputError(
			ctx,
			"'Start Token' is a resume token of API 2.0",
			'Use a resume token from a run with the same Authentication (API 1.0), or clear Start Token to begin at the earliest file Mimecast holds.',
			itemIndex,
		);
	}
	const position = parseV1Position(text);
	if (!position) {
		throw inputError(
			ctx,
			"'Start Token' is not a SIEM token",
			"Use the resumeToken of an item this node returned, a Mimecast mc-siem-token, or leave it empty to start at the earliest file Mimecast holds. Tokens are URL-safe base64, optionally followed by ':<events>' or ':<files>.<events>'.",
			itemIndex,
		);
	}
	return position;
}

export function readV2Token(
	ctx: MimecastContext,
	batch: SiemBatchSource,
	text: string,
	itemIndex?: number,
): V2Position {
	if (text === '') return { types: {} };
	// A token of the other Source names types this one does not serve: refused, never reused.
	const position = parseV2Position(
		text,
		batch.types.map((t) => t.value),
	);
	if (!position) {
		throw inputError(
			ctx,
			"'Start Token' is not a resume token of API 2.0",
			'Use the resumeToken of an item this node returned with API 2.0 authentication and the same Source, or leave it empty to read the date range from its start. API 1.0 tokens do not work with API 2.0.',
			itemIndex,
		);
	}
	return position;
}

/** Source applies to API 2.0 only: API 1.0 serves the gateway's logs and nothing else. */
function readSource(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	value: unknown,
	itemIndex?: number,
): SiemSource {
	const source = oneOf(ctx, 'Source', value, SOURCES, itemIndex);
	if (source === 'cloudIntegrated' && auth === 'apiKeys') {
		throw inputError(
			ctx,
			'Source Cloud Integrated needs API 2.0 authentication',
			'Mimecast serves Cloud Integrated logs through API 2.0 only. Set Authentication to API 2.0 (a Mimecast API 2.0 credential), or Source to Email Security Cloud Gateway.',
			itemIndex,
		);
	}
	return source;
}

function readBatchTypes(
	ctx: MimecastContext,
	batch: SiemBatchSource,
	value: unknown,
	itemIndex?: number,
): SiemBatchType[] {
	const given = Array.isArray(value)
		? value.map(String)
		: typeof value === 'string' && value.trim() !== ''
			? value.split(',').map((v) => v.trim())
			: [];
	const known = batch.types;
	const unknown = given.filter((v) => !known.some((t) => t.value === v));
	if (unknown.length > 0) {
		throw inputError(
			ctx,
			`Unknown Log Types "${unknown.join('", "')}"`,
			`Log Types must be among: ${known.map((t) => t.value).join(', ')}. A workflow saved with an older version may need the field set again.`,
			itemIndex,
		);
	}
	return given.length === 0 ? [...known] : known.filter((t) => given.includes(t.value));
}

/** Start and End of the API 2.0 batch range, as UTC days, checked against the 7-day retention. */
export function readDayRange(
	ctx: MimecastContext,
	definition: SiemLogDefinition,
	read: ParameterReader,
	zone: string,
	itemIndex?: number,
): { startDay: string; endDay: string } {
	const now = nowMs();
	const oldest = now - definition.retentionDays * DAY_MS;
	const start = readDate(ctx, 'Start', read('start', ''), zone, itemIndex)?.toMillis() ?? oldest;
	const end = readDate(ctx, 'End', read('end', ''), zone, itemIndex)?.toMillis() ?? now;
	// An hour of slack: {{ $now.minus({ days: 7 }) }} is evaluated a moment before this check.
	if (start < oldest - 3_600_000) {
		throw inputError(
			ctx,
			`'Start' (${new Date(start).toISOString()}) is more than ${definition.retentionDays} days ago`,
			`Mimecast keeps SIEM logs for ${definition.retentionDays} days. Set Start to ${new Date(oldest + 60_000).toISOString()} or later, or leave it empty for the earliest available.`,
			itemIndex,
		);
	}
	if (start > now) {
		throw inputError(
			ctx,
			`'Start' (${new Date(start).toISOString()}) is in the future`,
			'Set Start to a past time, or leave it empty for the earliest available.',
			itemIndex,
		);
	}
	if (end < start) {
		throw inputError(
			ctx,
			`'End' (${new Date(end).toISOString()}) is before 'Start' (${new Date(start).toISOString()})`,
			'Set End to a later time than Start, or leave End empty for now.',
			itemIndex,
		);
	}
	return { startDay: utcDay(Math.max(start, oldest)), endDay: utcDay(Math.min(end, now)) };
}

export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

interface NumberRule {
	label: string;
	fallback: number;
	/** "a whole number of at least 1", for the error. */
	expected: string;
	valid: (n: number) => boolean;
	/** How to fix it; "The default is …" when left out. */
	hint?: string;
}

/** A number option: its fallback when empty, else the number, which must pass the rule. */
function numberOption(
	ctx: MimecastContext,
	value: unknown,
	rule: NumberRule,
	itemIndex?: number,
): number {
	const n = value === undefined || value === null || value === '' ? rule.fallback : Number(value);
	if (!rule.valid(n)) {
		throw inputError(
			ctx,
			`'${rule.label}' must be ${rule.expected} (got ${String(value)})`,
			rule.hint ?? `The default is ${rule.fallback}.`,
			itemIndex,
		);
	}
	return n;
}

const WHOLE_NUMBER = {
	expected: 'a whole number of at least 1',
	valid: (n: number) => Number.isInteger(n) && n >= 1,
};

const MEGABYTES = {
	expected: 'a number of megabytes above 0',
	valid: (n: number) => Number.isFinite(n) && n > 0,
};

/** Download Concurrency: a whole number in its range. */
function readConcurrency(ctx: MimecastContext, value: unknown, itemIndex?: number): number {
	const { default: fallback, min, max } = SIEM_DEFAULTS.downloadConcurrency;
	const rule: NumberRule = {
		label: 'Download Concurrency',
		fallback,
		expected: `a whole number from ${min} to ${max}`,
		valid: (n) => Number.isInteger(n) && n >= min && n <= max,
		hint: `It is how many batch files are downloaded at once; the default is ${fallback}.`,
	};
	return numberOption(ctx, value, rule, itemIndex);
}
