/** Managed URLs (api-more §8): create (refuses a duplicate), list (paged, filterable), delete. */
import { type ActionHandler, fieldFail, isReply, itemsOf, missing, ok, pageOfList } from './common';
import type { ActionState, ManagedUrl } from './state';

const EXISTS = [
	'err_managed_url_exists_code',
	'The managed URL already exists; to update it, delete and recreate',
] as const;

function parse(url: unknown): URL | undefined {
	if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || url.includes('#')) return undefined;
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

/** The entry Mimecast keeps for a URL: scheme, host, path and query; domain entries the host only. */
function entryKey(
	e: Pick<ManagedUrl, 'scheme' | 'domain' | 'path' | 'queryString' | 'matchType'>,
): string {
	if (e.matchType === 'domain') return `domain|${e.domain.toLowerCase()}`;
	return `explicit|${e.scheme}|${e.domain.toLowerCase()}|${e.path || '/'}|${e.queryString}`;
}

export function managedUrlRoutes(state: ActionState): Record<string, ActionHandler> {
	return {
		'/api/ttp/url/create-managed-url': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const item = items[0];
			const url = parse(item.url);
			if (item.url === undefined) return missing('url', item);
			if (!url)
				return fieldFail(
					'err_validation_invalid_url',
					'The URL must start with http:// or https:// and have no fragment',
					item,
					'url',
				);
			if (item.action !== 'block' && item.action !== 'permit')
				return fieldFail(
					'err_validation_invalid_value',
					'action must be block or permit',
					item,
					'action',
				);
			const matchType = item.matchType ?? 'explicit';
			if (matchType !== 'explicit' && matchType !== 'domain')
				return fieldFail(
					'err_validation_invalid_value',
					'matchType must be explicit or domain',
					item,
					'matchType',
				);
			const permit = item.action === 'permit';
			const entry: ManagedUrl = {
				id: state.newId(),
				scheme: url.protocol.replace(':', ''),
				domain: url.hostname,
				port: url.port ? Number(url.port) : -1,
				path: matchType === 'domain' ? '' : url.pathname,
				queryString: matchType === 'domain' ? '' : url.search.replace(/^\?/, ''),
				matchType,
				action: item.action,
				comment: typeof item.comment === 'string' ? item.comment : '',
				disableUserAwareness: permit && item.disableUserAwareness === true,
				disableRewrite: permit && item.disableRewrite === true,
				disableLogClick: item.disableLogClick === true,
			};
			if (state.managedUrls.some((e) => entryKey(e) === entryKey(entry))) {
				return fieldFail(EXISTS[0], EXISTS[1], { ...item, overrideUrl: false });
			}
			state.managedUrls.push(entry);
			return ok([entry]);
		},
		'/api/ttp/url/get-all-managed-urls': (json) => {
			const items = itemsOf(json, { allowEmpty: true });
			if (isReply(items)) return items;
			const filter = items[0] ?? {};
			const wanted = typeof filter.domainOrUrl === 'string' ? filter.domainOrUrl.toLowerCase() : '';
			const matches = (e: ManagedUrl) => {
				if (!wanted) return true;
				const host = e.domain.toLowerCase();
				const whole = `${e.scheme}://${host}${e.path}`.toLowerCase();
				return filter.exactMatch === true
					? host === wanted || whole === wanted
					: host.includes(wanted) || whole.includes(wanted);
			};
			const page = pageOfList(json, state.managedUrls.filter(matches));
			if (isReply(page)) return page;
			return ok(page.page, page.meta);
		},
		'/api/ttp/url/delete-managed-url': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const item = items[0];
			if (typeof item.id !== 'string' || item.id === '') return missing('id', item);
			const index = state.managedUrls.findIndex((e) => e.id === item.id);
			if (index < 0) return fieldFail('err_managed_url_not_found', 'Managed URL not found', item);
			state.managedUrls.splice(index, 1);
			return ok([]);
		},
	};
}
