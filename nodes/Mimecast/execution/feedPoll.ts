import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { nowMs, parseRecordTime, toMimecastDate } from '../core/dates';
import { fingerprint } from '../core/fingerprint';
import type { FeedLogDefinition } from '../logTypes/types';
import { asNodeError, retryAfterOf } from '../transport/errors';
import type { PagedCursor, TimedRecord } from './cursor';
import { admit, advance, floorToSecond, initialCursor, loadCursor, streamKey } from './cursor';
import { iterateFeedPages } from './feedPages';
import type { FeedSettings } from './feedParams';
import { matchesIndicatorTypes, readFeedSettings } from './feedParams';
import { simplifyRecord } from './output';
import { pollDeadline } from './pollBudget';
import type { TriggerSettings } from './triggerSettings';
import { readTriggerSettings } from './triggerSettings';
import { leasedPoll } from './pollLease';
import { pollParameters } from './query';

interface FeedPlan {
	definition: FeedLogDefinition;
	feed: FeedSettings;
	trigger: TriggerSettings;
	deadline: number;
}

interface Collected {
	emitted: Array<TimedRecord<IDataObject>>;
	coveredEnd: number;
	complete: boolean;
	retryAfterMs?: number;
}

/** Most windows a poll tries before giving up until the next poll (each halves the last). */
const MAX_PROBES = 24;

/**
 * The Threat Intel Feed trigger: each indicator once (STIX `id` + `modified`, or a CSV row's
 * hash and Timestamp), oldest first, across polls and restarts, with the paged triggers'
 * cursor (execution/cursor.ts) in workflow static data.
 *
 * Mimecast does not document the feed's order, so a window is read whole before any of it is
 * emitted, then sorted. A window holding more than a poll may keep is halved until it fits;
 * of a window read whole, the oldest Max Records per Poll are emitted and the cursor stops
 * at the newest of them. The cursor moves only at the end of a successful poll.
 */
export const runFeedPoll = leasedPoll(feedPoll);

async function feedPoll(
	this: IPollFunctions,
	definition: FeedLogDefinition,
): Promise<INodeExecutionData[][] | null> {
	const read = pollParameters(this);
	const startedAt = nowMs();
	const feed = readFeedSettings(this, definition, read);
	const plan: FeedPlan = {
		definition,
		feed,
		trigger: readTriggerSettings(this, definition, feed.options),
		deadline: pollDeadline(this, startedAt),
	};
	const toItems = (records: IDataObject[]): INodeExecutionData[] =>
		records.map((record) => ({
			json: feed.simplify ? simplifyRecord(record, feed.fileType.simplifiedFields) : record,
		}));

	if (this.getMode() === 'manual') {
		const sample = await fetchSample.call(this, plan, startedAt);
		return sample.length > 0 ? [toItems(sample)] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	// Compress changes only how the answer travels, not which indicators the stream holds.
	const stream = streamKey({
		key: definition.key,
		auth: feed.auth,
		feedType: feed.feedType,
		fileType: feed.fileType.value,
		indicatorTypes: [...feed.indicatorTypes].sort(),
	});
	let cursor = loadCursor(staticData.cursor, stream);
	const { backfillMs, settleMs } = plan.trigger;
	if (!cursor) {
		cursor = initialCursor(stream, startedAt - backfillMs - (backfillMs > 0 ? 0 : settleMs));
		if (backfillMs === 0) {
			staticData.cursor = cursor as unknown as IDataObject;
			return null;
		}
	}
	if (cursor.resumeAt !== undefined) {
		const wait = cursor.resumeAt - nowMs();
		if (wait > 0 && nowMs() + wait >= plan.deadline) return null;
		if (wait > 0) await sleep(wait);
	}
	const windowEnd = floorToSecond(nowMs() - settleMs);
	if (windowEnd <= cursor.since) return null;

	const collected = await collectWindow.call(this, plan, cursor, windowEnd);
	const next = advance(cursor, collected.emitted, collected.coveredEnd, collected.complete);
	if (collected.retryAfterMs !== undefined) next.resumeAt = nowMs() + collected.retryAfterMs;
	staticData.cursor = next as unknown as IDataObject;
	if (collected.emitted.length === 0) return null;
	return [toItems(collected.emitted.map((e) => e.record))];
}

function timed(plan: FeedPlan, record: IDataObject): TimedRecord<IDataObject> {
	const { fileType } = plan.feed;
	return {
		record,
		time: parseRecordTime(record[fileType.timeField]),
		id: fingerprint(fileType.identity(record)),
	};
}

/** The widest window from the cursor (halving from windowEnd) that this poll can read whole. */
async function collectWindow(
	this: IPollFunctions,
	plan: FeedPlan,
	cursor: PagedCursor,
	windowEnd: number,
): Promise<Collected> {
	const max = plan.trigger.maxRecordsPerPoll;
	// Room for the whole window: several polls' worth, plus what the boundary second repeats.
	let hold = Math.max(1000, 4 * max) + Object.keys(cursor.boundary).length;
	let end = windowEnd;
	try {
		for (let probe = 0; probe < MAX_PROBES && nowMs() < plan.deadline; probe++) {
			const batch = await readWholeWindow.call(this, plan, cursor.since, end, hold);
			if (batch) {
				const fresh = admit(cursor, batch);
				if (fresh.length <= max) return { emitted: fresh, coveredEnd: end, complete: true };
				return { emitted: fresh.slice(0, max), coveredEnd: end, complete: false };
			}
			// One second holding more than fits is read whole anyway: it cannot be split.
			if (end - cursor.since <= 1000) hold = Number.POSITIVE_INFINITY;
			else
				end = Math.max(cursor.since + 1000, floorToSecond(cursor.since + (end - cursor.since) / 2));
		}
	} catch (error) {
		const retryAfterMs = retryAfterOf(error);
		if (retryAfterMs === undefined) throw asNodeError(this.getNode(), error);
		return { emitted: [], coveredEnd: cursor.since, complete: false, retryAfterMs };
	}
	return { emitted: [], coveredEnd: cursor.since, complete: false };
}

/** [since, end] whole, or undefined when it holds more than `hold` or the poll's time ran out. */
async function readWholeWindow(
	this: IPollFunctions,
	plan: FeedPlan,
	since: number,
	end: number,
	hold: number,
): Promise<Array<TimedRecord<IDataObject>> | undefined> {
	const batch: Array<TimedRecord<IDataObject>> = [];
	const pages = iterateFeedPages(this, plan.definition, {
		...plan.feed,
		fileType: plan.feed.fileType.value,
		start: toMimecastDate(since),
		end: toMimecastDate(end),
		deadline: plan.deadline,
	});
	for await (const records of pages) {
		for (const record of records)
			if (matchesIndicatorTypes(plan.feed, record)) batch.push(timed(plan, record));
		if (batch.length > hold || nowMs() >= plan.deadline) return undefined;
	}
	return batch;
}

/** "Fetch Test Event": a few indicators of the last days, the cursor untouched. */
async function fetchSample(
	this: IPollFunctions,
	plan: FeedPlan,
	now: number,
): Promise<IDataObject[]> {
	const since = now - Math.max(plan.trigger.backfillMs, 7 * 86_400_000);
	const sample: IDataObject[] = [];
	const pages = iterateFeedPages(this, plan.definition, {
		...plan.feed,
		fileType: plan.feed.fileType.value,
		start: toMimecastDate(since),
		end: toMimecastDate(now),
		deadline: plan.deadline,
	});
	for await (const records of pages) {
		for (const record of records) {
			if (!matchesIndicatorTypes(plan.feed, record)) continue;
			sample.push(record);
			if (sample.length >= plan.trigger.sampleSize) return sample;
		}
	}
	return sample;
}
