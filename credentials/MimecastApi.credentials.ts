import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { API1_REGIONS } from '../nodes/Mimecast/core/regions';
import { signedRequest } from '../nodes/Mimecast/core/signing';

/**
 * Mimecast API 1.0: a registered application's ID and key plus a user's access and secret
 * keys. Every request is signed here, so nodes never see or handle the keys.
 */
export class MimecastApi implements ICredentialType {
	name = 'mimecastApi';

	// n8n requires credential names to end in "API".
	displayName = 'Mimecast API 1.0 Access Key API';

	documentationUrl =
		'https://github.com/n8n-nodes-mimecast/n8n-nodes-mimecast#mimecast-api-10-credential';

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
				...API1_REGIONS.map((r) => ({ name: r.label, value: r.value })),
				{ name: 'Custom', value: 'custom' },
			].sort((a, b) => a.name.localeCompare(b.name)),
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
			description:
				'Full API base URL, for a grid not listed or a local emulator (https required except on localhost)',
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

	// Signs every form n8n hands a credential: httpRequest's baseURL + url, an absolute url, and
	// the legacy helper's `uri` (the HTTP Request node with this predefined credential).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signedRequest(credentials, requestOptions);
	}

	// No `test` request here: n8n would run it outside the package's transport and show only
	// "Unauthorized". The nodes' `mimecastApiTest` credential test (testedBy) goes through the
	// transport, so Save shows the same message a node would.
}
