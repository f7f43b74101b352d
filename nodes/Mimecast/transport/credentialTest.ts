import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { signedRequest } from '../core/signing';
import { mimecastRequest } from './request';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';
import type { MimecastContext } from './types';

/** Saving a credential should answer in seconds: one retry, a short attempt limit. */
const TEST_POLICY = {
	...DEFAULT_RETRY_POLICY,
	maxAttempts: 2,
	maxTotalWaitMs: 5_000,
	attemptTimeoutMs: 30_000,
};

/**
 * Tests an API 1.0 credential on Save with the nodes' own transport: the same base URL rule,
 * signing, redirect refusal and error messages ("Mimecast rejected the request signature",
 * "These Mimecast keys belong to a different region", "must use https://"), not a bare
 * "Unauthorized". get-account is the call Mimecast's samples use to check a key pair; it needs
 * no log permission, so a pass means the keys, the region and the clock are right. Nodes
 * name it `testedBy: 'mimecastApiTest'` and list it in `methods.credentialTest`.
 */
export async function mimecastApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const ctx = credentialTestContext(this, credential.data ?? {});
	try {
		await mimecastRequest(
			ctx,
			'apiKeys',
			{ path: '/api/account/get-account', body: { data: [] }, operation: 'the credential test' },
			TEST_POLICY,
		);
		return { status: 'OK', message: 'Connection successful: Mimecast accepted the keys.' };
	} catch (error) {
		const e = error as { message?: string; description?: string | null };
		return { status: 'Error', message: [e.message, e.description].filter(Boolean).join(' ') };
	}
}

const TEST_NODE: INode = {
	id: 'mimecast-credential-test',
	name: 'Mimecast credential test',
	type: 'n8n-nodes-mimecast.credentialTest',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * What the transport needs from a node context, built from what n8n gives a credential test:
 * the decrypted fields and the legacy request helper. Requests are signed by the credential's
 * own signing function and sent without following redirects, as in a node.
 */
function credentialTestContext(
	test: ICredentialTestFunctions,
	data: ICredentialDataDecryptedObject,
): MimecastContext {
	const send = async (options: IHttpRequestOptions) => {
		const response = (await test.helpers.request({
			method: options.method,
			uri: options.url,
			qs: options.qs,
			body: options.body,
			json: options.json,
			headers: options.headers,
			timeout: options.timeout,
			followRedirect: false,
			followAllRedirects: false,
			resolveWithFullResponse: true,
			simple: false,
		})) as { statusCode: number; headers: Record<string, string>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers, body: response.body };
	};
	const ctx = {
		getNode: () => TEST_NODE,
		getCredentials: async () => data,
		helpers: {
			httpRequest: send,
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
				await send(signedRequest(data, options)),
		},
	};
	return ctx as unknown as MimecastContext;
}
