import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { RepeatPolicy } from './repeatPolicy';

/** Every n8n context a Mimecast call is made from: action nodes, triggers, option loaders. */
export type MimecastContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export type AuthenticationMode = 'oAuth2' | 'apiKeys';

/** The n8n credential type behind each authentication mode. */
export function credentialType(auth: AuthenticationMode): string {
	return auth === 'oAuth2' ? 'mimecastOAuth2Api' : 'mimecastApi';
}

export interface MimecastCall {
	method?: 'POST' | 'GET';
	/** API path, e.g. `/api/audit/get-audit-events`; joined to the credential's base URL. */
	path: string;
	/**
	 * A full URL fetched WITHOUT credentials instead of `path` (API 2.0 SIEM files are
	 * pre-signed links). Its query carries a signature, so it never appears in an error.
	 */
	presignedUrl?: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Response is a file (SIEM logs): returned as bytes, not parsed as JSON. */
	binary?: boolean;
	/** What the endpoint needs in Mimecast, named when Mimecast answers 401/403. */
	permission?: string;
	/** The node's operation, for error messages ("Audit Events"). */
	operation: string;
	itemIndex?: number;
	/** Epoch ms after which no retry wait may end (a poll's budget). */
	deadline?: number;
	/**
	 * Checks a 2xx JSON body's shape; a returned text says what is wrong, and the answer is
	 * retried like a cut-off body, then reported (transport/shape.ts).
	 */
	validate?: (body: unknown) => string | undefined;
	/**
	 * `fail[]` messages that mean "no data" rather than an error (the threat feed's "No results
	 * found for threat intel feed."): the response comes back with `noData` set.
	 */
	noDataMessages?: readonly string[];
	/** Writes (the action node): whether a repeat after an unknown outcome is safe. Unset = 'read'. */
	repeat?: RepeatPolicy;
	/** 'once' writes: how the user checks whether it happened, named in the "outcome unknown" error. */
	checkOutcome?: string;
}

export interface MimecastResponse<T = unknown> {
	status: number;
	headers: Record<string, string>;
	body: T;
	/** Mimecast answered with one of the call's `noDataMessages`. */
	noData?: boolean;
}

export interface MimecastEnvelope<T = IDataObject> {
	meta?: {
		status?: number;
		isLastToken?: boolean;
		pagination?: { pageSize?: number; totalCount?: number; next?: string; previous?: string };
	};
	data?: T[];
	fail?: Array<{
		key?: unknown;
		errors?: Array<{ code?: string; message?: string; retryable?: boolean }>;
	}>;
}
