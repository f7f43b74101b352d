import type { PagedLogDefinition } from './types';
import { clientFiltered } from './clientFilters';

/**
 * POST /api/gateway/get-held-release-logs (mimecast-api-more.md §3): held messages released or
 * rejected, and by whom. Body `start`/`end`; records in `data[0].heldReleaseLogs[]`, timed by
 * `released`. Status is applied by the node: the recorded clients send no filter, and
 * Mimecast's `filterBy` was not seen working in any recorded response.
 */
export const messageReleaseLogs: PagedLogDefinition = {
	kind: 'paged',
	key: 'messageReleaseLogs',
	displayName: 'Message Release Logs',
	recordNoun: 'message release log',
	description: 'Get the logs of held messages that were released or rejected, and who did it',
	endpoint: () => ({
		path: '/api/gateway/get-held-release-logs',
		recordsKey: 'heldReleaseLogs',
		timeField: 'released',
		permission: 'Monitoring | Held | Read',
		simplifiedFields: [
			'released',
			'status',
			'operator',
			'fromEnv',
			'to',
			'subject',
			'heldReason',
			'rejectReason',
			'route',
			'id',
		],
		// Records carry the whole spam verdict: simplify by default.
		simplifyByDefault: true,
		supportsOldestFirst: false,
	}),
	dateFields: { start: 'start', end: 'end' },
	...clientFiltered('release logs', [
		{ name: 'status', displayName: 'Status', values: ['released', 'rejected'] },
	]),
	options: [],
	buildFilters: () => ({}),
};
