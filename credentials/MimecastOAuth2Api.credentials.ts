import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * Mimecast API 2.0: OAuth 2.0 client credentials. n8n's own oAuth2Api fetches the token
 * from {base}/oauth/token, caches it and fetches a new one on expiry or a 401.
 */
export class MimecastOAuth2Api implements ICredentialType {
	name = 'mimecastOAuth2Api';

	extends = ['oAuth2Api'];

	// n8n requires OAuth2 credential names to say OAuth2 and end in "API".
	displayName = 'Mimecast API 2.0 OAuth2 API';

	documentationUrl = 'https://github.com/n8n-nodes-mimecast/n8n-nodes-mimecast#mimecast-api-20-credential';

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
				{ name: 'Global (api.services.mimecast.com)', value: 'global' },
				{ name: 'United Kingdom (uk-api.services.mimecast.com)', value: 'uk' },
				{ name: 'United States (us-api.services.mimecast.com)', value: 'us' },
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
			default:
				'={{($self["region"] === "custom" ? String($self["baseUrl"]).replace(/\\/+$/, "") : ({global:"https://api.services.mimecast.com",uk:"https://uk-api.services.mimecast.com",us:"https://us-api.services.mimecast.com"})[$self["region"]]) + "/oauth/token"}}',
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

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.region === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : ({global:"https://api.services.mimecast.com",uk:"https://uk-api.services.mimecast.com",us:"https://us-api.services.mimecast.com"})[$credentials.region]}}',
			url: '/api/account/get-account',
			method: 'POST',
			body: { data: [] },
			json: true,
		},
	};
}
