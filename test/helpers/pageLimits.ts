import { after, before } from 'node:test';

import { PAGE_LIMITS } from '../../nodes/Mimecast/transport/paginate';

/**
 * Lowers the paginator's page cap for the suite that calls this, so a server paging without
 * end reaches it in a few dozen requests instead of 5,000 (what stops the walk stays the same).
 */
export function usePageCap(maxPages: number): void {
	const saved = { ...PAGE_LIMITS };
	before(() => Object.assign(PAGE_LIMITS, { maxPages }));
	after(() => Object.assign(PAGE_LIMITS, saved));
}
