import { NodeApiError, sleep } from 'n8n-workflow';

import { mimecastRequest } from '../transport/request';
import type { RetryPolicy } from '../transport/retryPolicy';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../transport/retryPolicy';
import type { AuthenticationMode, MimecastCall, MimecastContext, MimecastResponse } from '../transport/types';
import { nowMs } from '../core/dates';

/**
 * A binary call whose body is checked against its Content-Length. n8n's HTTP client hands a
 * response that was cut off mid-body (connection dropped after the headers) back as an
 * ordinary 200 with fewer bytes, often none; mimecastRequest retries what it sees as
 * network errors but cannot see this one for binary bodies. Taken as it is, a cut-off SIEM
 * file reads as an empty or corrupt file: events lost or skipped. So the call is made again,
 * with the policy's backoff, as a reset would be.
 */
export async function requestComplete(
	ctx: MimecastContext,
	auth: AuthenticationMode,
	call: MimecastCall,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<MimecastResponse<Uint8Array>> {
	let waited = 0;
	for (let attempt = 1; ; attempt++) {
		const response = await mimecastRequest<Uint8Array>(ctx, auth, { ...call, binary: true }, policy);
		const body = toBytes(response.body);
		const declared = Number(response.headers['content-length']);
		const encoded = (response.headers['content-encoding'] ?? 'identity') !== 'identity';
		if (encoded || !Number.isFinite(declared) || body.length >= declared) return { ...response, body };
		const wait = backoffDelay(policy, attempt);
		const canRetry =
			attempt < policy.maxAttempts && waited + wait <= policy.maxTotalWaitMs && (call.deadline === undefined || nowMs() + wait < call.deadline);
		if (!canRetry) {
			const message = `Could not get a complete answer from Mimecast for ${call.operation}`;
			throw new NodeApiError(
				ctx.getNode(),
				{ message, code: 'ERR_SHORT_BODY' },
				{
					message,
					description: `${attempt} answers were cut off (the last had ${body.length} of ${declared} bytes). Check the network path to Mimecast and try again.`,
					itemIndex: call.itemIndex,
				},
			);
		}
		waited += wait;
		await sleep(wait);
	}
}

function toBytes(body: unknown): Uint8Array {
	if (body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	if (typeof body === 'string') return Buffer.from(body, 'binary');
	if (body === undefined || body === null) return new Uint8Array(0);
	return Buffer.from(JSON.stringify(body), 'utf8');
}
