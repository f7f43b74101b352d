import type { NodeApiError } from 'n8n-workflow';

import { serverError } from './errors';
import type { RedirectDecision } from './redirects';
import { MAX_REDIRECTS } from './redirects';
import type { RawResponse } from './send';
import type { MimecastCall, MimecastContext } from './types';

/**
 * Answers that are not Mimecast's: redirects the transport will not follow and pages that are
 * not JSON. Each names what came back and the likely cause, a proxy or a wrong Base URL.
 */
const CHECK_BASE_URL =
	"Check the credential's Region or Base URL: it must be the API address Mimecast gives for your account (for example https://eu-api.mimecast.com or https://api.services.mimecast.com), and any proxy between n8n and Mimecast must pass requests through unchanged.";

export function redirectRefused(
	ctx: MimecastContext,
	call: MimecastCall,
	status: number,
	decision: Exclude<RedirectDecision, { follow: true }>,
	host: string,
	secrets: readonly unknown[],
): NodeApiError {
	const target = decision.target ? `${decision.target.protocol}//${decision.target.host}` : '';
	const said: Record<typeof decision.reason, string> = {
		noLocation: `answered ${call.operation} with a redirect (HTTP ${status}) that names no Location`,
		badLocation: `answered ${call.operation} with a redirect (HTTP ${status}) to an unreadable Location`,
		otherOrigin: `redirected ${call.operation} to another host, ${target} (HTTP ${status})`,
		downgrade: `redirected ${call.operation} to plain http, ${target} (HTTP ${status})`,
		loop: `redirected ${call.operation} more than ${MAX_REDIRECTS} times, last to ${target} (HTTP ${status})`,
	};
	const kept = call.presignedUrl
		? 'The redirect was not followed.'
		: `The redirect was not followed, so the credentials were sent to ${host} only.`;
	return serverError(
		ctx,
		call,
		{
			status,
			code: 'redirect_not_followed',
			message: `${host} ${said[decision.reason]}`,
			description: `${kept} ${CHECK_BASE_URL}`,
		},
		secrets,
	);
}

/** The first bytes of a body, as text a person can read in an error. */
const PREVIEW_BYTES = 200;

export function unexpectedAnswer(
	ctx: MimecastContext,
	call: MimecastCall,
	response: RawResponse,
	host: string,
	secrets: readonly unknown[],
): NodeApiError {
	const type = response.headers['content-type'] || 'no content type';
	const raw = response.body;
	const text =
		typeof raw === 'string'
			? raw
			: Buffer.from(raw instanceof Uint8Array ? raw : new Uint8Array(0)).toString('utf8');
	const preview = text.slice(0, PREVIEW_BYTES).replace(/\s+/g, ' ').trim();
	return serverError(
		ctx,
		call,
		{
			status: response.statusCode,
			code: 'not_json',
			message: `${host} answered ${call.operation} with ${type} instead of Mimecast's JSON (HTTP ${response.statusCode})`,
			description: `${preview ? `The answer began: "${preview}${text.length > PREVIEW_BYTES ? '…' : ''}".` : 'The answer was empty.'} A proxy, a captive portal or a wrong Base URL is the likely cause. ${CHECK_BASE_URL}`,
		},
		secrets,
	);
}
