import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { pollDeadline } from './pollBudget';

/**
 * One poll at a time per trigger node. n8n starts a poll on schedule even while the previous
 * poll of the same node is still running (it only counts the overlap): both would read the same
 * cursor and emit the same records. Seen in queue mode on a loaded machine, where a SIEM poll
 * outlasted its 10-second interval and every event of it came out twice.
 *
 * The running poll holds a lease in the node's static data, which n8n shares between the polls
 * of an active workflow; a poll that finds a live lease emits nothing and leaves the cursor to
 * the running one. The lease ends with its poll, or at that poll's deadline if the process died
 * holding it (static data may be saved while a poll runs), so a crash delays the next read by
 * at most one poll budget. Manual runs ("Fetch Test Event") neither take nor respect it.
 */
export async function withPollLease(
	ctx: IPollFunctions,
	poll: () => Promise<INodeExecutionData[][] | null>,
): Promise<INodeExecutionData[][] | null> {
	if (ctx.getMode() === 'manual') return await poll();
	const staticData = ctx.getWorkflowStaticData('node');
	const now = nowMs();
	const held = staticData.pollLeaseUntil;
	if (typeof held === 'number' && held > now) {
		ctx.logger?.info?.(
			`Mimecast trigger: the previous poll of this node is still running (until ${new Date(held).toISOString()} at most); this poll is skipped. A longer Poll Times interval avoids this.`,
		);
		return null;
	}
	// The poll's own deadline, plus a margin for handing its items over.
	const until = pollDeadline(ctx, now) + 60_000;
	staticData.pollLeaseUntil = until;
	try {
		return await poll();
	} finally {
		if (staticData.pollLeaseUntil === until) delete staticData.pollLeaseUntil;
	}
}
