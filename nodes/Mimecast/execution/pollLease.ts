import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { pollDeadline } from './pollBudget';

const LEASE = Symbol('mimecastPollLeaseUntil');
type Leased = { [LEASE]?: number };

/**
 * One poll at a time per trigger node. n8n starts a poll on schedule even while the previous
 * poll of the same node is still running (it only counts the overlap): both would read the same
 * cursor and emit the same records. Seen in queue mode on a loaded machine, where a SIEM poll
 * outlasted its 10-second interval and every event of it came out twice.
 *
 * The running poll holds a lease on the node's static data object, which n8n shares between
 * the polls of an active workflow in one process; a poll that finds a live lease emits nothing
 * and leaves the cursor to the running one. The lease is a non-enumerable symbol property: it is
 * never saved with the static data (n8n saves a workflow's static data whenever any of its
 * triggers emits, possibly while another one polls), so a restart or a crash cannot leave a
 * stale lease behind. It ends with its poll, or at the poll's deadline should a poll hang.
 * Manual runs ("Fetch Test Event") neither take nor respect it.
 */
export async function withPollLease(
	ctx: IPollFunctions,
	poll: () => Promise<INodeExecutionData[][] | null>,
): Promise<INodeExecutionData[][] | null> {
	if (ctx.getMode() === 'manual') return await poll();
	const staticData = ctx.getWorkflowStaticData('node') as Leased;
	const now = nowMs();
	const held = staticData[LEASE];
	if (typeof held === 'number' && held > now) {
		ctx.logger?.info?.(
			`Mimecast trigger: the previous poll of this node is still running (until ${new Date(held).toISOString()} at most); this poll is skipped. A longer Poll Times interval avoids this.`,
		);
		return null;
	}
	// The poll's own deadline, plus a margin for handing its items over.
	const until = pollDeadline(ctx, now) + 60_000;
	Object.defineProperty(staticData, LEASE, {
		value: until,
		enumerable: false,
		writable: true,
		configurable: true,
	});
	try {
		return await poll();
	} finally {
		if (staticData[LEASE] === until) delete staticData[LEASE];
	}
}

/**
 * A trigger kind's poll under the lease: each kind's runner is `leasedPoll(itsPoll)`, so the
 * lease is written once (test/integration/poll-overlap.test.ts covers every trigger).
 */
export function leasedPoll<Definition>(
	poll: (this: IPollFunctions, definition: Definition) => Promise<INodeExecutionData[][] | null>,
): (this: IPollFunctions, definition: Definition) => Promise<INodeExecutionData[][] | null> {
	return async function (this: IPollFunctions, definition: Definition) {
		return await withPollLease(this, async () => await poll.call(this, definition));
	};
}
