import type { IDataObject } from 'n8n-workflow';

import type { CredentialStore } from './n8n';

interface EmulatorKeys {
	baseUrl: string;
	keys: {
		v1: { appId: string; appKey: string; accessKey: string; secretKey: string };
		v2: { clientId: string; clientSecret: string };
	};
}

export type Auth = 'apiKeys' | 'oAuth2';
export const AUTH_MODES: Auth[] = ['oAuth2', 'apiKeys'];

/** Credentials pointing at an emulator, as a user would fill them in (region Custom). */
export function credentialsFor(
	emu: EmulatorKeys,
	auth: Auth,
	overrides: IDataObject = {},
): CredentialStore {
	if (auth === 'apiKeys') {
		return {
			mimecastApi: { region: 'custom', baseUrl: emu.baseUrl, ...emu.keys.v1, ...overrides },
		};
	}
	return {
		mimecastOAuth2Api: { region: 'custom', baseUrl: emu.baseUrl, ...emu.keys.v2, ...overrides },
	};
}

/** Every secret a credential holds, to check none leaks into an error or an item. */
export function secretsOf(emu: EmulatorKeys): string[] {
	return [
		emu.keys.v1.secretKey,
		emu.keys.v1.appKey,
		emu.keys.v1.accessKey,
		emu.keys.v2.clientSecret,
	];
}
