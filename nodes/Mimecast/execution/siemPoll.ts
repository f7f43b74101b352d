import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import type { SiemLogDefinition } from '../logTypes/types';
import type { BatchOptions } from '../siem/fetch/batchV2';
import { seekBatchEnd } from '../siem/fetch/batchV2';
import { SiemBoundError } from '../siem/errors';
import { asNodeError } from '../transport/errors';
import type { V2Position } from '../siem/resumeToken';
import {
	formatV1Position,
	formatV2Position,
	parseV1Position,
	parseV2Position,
	START_OF_CHAIN,
} from '../siem/resumeToken';
import { streamKey } from './cursor';
import { pollDeadline } from './pollBudget';
import { collectV1, collectV2 } from './siemCollect';
import type { SiemTriggerSettings } from './siemParams';
import { readSiemTriggerSettings, utcDay } from './siemParams';
import { leasedPoll } from './pollLease';
import { pollParameters } from './query';

const DAY_MS = 86_400_000;
/** Asking for the oldest day Mimecast holds fails if its clock is a little ahead of ours. */
const RETENTION_MARGIN_MS = 10 * 60_000;

/**
 * Where a SIEM trigger stands, in the node's static data (plain JSON). `position` is the same
 * string as an item's resumeToken: API 1.0 `<token>[:[<files>.]<events>]`, API 2.0 the
 * base64url per-type positions.
 */
export interface SiemCursor {
	version: 1;
	/** Authentication, file format (1.0) and log types (2.0): changing one starts afresh. */
	stream: string;
	position: string;
	/** API 1.0, Start From Now/Backfill: files published before this (epoch ms) are passed over. */
	skipBefore?: number;
	/** API 2.0: dateRangeStartsAt for types that have no position yet. */
	startDay?: string;
	/** API 2.0, Start From Now: types whose listing end is still to be found (no download). */
	seek?: string[];
	/** API 2.0: which type is read first, rotated when a poll stops at a cap. */
	rotate?: number;
	/** Epoch ms before which Mimecast asked (429) not to call again. */
	resumeAt?: number;
}

/**
 * The SIEM Logs trigger: each event once, in order (per log type for API 2.0), across polls and
 * restarts. The cursor moves only at the end of a successful poll, to just after the last
 * event emitted; an error leaves it where it was. A corrupt file is reported by a warning item
 * and the cursor moves past it.
 */
export const runSiemPoll = leasedPoll(siemPoll);

async function siemPoll(
	this: IPollFunctions,
	definition: SiemLogDefinition,
): Promise<INodeExecutionData[][] | null> {
	const read = pollParameters(this);
	const startedAt = nowMs();
	const settings = readSiemTriggerSettings(this, definition, read);
	const deadline = pollDeadline(this, startedAt);
	const stream = streamOf(definition, settings);
	const staticData = this.getWorkflowStaticData('node');
	const stored = loadCursor(staticData.siemCursor, stream);

	if (this.getMode() === 'manual') {
		const sample = await fetchSample.call(this, definition, settings, stored, startedAt, deadline);
		return sample.length > 0 ? [sample] : null;
	}

	let cursor = stored;
	if (!cursor) {
		if (staticData.siemCursor !== undefined) {
			this.logger?.info?.(
				'Mimecast SIEM trigger: authentication, file format, source or log types changed; reading starts afresh',
			);
		}
		cursor = initialCursor(settings, stream, startedAt);
		// The start ("now") is fixed at the first poll, whatever happens to it.
		staticData.siemCursor = cursor as unknown as IDataObject;
	}
	if (cursor.resumeAt !== undefined) {
		const wait = cursor.resumeAt - nowMs();
		if (wait > 0 && nowMs() + wait >= deadline) return null;
		if (wait > 0) await sleep(wait);
	}

	const poll: PollRun = { ctx: this, definition, cursor, startedAt, deadline };
	const { next, items, retryAfterMs } =
		settings.auth === 'apiKeys' ? await pollV1(poll, settings) : await pollV2(poll, settings);
	delete next.resumeAt;
	if (retryAfterMs !== undefined) next.resumeAt = nowMs() + retryAfterMs;
	staticData.siemCursor = next as unknown as IDataObject;
	return items.length > 0 ? [items] : null;
}

/** One poll of a SIEM trigger, past the cursor's checks. */
interface PollRun {
	ctx: IPollFunctions;
	definition: SiemLogDefinition;
	cursor: SiemCursor;
	startedAt: number;
	deadline: number;
}

/** What a poll read: the cursor to store and the items to emit. */
interface PollRead {
	next: SiemCursor;
	items: INodeExecutionData[];
	retryAfterMs?: number;
}

/** The key of the stream a cursor belongs to: changing one of these starts afresh. */
function streamOf(definition: SiemLogDefinition, settings: SiemTriggerSettings): string {
	if (settings.auth === 'apiKeys')
		return streamKey({ key: definition.key, auth: settings.auth, format: settings.format });
	return streamKey({
		key: definition.key,
		auth: settings.auth,
		// Positions are per Source: a change of Source starts afresh. (Gateway cursors stored
		// before Source existed keep their key.)
		...(settings.source === 'gateway' ? {} : { source: settings.source }),
		types: settings.batchTypes.map((t) => t.value),
	});
}

/** API 1.0: the token chain from the cursor's position to the end, a cap or the budget. */
async function pollV1(poll: PollRun, settings: SiemTriggerSettings): Promise<PollRead> {
	const { ctx, definition, cursor, deadline } = poll;
	const start = parseV1Position(cursor.position) ?? START_OF_CHAIN;
	const options = { definition, settings, maxItems: Number.POSITIVE_INFINITY, deadline };
	const result = await collectV1(ctx, start, { ...options, endQuietly: true }, cursor.skipBefore);
	const next: SiemCursor = { ...cursor, position: formatV1Position(result.position) };
	if (result.seekDone) delete next.skipBefore;
	return { next, items: result.items, retryAfterMs: result.retryAfterMs };
}

/**
 * API 2.0: first finds where "now" is for types that start there (a poll of its own), then
 * reads each type's batch files, the first type rotating when a poll stops at a cap so that
 * every type gets its turn.
 */
async function pollV2(poll: PollRun, settings: SiemTriggerSettings): Promise<PollRead> {
	const { ctx, definition, cursor, startedAt, deadline } = poll;
	const start: V2Position = parseV2Position(cursor.position) ?? { types: {} };
	const startDay = maxDay(
		cursor.startDay ?? utcDay(startedAt),
		utcDay(startedAt - definition.retentionDays * DAY_MS + RETENTION_MARGIN_MS),
	);
	const range = { startDay, endDay: utcDay(startedAt) };
	const next: SiemCursor = { ...cursor, startDay };
	const seeking = await seekNow(poll, settings, range, start);
	if (seeking.size > 0) next.seek = [...seeking];
	else delete next.seek;
	if (seeking.size < (cursor.seek?.length ?? 0)) {
		// Where "now" is was found: keep it in a poll of its own, so a failure while reading
		// cannot make the next poll look for it again (and skip files published meanwhile).
		return { next: { ...next, position: formatV2Position(start) }, items: [] };
	}
	const turns = Math.max(1, settings.batchTypes.length);
	const rotate = (cursor.rotate ?? 0) % turns;
	const order = [
		...settings.batchTypes.slice(rotate),
		...settings.batchTypes.slice(0, rotate),
	].filter((t) => !seeking.has(t.value));
	const result = await collectV2(ctx, start, {
		definition,
		settings,
		maxItems: Number.POSITIVE_INFINITY,
		deadline,
		endQuietly: true,
		types: order,
		...range,
	});
	next.position = formatV2Position(result.position);
	if (result.stoppedBy !== undefined && result.stoppedBy !== 'rateLimit')
		next.rotate = (rotate + 1) % turns;
	return { next, items: result.items, retryAfterMs: result.retryAfterMs };
}

/**
 * Start From Now (API 2.0): finds the end of the listing of each type still seeking it, by
 * listing only, and sets the type's position there. Returns the types still seeking.
 */
async function seekNow(
	poll: PollRun,
	settings: SiemTriggerSettings,
	range: { startDay: string; endDay: string },
	start: V2Position,
): Promise<Set<string>> {
	const { ctx, definition, cursor, deadline } = poll;
	const seeking = new Set(cursor.seek ?? []);
	for (const type of settings.batchTypes) {
		if (!seeking.has(type.value)) continue;
		if (nowMs() >= deadline) break;
		const end = await seekEnd(ctx, {
			path: settings.batch.path,
			pageSize: definition.v2.pageSize,
			type,
			...range,
			caps: settings.caps,
			permission: definition.permission,
			operation: `Mimecast ${definition.displayName}`,
			deadline,
			shouldStop: () => nowMs() >= deadline,
		});
		if (end === null) break;
		if (end) start.types[type.value] = end;
		seeking.delete(type.value);
	}
	return seeking;
}

/** seekBatchEnd, with a loop bound ending the search for this poll (null) instead of failing it. */
async function seekEnd(ctx: IPollFunctions, options: BatchOptions) {
	try {
		return await seekBatchEnd(ctx, options);
	} catch (error) {
		if (!(error instanceof SiemBoundError)) throw asNodeError(ctx.getNode(), error);
		ctx.logger?.warn?.(`Mimecast SIEM trigger: ${error.message}; the next poll looks again`);
		return null;
	}
}

function initialCursor(settings: SiemTriggerSettings, stream: string, now: number): SiemCursor {
	if (settings.auth === 'apiKeys') {
		const cursor: SiemCursor = { version: 1, stream, position: formatV1Position(START_OF_CHAIN) };
		if (settings.startFrom === 'now') cursor.skipBefore = now;
		if (settings.startFrom === 'backfill') cursor.skipBefore = now - settings.backfillMs;
		return cursor;
	}
	const cursor: SiemCursor = { version: 1, stream, position: formatV2Position({ types: {} }) };
	if (settings.startFrom === 'now') {
		cursor.startDay = utcDay(now);
		cursor.seek = settings.batchTypes.map((t) => t.value);
	} else if (settings.startFrom === 'backfill') {
		cursor.startDay = utcDay(now - settings.backfillMs);
	} else {
		cursor.startDay = utcDay(now - 7 * DAY_MS + RETENTION_MARGIN_MS);
	}
	return cursor;
}

function loadCursor(stored: unknown, stream: string): SiemCursor | undefined {
	const cursor = stored as SiemCursor | undefined;
	if (
		!cursor ||
		cursor.version !== 1 ||
		cursor.stream !== stream ||
		typeof cursor.position !== 'string'
	)
		return undefined;
	return { ...cursor, ...(cursor.seek ? { seek: [...cursor.seek] } : {}) };
}

/** "Fetch Test Event": a few events from where the trigger stands (or the start), the cursor untouched. */
async function fetchSample(
	this: IPollFunctions,
	definition: SiemLogDefinition,
	settings: SiemTriggerSettings,
	cursor: SiemCursor | undefined,
	now: number,
	deadline: number,
): Promise<INodeExecutionData[]> {
	const common = { definition, settings, maxItems: settings.sampleSize, deadline };
	if (settings.auth === 'apiKeys') {
		const start = (cursor && parseV1Position(cursor.position)) ?? START_OF_CHAIN;
		return (await collectV1(this, start, common)).items;
	}
	const start = (cursor && parseV2Position(cursor.position)) ?? { types: {} };
	const startDay = cursor?.startDay ?? utcDay(now - DAY_MS);
	const oldest = utcDay(now - definition.retentionDays * DAY_MS + RETENTION_MARGIN_MS);
	return (
		await collectV2(this, start, {
			...common,
			types: settings.batchTypes,
			startDay: maxDay(startDay, oldest),
			endDay: utcDay(now),
		})
	).items;
}

function maxDay(a: string, b: string): string {
	return a > b ? a : b;
}
