import { CODES, jsonReply, type Reply } from '../envelope';
import type { ActionHandler } from './common';

/** One action endpoint: what it needs in Mimecast, whether it changes state, and its handler. */
export interface ActionEndpoint {
	/** The role permission an API user needs; revoking it makes the endpoint refuse. */
	permission: string;
	/** Changes tenant state. */
	write: boolean;
	handle(json: unknown): Reply;
}

export type ActionEndpoints = Record<string, ActionEndpoint>;

/**
 * The handlers, each refusing while its permission is revoked: HTTP 200 with `meta.status: 403`
 * and a `fail[]`, as Rapid7's recorded find-groups answer without the permission shows.
 */
export function handlersOf(
	endpoints: ActionEndpoints,
	revoked: ReadonlySet<string>,
): Record<string, ActionHandler> {
	return Object.fromEntries(
		Object.entries(endpoints).map(([path, endpoint]) => [
			path,
			(json: unknown) =>
				revoked.has(endpoint.permission) ? forbidden(endpoint.permission) : endpoint.handle(json),
		]),
	);
}

function forbidden(permission: string): Reply {
	const message = `The API user's role lacks the ${permission} permission`;
	return jsonReply(200, {
		meta: { status: 403 },
		data: [],
		fail: [{ errors: [{ code: CODES.forbidden, message, retryable: false }] }],
	});
}
