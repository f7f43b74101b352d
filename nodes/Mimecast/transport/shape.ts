import { NodeApiError } from 'n8n-workflow';

import type { MimecastCall, MimecastContext } from './types';

/**
 * A 200 whose body is not what the endpoint promises (no `data` array, records not where the
 * definition says). Read as "no records", it would move a trigger past records it never saw,
 * so it is retried like a cut-off body and then reported; nothing of it is used.
 */
export function responseShapeError(
	ctx: MimecastContext,
	call: MimecastCall,
	problem: string,
	attempts: number,
): NodeApiError {
	const message = `Mimecast answered ${call.path} with an unexpected response: ${problem}`;
	return new NodeApiError(
		ctx.getNode(),
		{ message, code: 'unexpected_response_shape' },
		{
			message,
			description: `${attempts} attempt${attempts === 1 ? '' : 's'} gave the same. No records of ${call.operation} were taken from it (a trigger keeps its position). A proxy answering in Mimecast's place or a wrong Base URL are the usual causes; if neither, try again later.`,
			itemIndex: call.itemIndex,
		},
	);
}
