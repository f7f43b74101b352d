import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator/types';
import type { Auth } from '../helpers/credentials';
import { credentialsFor } from '../helpers/credentials';
import { LOG_CASES } from '../helpers/logCases';
import { runNode } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const DAY = 86_400_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

interface BadCase {
	name: string;
	/** n8n node type without the package prefix. */
	node: string;
	params: IDataObject;
	auth?: Auth;
	credentials?: IDataObject;
	/** The error must name the field (and say what to do). */
	expect: RegExp;
}

const audit = 'mimecastAuditEvents';
const ttp = 'mimecastTtpLogs';
const views = 'mimecastArchiveViewLogs';
const ok = { start: iso(DAY), returnAll: true };

const CASES: BadCase[] = [
	{ name: 'empty start', node: audit, params: { start: '' }, expect: /'Start' parameter is empty/ },
	{
		name: 'start that is no date',
		node: audit,
		params: { start: 'last tuesday' },
		expect: /'Start' parameter "last tuesday" is not a date/,
	},
	{
		name: 'impossible date',
		node: views,
		params: { start: '2024-02-30T10:00:00Z' },
		expect: /'Start' parameter .* is not a date/,
	},
	{
		name: 'end that is no date',
		node: audit,
		params: { ...ok, end: '31/12/2024' },
		expect: /'End' parameter "31\/12\/2024" is not a date/,
	},
	{
		name: 'end before start',
		node: audit,
		params: { start: iso(DAY), end: iso(2 * DAY) },
		expect: /'End' .* is not after 'Start'/,
	},
	{
		name: 'end equal to start',
		node: views,
		params: { start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:00:00Z' },
		expect: /'End' .* is not after 'Start'/,
	},
	{
		name: 'window older than the 60 days audit retention',
		node: audit,
		params: { start: iso(61 * DAY) },
		expect: /'Start' .* more than 60 days ago/,
	},
	{
		name: 'limit 0',
		node: audit,
		params: { ...ok, returnAll: false, limit: 0 },
		expect: /'Limit' parameter must be a whole number of at least 1/,
	},
	{
		name: 'negative limit',
		node: ttp,
		params: { ...ok, logType: 'url', returnAll: false, limit: -5 },
		expect: /'Limit' parameter .* \(got -5\)/,
	},
	{
		name: 'fractional limit',
		node: views,
		params: { ...ok, returnAll: false, limit: 2.5 },
		expect: /'Limit' parameter/,
	},
	{
		name: 'unknown TTP log type from an old workflow',
		node: ttp,
		params: { ...ok, logType: 'dns' },
		expect: /Unknown Log Type "dns"/,
	},
	{
		name: 'unknown route',
		node: ttp,
		params: { ...ok, logType: 'url', filters: { route: 'sideways' } },
		expect: /Unknown Route "sideways".*/,
	},
	{
		name: 'unknown scan result',
		node: ttp,
		params: { ...ok, logType: 'url', filters: { scanResult: 'suspicious' } },
		expect: /Unknown Scan Result "suspicious"/,
	},
	{
		name: 'unknown attachment result',
		node: ttp,
		params: { ...ok, logType: 'attachment', filters: { result: 'infected' } },
		expect: /Unknown Result "infected"/,
	},
	{
		name: 'unknown impersonation identifier',
		node: ttp,
		params: { ...ok, logType: 'impersonation', filters: { identifiers: ['bogus'] } },
		expect: /Unknown Identifiers "bogus"/,
	},
	{
		name: 'unknown authentication',
		node: audit,
		params: { ...ok, authentication: 'basic' },
		expect: /Unknown Authentication "basic"/,
	},
	{
		name: 'plain http base URL outside localhost',
		node: audit,
		params: ok,
		credentials: { baseUrl: 'http://eu-api.mimecast.com' },
		expect: /Base URL .* must use https:\/\//,
	},
	{
		name: 'plain http base URL (API 2.0)',
		node: ttp,
		auth: 'oAuth2',
		params: { ...ok, logType: 'url' },
		credentials: { baseUrl: 'http://api.services.mimecast.com' },
		expect: /Base URL .* must use https:\/\//,
	},
	{
		name: 'empty custom base URL',
		node: views,
		params: ok,
		credentials: { baseUrl: '' },
		expect: /Base URL is empty/,
	},
	{
		name: 'base URL that is no URL',
		node: audit,
		auth: 'oAuth2',
		params: ok,
		credentials: { baseUrl: 'mimecast' },
		expect: /Base URL "mimecast" is not a URL/,
	},
	{
		name: 'base URL with a query string',
		node: audit,
		params: ok,
		credentials: { baseUrl: 'https://eu-api.mimecast.com/?x=1' },
		expect: /Base URL must not contain a query/,
	},
	{
		name: 'unknown region',
		node: audit,
		params: ok,
		credentials: { region: 'mars' },
		expect: /Region "mars" is not a Mimecast API 1.0 region/,
	},
	{
		name: 'empty application ID',
		node: audit,
		params: ok,
		credentials: { appId: '' },
		expect: /Application ID is empty/,
	},
	{
		name: 'empty access key',
		node: ttp,
		params: { ...ok, logType: 'attachment' },
		credentials: { accessKey: '  ' },
		expect: /Access Key is empty/,
	},
	{
		name: 'secret key that is not base64',
		node: views,
		params: ok,
		credentials: { secretKey: 'abc$def' },
		expect: /Secret Key is not valid base64/,
	},
	{
		name: 'unknown DLP action (a client-side filter)',
		node: 'mimecastDlpLogs',
		params: { ...ok, filters: { action: 'quarantine' } },
		expect: /Unknown Action "quarantine"/,
	},
	{
		name: 'unknown DLP route',
		node: 'mimecastDlpLogs',
		params: { ...ok, filters: { route: 'internal' } },
		expect: /Unknown Route "internal"/,
	},
	{
		name: 'unknown release status',
		node: 'mimecastMessageReleaseLogs',
		params: { ...ok, filters: { status: 'pending' } },
		expect: /Unknown Status "pending"/,
	},
	{
		name: 'empty TTP start',
		node: ttp,
		params: { logType: 'impersonation', start: '', returnAll: true },
		expect: /'Start' parameter is empty/,
	},
];

/** Every paged log's action node refuses a window that ends before it starts. */
const PER_LOG: BadCase[] = LOG_CASES.map((c) => ({
	name: `${c.name}: end before start`,
	node: c.node,
	params: { ...c.params, start: iso(DAY), end: iso(2 * DAY), returnAll: true },
	expect: /'End' .* is not after 'Start'/,
}));

describe('bad input is refused before anything is sent', () => {
	let emu: Emulator;
	before(async () => (emu = await startEmulator({ seed: 5, tenant: 'small' })));
	after(async () => await emu.close());

	it('covers every paged action node', () => {
		const covered = new Set([...CASES, ...PER_LOG].map((c) => c.node));
		assert.deepEqual([...covered].sort(), [...new Set(LOG_CASES.map((c) => c.node))].sort());
	});

	for (const badCase of [...CASES, ...PER_LOG]) {
		it(badCase.name, async () => {
			emu.clearRequests();
			const auth = badCase.auth ?? 'apiKeys';
			await assert.rejects(
				runNode(nodeType(badCase.node), {
					parameters: { authentication: auth, ...badCase.params },
					credentials: credentialsFor(emu, auth, badCase.credentials),
				}),
				(error: Error & { description?: string }) => {
					assert.match(error.message, badCase.expect);
					assert.ok((error.description ?? '').length > 10, 'says how to fix it');
					return true;
				},
			);
			assert.equal(emu.requests.length, 0, 'nothing was sent');
		});
	}
});
