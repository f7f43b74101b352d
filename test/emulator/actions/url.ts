/** `/api/ttp/url/decode-url` (api-more §9): a rewritten protect link back to the original URL. */
import { type ActionHandler, isReply, itemsOf, missing, ok } from './common';
import type { ActionState } from './state';

export function urlRoutes(state: ActionState): Record<string, ActionHandler> {
	return {
		'/api/ttp/url/decode-url': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const out = [];
			for (const item of items) {
				if (typeof item.url !== 'string' || item.url === '') return missing('url', item);
				const original = state.rewrittenUrls.get(item.url);
				// A link Mimecast did not rewrite comes back unchanged with success:false.
				out.push(original ? { url: original, success: true } : { url: item.url, success: false });
			}
			return ok(out);
		},
	};
}
