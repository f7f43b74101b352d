import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * An unknown policy id: Mimecast answers HTTP 200 with `meta.status: 404` and empty `data` and
 * `fail` (R7 fixture), which the transport reports as a 404.
 */
export function saysNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

export function notFoundError(ctx: IExecuteFunctions, itemIndex: number, id: string): NodeApiError {
	const message = `No blocked sender policy with ID "${id}"`;
	return new NodeApiError(
		ctx.getNode(),
		{ message, httpCode: '404' },
		{
			message,
			description: 'Check the Policy ID with the Blocked Sender Policy Get Many operation.',
			httpCode: '404',
			itemIndex,
		},
	);
}
