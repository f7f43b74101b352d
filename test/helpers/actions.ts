import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Mimecast } from '../../nodes/Mimecast/Mimecast.node.ts';
import { startEmulator } from '../emulator';
import type { Emulator, RecordedRequest } from '../emulator/types';
import { type Auth, credentialsFor, secretsOf } from './credentials';
import { useFastRetries } from './fastRetries';
import { type CredentialStore, runNode } from './n8n';

export interface ActionHarness {
	readonly emu: Emulator;
	/** Runs the Mimecast node with these parameters (resource/operation included) and input items. */
	run(
		auth: Auth,
		parameters: IDataObject,
		options?: { input?: IDataObject[]; continueOnFail?: boolean; credentials?: CredentialStore },
	): Promise<INodeExecutionData[]>;
	/** Requests the emulator received on `path`, in order. */
	calls(path: string): RecordedRequest[];
	/** Asserts the run fails, the message matches, and no secret is in the error. */
	rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void>;
}

/** One emulator per suite, faults and recorded requests cleared after every test. */
export function actionHarness(seed = 13): ActionHarness {
	let emu: Emulator;
	useFastRetries();
	before(async () => (emu = await startEmulator({ seed, tenant: 'empty' })));
	after(async () => await emu.close());
	afterEach(() => {
		emu.faults.clear();
		emu.clearRequests();
	});
	return {
		get emu() {
			return emu;
		},
		run: async (auth, parameters, options = {}) =>
			await runNode(new Mimecast(), {
				parameters: { authentication: auth, ...parameters },
				credentials: options.credentials ?? credentialsFor(emu, auth),
				input: (options.input ?? [{}]).map((json) => ({ json })),
				continueOnFail: options.continueOnFail,
			}),
		calls: (path) => emu.requests.filter((r) => r.path === path),
		rejects: async (promise, pattern) => {
			await assert.rejects(promise, (error: Error & { description?: string }) => {
				const text = `${error.message} | ${error.description ?? ''}`;
				assert.match(text, pattern);
				const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error)) + text;
				for (const secret of secretsOf(emu))
					assert.ok(!serialized.includes(secret), 'no secret in the error');
				assert.ok(!/Bearer [A-Za-z0-9._-]{10,}/.test(serialized), 'no token in the error');
				return true;
			});
		},
	};
}

/** The `data` items of a recorded request body. */
export function sentData(request: RecordedRequest | undefined): unknown {
	return (request?.body as { data?: unknown } | undefined)?.data;
}
