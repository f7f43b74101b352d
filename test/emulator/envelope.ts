/**
 * Response shapes. API 1.0 (and the 1.0 log paths called with a 2.0 token) answer with
 * `{meta, data, fail}`; function-level failures come back as HTTP 200 with a non-empty `fail`
 * (Mimecast: "HTTP response codes are strictly indicative of the HTTP call status and not the
 * result of the function itself"). Authentication failures use the HTTP status.
 */

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: Buffer | string;
}

export interface McError {
	code: string;
	message: string;
	retryable?: boolean;
	field?: string;
}

/** Error codes. Those marked (doc) come from Mimecast docs or integrations; the rest are ours. */
export const CODES = {
	invalidSignature: 'err_xdk_invalid_signature', // (doc)
	developerKey: 'err_developer_key', // (doc) unknown x-mc-app-id
	bindingExpired: 'err_xdk_binding_expired', // (doc) HTTP 418
	incorrectRegion: 'err_audit_log_incorrect_region', // (doc)
	siemInvalidToken: 'err_audit_siem_invalid_token', // (doc)
	validationNull: 'err_validation_null', // (doc)
	validationBlank: 'err_validation_blank', // (doc)
	/** Authorization header not `MC key:sig`, or an x-mc-* header missing. */
	clientUpdateRequired: 'err_xdk_client_update_required',
	/** x-mc-date unparsable or more than 15 minutes away from the server clock. */
	invalidRequestDate: 'err_xdk_invalid_request_date',
	forbidden: 'err_xdk_forbidden',
	rateLimited: 'err_xdk_rate_limit_exceeded',
	internal: 'err_internal_server_error',
	dateFormat: 'err_validation_date_format',
	dateRange: 'err_validation_date_range',
	invalidValue: 'err_validation_invalid_value',
	maxValue: 'err_validation_max_value',
	minValue: 'err_validation_min_value',
	pageToken: 'err_validation_page_token_invalid',
	malformedRequest: 'err_request_malformed',
	notFound: 'err_resource_not_found',
	methodNotAllowed: 'err_method_not_allowed',
} as const;

const JSON_TYPE = 'application/json';

export function jsonReply(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		status,
		headers: { 'content-type': JSON_TYPE, ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	};
}

/** `{"meta":{"status":200},"data":[...],"fail":[]}`; `dataJson` is an already serialized array. */
export function okEnvelope(dataJson: string, meta: Record<string, unknown> = {}): Reply {
	const metaJson = JSON.stringify({ status: 200, ...meta });
	return jsonReply(200, `{"meta":${metaJson},"data":${dataJson},"fail":[]}`);
}

const withRetryable = (e: McError): McError => ({ ...e, retryable: e.retryable ?? false });

/** An envelope whose `fail[]` carries one entry (with the failing request item as `key`, if any). */
export function failEnvelope(
	httpStatus: number,
	errors: McError[],
	key?: unknown,
	metaStatus = httpStatus,
): Reply {
	const entry =
		key === undefined
			? { errors: errors.map(withRetryable) }
			: { key, errors: errors.map(withRetryable) };
	return jsonReply(httpStatus, { meta: { status: metaStatus }, data: [], fail: [entry] });
}

/** A function-level failure: HTTP 200, meta.status 200, non-empty fail[]. */
export function validationFail(errors: McError[], key?: unknown): Reply {
	return failEnvelope(200, errors, key);
}

/**
 * API 2.0 gateway errors (Bearer auth, /siem/v1): `fail[]` entries carry `code` and `message`
 * directly, as Rapid7's Mimecast 2.0 plugin reads them (`fail[0].code == "token_expired"`).
 */
export function v2Fail(status: number, code: string, message: string, retryable = false): Reply {
	return jsonReply(status, { meta: { status }, data: [], fail: [{ code, message, retryable }] });
}

/** Load balancers answer 502/503 with HTML, not JSON: clients must not assume a JSON body. */
export function gatewayHtml(status: 502 | 503): Reply {
	const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
	return {
		status,
		headers: { 'content-type': 'text/html' },
		body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
	};
}

/** S3-style XML errors for pre-signed SIEM 2.0 file URLs. */
export function s3Error(status: number, code: string, message: string): Reply {
	return {
		status,
		headers: { 'content-type': 'application/xml' },
		body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>EMULATOR</RequestId></Error>`,
	};
}
