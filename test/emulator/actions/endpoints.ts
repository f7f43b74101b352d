import type { Reply } from '../envelope';
import type { ActionHandler } from './common';

/** One action endpoint: what it needs in Mimecast, whether it changes state, and its handler. */
export interface ActionEndpoint {
	/** The role permission an API user needs (a 403 names it). */
	permission: string;
	/** Changes tenant state. */
	write: boolean;
	handle(json: unknown): Reply;
}

export type ActionEndpoints = Record<string, ActionEndpoint>;

export function handlersOf(endpoints: ActionEndpoints): Record<string, ActionHandler> {
	return Object.fromEntries(Object.entries(endpoints).map(([path, endpoint]) => [path, (json: unknown) => endpoint.handle(json)]));
}
