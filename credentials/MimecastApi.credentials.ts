import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { signRequest, validateApiKeys } from '../nodes/Mimecast/core/signing';

/**
 * Mimecast API 1.0: a registered application's ID and key plus a user's access and secret
 * keys. Every request is signed here, so nodes never see or handle the keys.
 */
export class MimecastApi implements ICredentialType {
	name = 'mimecastApi';

	// n8n requires credential names to end in "API".
	displayName = 'Mimecast API 1.0 Access Key API';

	documentationUrl = 'https://github.com/n8n-nodes-mimecast/n8n-nodes-mimecast#mimecast-api-10-credential';

	icon: Icon = {
		light: 'file:../nodes/Mimecast/mimecast.svg',
		dark: 'file:../nodes/Mimecast/mimecast.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName:
				'Mimecast stopped issuing API 1.0 applications in 2025. If you have API 2.0 client credentials, use the Mimecast API 2.0 credential instead.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Australia (au-api)', value: 'au' },
				{ name: 'Canada (ca-api)', value: 'ca' },
				{ name: 'Custom', value: 'custom' },
				{ name: 'Europe (eu-api)', value: 'eu' },
				{ name: 'Germany (de-api)', value: 'de' },
				{ name: 'Offshore / Jersey (je-api)', value: 'je' },
				{ name: 'South Africa (za-api)', value: 'za' },
				{ name: 'United States (us-api)', value: 'us' },
				{ name: 'US Government (usb-api)', value: 'usb' },
				{ name: 'US PSCOM (uspcom-api)', value: 'uspcom' },
			],
			default: 'eu',
			description:
				'The Mimecast grid your account is hosted on. Keys only work on their own grid; a wrong region fails with err_audit_log_incorrect_region.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://eu-api.mimecast.com',
			description: 'Full API base URL, for a grid not listed or a local emulator (https required except on localhost)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Application ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Application Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Base64 text shown once when the access key was created',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Throws before anything is sent when a key is empty or the secret is not base64.
		const keys = validateApiKeys(credentials);
		const path = new URL(requestOptions.url, requestOptions.baseURL ?? 'http://localhost').pathname;
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				...signRequest(keys, path),
				Accept: 'application/json',
			},
		};
	}

	// get-account is the call Mimecast's own samples use to check a key pair; it needs no
	// log permission, so a passing test means the keys, the region and the clock are right.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.region === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ({eu:"https://eu-api.mimecast.com",de:"https://de-api.mimecast.com",us:"https://us-api.mimecast.com",usb:"https://usb-api.mimecast.com",ca:"https://ca-api.mimecast.com",za:"https://za-api.mimecast.com",au:"https://au-api.mimecast.com",je:"https://je-api.mimecast.com",uspcom:"https://uspcom-api.mimecast-pscom-us.com"})[$credentials.region]}}',
			url: '/api/account/get-account',
			method: 'POST',
			body: { data: [] },
			json: true,
		},
	};
}
