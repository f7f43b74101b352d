import type { IDataObject } from 'n8n-workflow';

import { inputError } from '../transport/errors';
import type { MimecastContext } from '../transport/types';

export interface TriggerSettings {
	/** How far back the first activation starts; 0 = now. */
	backfillMs: number;
	/** Windows end this long before now, so records Mimecast indexes late are not skipped. */
	settleMs: number;
	/** Records emitted per poll at most; the rest follows in the next polls, in order. */
	maxRecordsPerPoll: number;
	/** Records a manual "Fetch Test Event" returns. */
	sampleSize: number;
}

/** Used when a saved workflow lacks an option; the same values as the options' defaults. */
export const TRIGGER_DEFAULTS = {
	backfillHours: 0,
	settleSeconds: 60,
	maxRecordsPerPoll: 5000,
	sampleSize: 5,
};

/**
 * A poll holds its records in memory and hands them to n8n as one execution: 50,000 records of
 * 1-2 KB are 50-100 MB, about what an n8n worker passes on without trouble. A larger backlog is
 * emitted over several polls anyway, so a higher cap only risks the worker's memory.
 */
export const MAX_RECORDS_PER_POLL = 50_000;

/** What the settings need to know of a log type; SIEM and paged logs both have it. */
export interface Retention {
	retentionDays?: number;
	recordNoun: string;
}

export function readTriggerSettings(
	ctx: MimecastContext,
	definition: Retention,
	options: IDataObject,
): TriggerSettings {
	const backfillHours = number(options.backfillHours, TRIGGER_DEFAULTS.backfillHours);
	const settleSeconds = number(options.settleSeconds, TRIGGER_DEFAULTS.settleSeconds);
	const maxRecordsPerPoll = number(options.maxRecordsPerPoll, TRIGGER_DEFAULTS.maxRecordsPerPoll);
	if (!(backfillHours >= 0)) {
		throw inputError(
			ctx,
			`'Backfill (Hours)' must be 0 or more (got ${String(options.backfillHours)})`,
			'Use 0 to start at activation time.',
		);
	}
	if (definition.retentionDays !== undefined && backfillHours > definition.retentionDays * 24) {
		throw inputError(
			ctx,
			`'Backfill (Hours)' is ${backfillHours}, more than the ${definition.retentionDays * 24} hours Mimecast keeps ${definition.recordNoun}s`,
			`Set it to ${definition.retentionDays * 24} or less.`,
		);
	}
	if (!(settleSeconds >= 0) || settleSeconds > 3600) {
		throw inputError(
			ctx,
			`'Settle Delay (Seconds)' must be between 0 and 3600 (got ${String(options.settleSeconds)})`,
			'The default of 60 seconds suits most accounts.',
		);
	}
	if (
		!Number.isInteger(maxRecordsPerPoll) ||
		maxRecordsPerPoll < 1 ||
		maxRecordsPerPoll > MAX_RECORDS_PER_POLL
	) {
		throw inputError(
			ctx,
			`'Max Records per Poll' must be a whole number from 1 to ${MAX_RECORDS_PER_POLL} (got ${String(options.maxRecordsPerPoll)})`,
			'The default is 5000; a larger backlog is emitted over several polls.',
		);
	}
	return {
		backfillMs: backfillHours * 3_600_000,
		settleMs: settleSeconds * 1000,
		maxRecordsPerPoll,
		sampleSize: TRIGGER_DEFAULTS.sampleSize,
	};
}

function number(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	return Number(value);
}
