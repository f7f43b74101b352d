import type { IPollFunctions } from 'n8n-workflow';

const DEFAULT_BUDGET_MS = 5 * 60_000;

/**
 * How long this poll may run. n8n 2.41+ tells (getPollBudgetMs); older hosts do not, so a
 * conservative default. A margin is kept for handing the items over.
 */
export function pollDeadline(ctx: IPollFunctions, startedAt: number): number {
	const budget =
		typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : DEFAULT_BUDGET_MS;
	return startedAt + Math.max(1_000, Math.floor(budget * 0.8));
}
