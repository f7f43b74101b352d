import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { API2_REGIONS, baseUrlExpression } from '../nodes/Mimecast/core/regions';

/**
 * Mimecast API 2.0: OAuth 2.0 client credentials. n8n's own oAuth2Api fetches the token
 * from {base}/oauth/token, caches it and fetches a new one on expiry or a 401.
 */
export class MimecastOAuth2Api implements ICredentialType {
	name = 'mimecastOAuth2Api';

	extends = ['oAuth2Api'];

	// n8n requires OAuth2 credential names to say OAuth2 and end in "API".
	displayName = 'Mimecast API 2.0 OAuth2 API';

	documentationUrl =
		'https://github.com/n8n-nodes-mimecast/n8n-nodes-mimecast#mimecast-api-20-credential';

	icon: Icon = {
		light: 'file:../nodes/Mimecast/mimecast.svg',
		dark: 'file:../nodes/Mimecast/mimecast.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...API2_REGIONS.map((r) => ({ name: r.label, value: r.value })),
				{ name: 'Custom', value: 'custom' },
			],
			default: 'global',
			description: 'The Mimecast API 2.0 gateway. Global works for every account.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.services.mimecast.com',
			description: 'Full API base URL, e.g. a local emulator (https required except on localhost)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			// The nodes' base URL rule, as an expression: a Base URL that is not https (or http on
			// this machine) gives an address that never resolves, so the client secret stays here.
			default: `={{${baseUrlExpression(API2_REGIONS, '$self')} + "/oauth/token"}}`,
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Mimecast reads client_id and client_secret from the form body.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	// n8n 2.41 tests OAuth2 credentials itself (its tester checks for an OAuth2 parent before a
	// node's testedBy, so a test function is never called); this request runs after n8n got a
	// token and goes to the same normalised address as the nodes.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${baseUrlExpression(API2_REGIONS, '$credentials')}}}`,
			url: '/api/account/get-account',
			method: 'POST',
			body: { data: [] },
			json: true,
		},
	};
}
