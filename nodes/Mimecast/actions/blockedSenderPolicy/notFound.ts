import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MimecastEnvelope } from '../../transport/types';

/** An unknown policy id: HTTP 200 with `meta.status: 404` and empty data and fail (R7 fixture). */
export function saysNotFound(body: MimecastEnvelope): boolean {
	return body.meta?.status === 404;
}

export function notFoundError(ctx: IExecuteFunctions, itemIndex: number, id: string): NodeApiError {
	const message = `No blocked sender policy with ID "${id}"`;
	return new NodeApiError(
		ctx.getNode(),
		{ message, httpCode: '404' },
		{ message, description: 'Check the Policy ID with the Blocked Sender Policy Get Many operation.', httpCode: '404', itemIndex },
	);
}
