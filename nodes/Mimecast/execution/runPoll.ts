import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import type { PagedLogDefinition } from '../logTypes/types';
import type { PagedCursor } from './cursor';
import { advance, floorToSecond, initialCursor, loadCursor, streamKey } from './cursor';
import { simplifyRecord } from './output';
import { pollDeadline } from './pollBudget';
import type { PollPlan } from './pollWindows';
import { collectNewestFirst, collectOldestFirst, queryFor } from './pollWindows';
import { pollParameters, readAuthentication, readCollections, readVariant } from './query';
import { iterateRecordPages, selectionOf } from './records';
import { readTriggerSettings } from './triggerSettings';
import { leasedPoll } from './pollLease';

/**
 * The polling trigger of a paged log: each record once, oldest first, across polls and
 * restarts. The cursor in static data moves only at the end of a successful poll, together
 * with the items it emits; an error leaves it where it was (n8n also discards a staged
 * cursor when the poll throws).
 */
export const runPagedPoll = leasedPoll(pagedPoll);

// Long: the poll's steps in the order that keeps the cursor safe (settings, cursor, wait, window,
// advance), each already a function of its own.
async function pagedPoll(
	this: IPollFunctions,
	definition: PagedLogDefinition,
): Promise<INodeExecutionData[][] | null> {
	const read = pollParameters(this);
	const startedAt = nowMs();
	const auth = readAuthentication(this, read);
	const variant = readVariant(this, definition, read);
	const { filters, options } = readCollections(this, definition, variant, read);
	const settings = readTriggerSettings(this, definition, options);
	const endpoint = definition.endpoint(variant);
	const simplify = read('simplify', endpoint.simplifyByDefault) === true;
	const plan: PollPlan = {
		definition,
		auth,
		variant,
		filters,
		settings,
		deadline: pollDeadline(this, startedAt),
	};
	const toItem = (record: IDataObject): INodeExecutionData => ({
		json: simplify ? simplifyRecord(record, endpoint.simplifiedFields) : record,
	});

	if (this.getMode() === 'manual') {
		const sample = await fetchSample.call(this, plan, startedAt);
		return sample.length > 0 ? [sample.map(toItem)] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	// Filters are part of the stream: changing one starts a new cursor rather than mixing streams.
	const stream = streamKey({
		key: definition.key,
		auth,
		variant,
		filters: selectionOf(definition, { variant, filters, options: {}, start: '', end: '' }),
	});
	let cursor = loadCursor(staticData.cursor, stream);
	if (!cursor) {
		cursor = initialCursor(
			stream,
			startedAt - settings.backfillMs - (settings.backfillMs > 0 ? 0 : settings.settleMs),
		);
		if (settings.backfillMs === 0) {
			staticData.cursor = cursor as unknown as IDataObject;
			return null;
		}
	}
	if (cursor.resumeAt !== undefined) {
		const wait = cursor.resumeAt - nowMs();
		if (wait > 0 && nowMs() + wait >= plan.deadline) return null;
		if (wait > 0) await sleep(wait);
	}
	cursor = clampToRetention(cursor, definition, nowMs());

	const windowEnd = floorToSecond(nowMs() - settings.settleMs);
	if (windowEnd <= cursor.since) return null;

	const outcome = endpoint.supportsOldestFirst
		? await collectOldestFirst.call(this, plan, cursor, windowEnd)
		: await collectNewestFirst.call(this, plan, cursor, windowEnd);

	const next = advance(cursor, outcome.emitted, outcome.coveredEnd, outcome.complete);
	if (outcome.retryAfterMs !== undefined) next.resumeAt = nowMs() + outcome.retryAfterMs;
	const recordsPerSecond = outcome.recordsPerSecond ?? cursor.recordsPerSecond;
	if (recordsPerSecond !== undefined) next.recordsPerSecond = recordsPerSecond;
	staticData.cursor = next as unknown as IDataObject;
	// Warnings first: they say what of this poll's answers was skipped, and why.
	const items: INodeExecutionData[] = outcome.warnings.map((warning) => ({ json: { warning } }));
	for (const entry of outcome.emitted) items.push(toItem(entry.record));
	return items.length > 0 ? [items] : null;
}

/** "Fetch Test Event": a few recent records, the cursor untouched. */
async function fetchSample(
	this: IPollFunctions,
	plan: PollPlan,
	now: number,
): Promise<IDataObject[]> {
	const lookback = Math.max(plan.settings.backfillMs, 7 * 86_400_000);
	const retention = plan.definition.retentionDays
		? plan.definition.retentionDays * 86_400_000 - 60_000
		: lookback;
	const since = now - Math.min(lookback, retention);
	const sample: IDataObject[] = [];
	const pages = iterateRecordPages(this, plan.definition, {
		auth: plan.auth,
		query: queryFor(plan, since, now, false),
		want: plan.settings.sampleSize,
		deadline: plan.deadline,
	});
	for await (const { records } of pages) {
		for (const record of records) {
			sample.push(record);
			if (sample.length >= plan.settings.sampleSize) return sample;
		}
	}
	return sample;
}

/** After a long pause Mimecast no longer holds the oldest part of the window; asking fails. */
function clampToRetention(
	cursor: PagedCursor,
	definition: PagedLogDefinition,
	now: number,
): PagedCursor {
	if (definition.retentionDays === undefined) return cursor;
	const oldest = floorToSecond(now - definition.retentionDays * 86_400_000 + 60_000);
	return cursor.since >= oldest ? cursor : { ...cursor, since: oldest, boundary: {} };
}
