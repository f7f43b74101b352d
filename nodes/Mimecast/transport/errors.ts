import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redactSecrets } from '../core/redact';
import type { MimecastCall, MimecastContext, MimecastEnvelope } from './types';

export interface MimecastFailure {
	status: number;
	code?: string;
	message?: string;
}

interface Explained {
	message: string;
	description: string;
}

/**
 * Turns what Mimecast said into a message that says what happened and how to fix it.
 * Codes and statuses from mimecast-api.md; wording follows n8n's error guidelines.
 */
// Long: the table of Mimecast's failure codes and statuses with their fixes, read best in one place.
export function explainFailure(
	failure: MimecastFailure,
	call: MimecastCall,
	auth: 'oAuth2' | 'apiKeys',
): Explained {
	const { status, code } = failure;
	const said = failure.message
		? ` Mimecast said: "${failure.message}"${code ? ` (${code})` : ''}.`
		: code
			? ` (${code})`
			: '';
	const permission = call.permission
		? `at least the ${call.permission} permission`
		: 'the permission this endpoint needs';

	if (status === 418 || code === 'err_xdk_binding_expired') {
		return {
			message: 'The Mimecast access key has expired (binding expired)',
			description:
				"The access key outlived the API user's authentication profile TTL. In Mimecast, set the user's Authentication Profile to 'Authentication TTL: Never expires', create a new access key and secret key for the API application (Administration | Services | API and Platform Integrations), and update the Mimecast API 1.0 credential." +
				said,
		};
	}
	if (code === 'err_audit_log_incorrect_region') {
		return {
			message: 'These Mimecast keys belong to a different region',
			description:
				"Change the credential's Region to the grid your Mimecast account is hosted on (for example us-api for US accounts); the API base URL shown with your application in Mimecast tells which." +
				said,
		};
	}
	if (code === 'err_xdk_invalid_signature') {
		return {
			message: 'Mimecast rejected the request signature',
			description:
				"Copy the Secret Key and Application Key into the credential again (no spaces or quotes), and check this machine's clock: Mimecast refuses requests whose date is more than a few minutes off." +
				said,
		};
	}
	if (code === 'err_developer_key' || code === 'err_xdk_client_update_required') {
		return {
			message: 'Mimecast does not recognise the Application ID or Application Key',
			description:
				'Copy the Application ID and Application Key of your registered API application into the credential again, and make sure the application is enabled in Mimecast.' +
				said,
		};
	}
	if (code === 'err_audit_siem_invalid_token') {
		return {
			message: 'Mimecast refused the SIEM token',
			description:
				'The SIEM log token is invalid or older than the 7 days Mimecast keeps log files. Clear the start token to resume from the earliest file Mimecast still holds.' +
				said,
		};
	}
	if (code === 'file_link_expired') {
		return {
			message: `A Mimecast SIEM file link expired before it was downloaded (${status})`,
			description:
				'Pre-signed batch file links are short-lived. The batch is listed again for fresh links; if this persists, lower the page size or check the clock of this machine.',
		};
	}
	if (status === 401) {
		return {
			message: `Mimecast refused the credentials for ${call.operation} (401)`,
			description:
				(auth === 'oAuth2'
					? "Check the API 2.0 credential's Client ID and Client Secret and its Region; "
					: "Check the API 1.0 credential's keys and Region; ") +
				`the API user also needs ${permission}.` +
				said,
		};
	}
	if (status === 403) {
		return {
			message: `The Mimecast user lacks permission for ${call.operation} (403)`,
			description: `Give the API user's administrative role ${permission} in Mimecast (Administration | Account | Roles), then try again.${said}`,
		};
	}
	if (status === 429) {
		return {
			message: `Mimecast's rate limit stayed exceeded for ${call.operation} (429)`,
			description:
				'Mimecast quotas are shared by all integrations using the same user (API 1.0) or application (API 2.0). Run this workflow less often, lower the number of records per run, or ask Mimecast for a higher quota.' +
				said,
		};
	}
	if (status >= 500) {
		return {
			message: `Mimecast had a server error for ${call.operation} (${status})`,
			description: `Mimecast kept failing after the retries allowed; try again later.${said}`,
		};
	}
	if (code?.startsWith('err_validation')) {
		return {
			message: `Mimecast refused the request for ${call.operation}: ${failure.message ?? code}`,
			description: `Check the node's parameters.${said}`,
		};
	}
	return {
		message: `Mimecast returned an error for ${call.operation}${failure.message ? `: ${failure.message}` : ` (${status})`}`,
		description: `HTTP ${status}.${said}`,
	};
}

/**
 * The first error of a `fail[]`. API 1.0 nests them (`fail[].errors[]`); API 2.0 gateways
 * put `code`/`message` on the fail entry itself. Either way a non-empty fail[] is an error.
 */
export function firstFail(
	body: unknown,
): { code?: string; message?: string; retryable?: boolean } | undefined {
	const fail = (body as MimecastEnvelope | undefined)?.fail;
	if (!Array.isArray(fail) || fail.length === 0) return undefined;
	for (const entry of fail) {
		if (Array.isArray(entry?.errors) && entry.errors.length > 0) return entry.errors[0];
		const flat = entry as { code?: string; message?: string; retryable?: boolean };
		if (flat?.code || flat?.message)
			return { code: flat.code, message: flat.message, retryable: flat.retryable };
	}
	return { message: 'Mimecast reported a failure without details' };
}

/**
 * The one place text a server wrote becomes part of an error: message and description are
 * redacted of every secret the package knows (see `knownSecrets`) before the error exists.
 * Built from plain fields only, never from the HTTP client's error: that object carries the
 * request headers (the signature or bearer token).
 */
export function serverError(
	ctx: MimecastContext,
	call: MimecastCall,
	said: { status: number; message: string; description: string; code?: string },
	secrets: readonly unknown[],
): NodeApiError {
	const message = redactSecrets(said.message, secrets);
	const description = redactSecrets(said.description, secrets);
	const code = said.code === undefined ? undefined : redactSecrets(said.code, secrets);
	const payload: JsonObject = { message, httpCode: String(said.status) };
	if (code) payload.code = code;
	const error = new NodeApiError(ctx.getNode(), payload, {
		message,
		description,
		httpCode: String(said.status),
		itemIndex: call.itemIndex,
	});
	if (code) error.context.mimecastCode = code;
	return error;
}

/** What Mimecast said (status, fail[] code and message), explained and redacted. */
export function mimecastApiError(
	ctx: MimecastContext,
	failure: MimecastFailure,
	call: MimecastCall,
	auth: 'oAuth2' | 'apiKeys',
	secrets: readonly unknown[],
): NodeApiError {
	const explained = explainFailure(failure, call, auth);
	return serverError(
		ctx,
		call,
		{ status: failure.status, code: failure.code, ...explained },
		secrets,
	);
}

/** A wait Mimecast asked for (a 429's reset) that the request did not sit out, if any. */
export function retryAfterOf(error: unknown): number | undefined {
	const wait = (error as { context?: IDataObject })?.context?.retryAfterMs;
	return typeof wait === 'number' ? wait : undefined;
}

export function networkError(
	ctx: MimecastContext,
	call: MimecastCall,
	attempts: number,
	cause: unknown,
	host: string,
): NodeApiError {
	const code = (cause as { code?: string })?.code ?? 'a network error';
	const limit = /^no complete answer within/.test((cause as Error)?.message ?? '')
		? `, ${(cause as Error).message}`
		: '';
	const message = `Could not get a complete answer from Mimecast for ${call.operation}`;
	// No `code` in the payload: n8n would replace the message with its generic one for it.
	return new NodeApiError(
		ctx.getNode(),
		{ message },
		{
			message,
			description: `${attempts} attempts to ${host} ended in ${code}${limit} (connection reset, timeout or a cut-off response). Check the network path to Mimecast and try again.`,
			itemIndex: call.itemIndex,
		},
	);
}

/**
 * Errors leave the package only as n8n's own classes: they carry the HTTP context and the
 * item index to the editor. Anything else (a bug, an unexpected library error) is wrapped.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

export function inputError(
	ctx: MimecastContext,
	message: string,
	description: string,
	itemIndex?: number,
) {
	return new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}
