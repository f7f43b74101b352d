import { NodeApiError } from 'n8n-workflow';

import type { MimecastCall, MimecastContext } from './types';

/**
 * What may happen when a call's outcome is unknown: the request may have reached Mimecast
 * (a reset or timeout after sending, a 5xx, a cut-off answer) but no answer says what it did.
 *
 * - 'read': read-only; retried like the log reads.
 * - 'repeatable': a repeat is harmless or detectable ("already exists" = success); retried.
 * - 'once': could act twice (release a held message twice, open two incidents); never
 *   repeated once the request may have left. The error says so and how to check.
 *
 * 429 and failures before the request left this machine are retried whatever the policy:
 * Mimecast documents that a 429 call was not executed, and a refused connection or an
 * unresolved host never reached it.
 */
export type RepeatPolicy = 'read' | 'repeatable' | 'once';

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** The request never reached Mimecast: connection refused or the host name did not resolve. */
export function wasNeverSent(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } };
	const code = e?.code ?? e?.cause?.code;
	return code !== undefined && NEVER_SENT_CODES.has(code);
}

/**
 * Throws "outcome unknown" when the call may have been applied and must not be repeated;
 * otherwise returns true (the attempt may have been applied, a retry may follow).
 * `what` names the failure ("ECONNRESET", "HTTP 502") for the message.
 */
export function refuseRepeat(ctx: MimecastContext, call: MimecastCall, what: string): true {
	if (call.repeat !== 'once') return true;
	const message = `Outcome unknown: ${call.operation} may or may not have been applied`;
	const check = call.checkOutcome ?? 'the matching Get operation or the Mimecast console';
	throw new NodeApiError(
		ctx.getNode(),
		{ message, code: 'outcome_unknown' },
		{
			message,
			description: `The request reached or may have reached Mimecast, then failed with ${what} before an answer arrived. It was not sent again, because repeating it could act twice. Check with ${check} before running it again.`,
			itemIndex: call.itemIndex,
		},
	);
}
