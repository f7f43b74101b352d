/**
 * The response-action endpoints. Each resource's endpoints live in their own file and act on
 * one shared ActionState; server.ts mounts them through registerActionRoutes, behind the same
 * pipeline as the log endpoints (authentication, quota, faults).
 */
import type { ActionHandler } from './common';
import { handlersOf } from './endpoints';
import { heldRoutes } from './held';
import { managedUrlRoutes } from './managed-url';
import { messageEndpoints } from './message';
import { senderRoutes } from './sender';
import { urlRoutes } from './url';
import type { ActionState } from './state';

export function registerActionRoutes(
	state: ActionState,
	register: (path: string, handler: ActionHandler) => void,
): void {
	const routes = {
		...senderRoutes(state),
		...managedUrlRoutes(state),
		...urlRoutes(state),
		...heldRoutes(state),
		...handlersOf(
			{
				...messageEndpoints(state.mailbox, () => state.clock.now()),
				...state.remediations.endpoints(),
				...state.directory.endpoints(),
				...state.blockedSenderPolicies.endpoints(),
			},
			state.revokedPermissions,
		),
	};
	for (const [path, handler] of Object.entries(routes)) register(path, handler);
}

export { ActionState } from './state';
