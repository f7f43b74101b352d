/**
 * Diagnostic for P1 and P1t, not a target: the Audit Events walk written directly on n8n's
 * request helper (httpRequestWithAuthentication, signed by the credential), run as a node of
 * its own inside the same ExecuteContext. What separates it from a bare loop is n8n's HTTP
 * stack (a new agent and connection per request, axios, follow-redirects); what separates the
 * Audit Events node from it is the package's own code.
 */
import type { IExecuteFunctions, INodeType } from 'n8n-workflow';

import { runNode } from '../../test/helpers/n8n.ts';

const PATH = '/api/audit/get-audit-events';

export function helperLoop(
	baseUrl: string,
	window: { start: string; end: string },
	pageSize: number,
	credentials: Parameters<typeof runNode>[1]['credentials'],
): () => Promise<number> {
	const helperNode: INodeType = {
		description: {
			displayName: 'Bench helper loop',
			name: 'benchHelperLoop',
			group: ['input'],
			version: 1,
			description: '',
			defaults: { name: 'Bench helper loop' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'mimecastApi', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const records: unknown[] = [];
			let pageToken: string | undefined;
			for (;;) {
				const pagination: Record<string, unknown> = { pageSize };
				if (pageToken) pagination.pageToken = pageToken;
				const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'mimecastApi', {
					method: 'POST',
					url: `${baseUrl}${PATH}`,
					body: {
						meta: { pagination },
						data: [{ startDateTime: window.start, endDateTime: window.end }],
					},
					json: true,
				})) as { data: unknown[]; meta: { pagination: { next?: string } } };
				for (const r of body.data) records.push(r);
				pageToken = body.meta.pagination.next;
				if (!pageToken) return [[{ json: { n: records.length } }]];
			}
		},
	};
	return async () => {
		const [item] = await runNode(helperNode, { parameters: {}, credentials });
		return item.json.n as number;
	};
}
