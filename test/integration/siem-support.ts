/**
 * Shared by the SIEM suites (siem-*.test.ts): their short retry policy (for useFastRetries), ground
 * truth from the emulator, and the helpers that compare what the nodes emitted with it.
 */
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { MimecastSiemLogs } from '../../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { LOG_DEFINITIONS } from '../../nodes/Mimecast/logTypes';
import type { RetryPolicy } from '../../nodes/Mimecast/transport/retryPolicy';
import type { Emulator, LogRecord, RecordedRequest } from '../emulator/types';
import type { Auth } from '../helpers/credentials';
import { credentialsFor, secretsOf } from '../helpers/credentials';
import { runNode } from '../helpers/n8n';

/** What is retried stays the same; the waits are short, so exhausting retries is quick. */
export const SIEM_TEST_RETRIES: Partial<RetryPolicy> = {
	maxAttempts: 4,
	baseDelayMs: 2,
	maxDelayMs: 20,
	maxTotalWaitMs: 2_000,
	defaultRateLimitWaitMs: 20,
	timeoutMs: 10_000,
};

export const V2_TYPES: Array<{ value: string; api: string }> =
	LOG_DEFINITIONS.siemLogs.v2.types.map((t) => ({ value: t.value, api: t.api }));

/** Cloud Integrated's batch types (Source cloudIntegrated). */
export const CI_TYPES: Array<{ value: string; api: string }> =
	LOG_DEFINITIONS.siemLogs.v2.cloudIntegrated.types.map((t) => ({
		value: t.value,
		api: t.api,
	}));
export const CI_BATCH_PATH = '/siem/v1/batch/events/ci';

export const SIEM_V1_PATH = '/api/audit/get-siem-logs';
export const BATCH_PATH = '/siem/v1/batch/events/cg';

export const eventsOf = (items: INodeExecutionData[] | null): IDataObject[] =>
	(items ?? []).filter((i) => i.json.event !== undefined).map((i) => i.json.event as IDataObject);
export const warningsOf = (items: INodeExecutionData[] | null): IDataObject[] =>
	(items ?? []).filter((i) => i.json.warning !== undefined).map((i) => i.json);

/** API 1.0 ground truth: every held file's events, in chain order, with the file they are in. */
export function v1Truth(
	emu: Emulator,
): Array<{ file: string; logType: string; id: number; event: LogRecord }> {
	return emu.data
		.siemFiles()
		.flatMap((f) =>
			f.events.map((event) => ({ file: f.name, logType: f.filePrefix, id: f.id, event })),
		);
}

/**
 * A key_value event and its json twin compare equal: every value as the text key_value holds
 * (objects and arrays as their JSON; `SpamInfo=[]` reads back as an array, its json twin is
 * the string "[]").
 */
export function asStrings(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(record))
		out[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
	return out;
}

/** The emulator's token payload (zlib JSON, URL-safe base64), as a test may read it. */
export function decodeV1Token(
	token: string,
): { siemlogid: number; createTime: number } | undefined {
	const plain = token.split(':')[0];
	if (!plain) return undefined;
	try {
		return JSON.parse(inflateSync(Buffer.from(plain, 'base64url')).toString('utf8')) as {
			siemlogid: number;
			createTime: number;
		};
	} catch {
		return undefined;
	}
}

export const v1Requests = (emu: Emulator): RecordedRequest[] =>
	emu.requests.filter((r) => r.path === SIEM_V1_PATH);
export const batchRequests = (emu: Emulator): RecordedRequest[] =>
	emu.requests.filter((r) => r.path === BATCH_PATH);
export const fileRequests = (emu: Emulator): RecordedRequest[] =>
	emu.requests.filter((r) => r.path.startsWith('/siem-files/'));

/** Identity of an event across both APIs, for duplicate and order checks. */
export function eventKey(event: IDataObject): string {
	if (event.processingId !== undefined || event._offset !== undefined)
		return `${String(event.type)}|${String(event._offset)}|${String(event.processingId)}`;
	return JSON.stringify(event);
}

export function assertNoSecrets(emu: Emulator, value: unknown, secrets: string[]): void {
	const text = JSON.stringify(value, (_key, v: unknown) =>
		v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v,
	);
	for (const secret of secrets) {
		if (secret && text.includes(secret))
			throw new Error(
				`a credential secret (${secret.slice(0, 4)}…) leaked into ${text.slice(0, 200)}`,
			);
	}
	void emu;
}

/** The SIEM Logs action node run against the emulator (read when called) with one credential. */
export function siemActionRunner(emu: () => Emulator, auth: Auth) {
	return async (parameters: INodeParameters, input?: INodeExecutionData[]) =>
		await runNode(new MimecastSiemLogs(), {
			parameters: { authentication: auth, ...parameters },
			credentials: credentialsFor(emu(), auth),
			input,
		});
}

/**
 * The run fails on Mimecast's 403 naming what to fix (each pattern is found in the error's
 * description), and neither the error nor a later run's items carry a secret.
 */
export async function assertForbiddenExplained(
	emu: Emulator,
	run: () => Promise<unknown>,
	patterns: RegExp[],
	after: () => Promise<unknown>,
): Promise<void> {
	let caught: unknown;
	await assert.rejects(
		run().catch((error: unknown) => {
			caught = error;
			throw error;
		}),
		(error: Error & { description?: string }) => {
			for (const pattern of patterns) assert.match(String(error.description), pattern);
			return true;
		},
	);
	assertNoSecrets(emu, caught, secretsOf(emu));
	assertNoSecrets(emu, await after(), secretsOf(emu));
}

/** Each parameter set is refused with a NodeOperationError matching its message, nothing sent. */
export async function assertRefusedUnsent(
	emu: Emulator,
	run: (parameters: INodeParameters) => Promise<unknown>,
	cases: Array<[INodeParameters, RegExp]>,
): Promise<void> {
	for (const [parameters, message] of cases) {
		emu.clearRequests();
		await assert.rejects(run(parameters), (error: Error) => {
			assert.equal(error.constructor.name, 'NodeOperationError', String(error));
			assert.match(error.message, message);
			return true;
		});
		assert.equal(emu.requests.length, 0, `nothing sent for ${JSON.stringify(parameters)}`);
	}
}
