import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, RecordedRequest } from '../emulator/types';
import { AUTH_MODES, credentialsFor } from '../helpers/credentials';
import { useFastRetries } from '../helpers/fastRetries';
import { canonical, LOG_CASES, mimecastDate, recordTime } from '../helpers/logCases';
import { runNode } from '../helpers/n8n';
import { nodeType } from '../helpers/nodeTypes';

const DAY = 86_400_000;

describe('paged log action nodes against the emulator', () => {
	let emu: Emulator;
	let end: number;
	let start: number;
	useFastRetries();

	before(async () => {
		emu = await startEmulator({
			seed: 11,
			tenant: { ...Object.fromEntries(LOG_CASES.map((c) => [c.kind, 1100])), days: 2 },
		});
		end = Math.floor(Date.now() / 1000) * 1000;
		start = end - 3 * DAY;
	});
	after(async () => await emu.close());
	afterEach(() => emu.faults.clear());

	const requestsTo = (path: string): RecordedRequest[] =>
		emu.requests.filter((r) => r.path === path);
	const inWindow = (kind: (typeof LOG_CASES)[number], from: number, to: number) =>
		(emu.data.records(kind.kind) as IDataObject[]).filter((r) => {
			const t = recordTime(r, kind.timeField);
			return t >= from && t <= to;
		});

	for (const logCase of LOG_CASES) {
		for (const auth of AUTH_MODES) {
			describe(`${logCase.name} (${auth})`, () => {
				const base = () => ({
					authentication: auth,
					...logCase.params,
					start: new Date(start).toISOString(),
					end: new Date(end).toISOString(),
					simplify: false,
				});

				it('returns every page when Return All is on, one item per record, newest first', async () => {
					emu.clearRequests();
					const items = await runNode(nodeType(logCase.node), {
						parameters: { ...base(), returnAll: true },
						credentials: credentialsFor(emu, auth),
					});
					const expected = inWindow(logCase, start, end);
					assert.ok(expected.length > 1000, 'the tenant spans several pages');
					assert.equal(items.length, expected.length);
					assert.deepEqual(canonical(items.map((i) => i.json)), canonical(expected));
					const times = items.map((i) => recordTime(i.json, logCase.timeField));
					assert.ok(
						times.every((t, i) => i === 0 || t <= times[i - 1]),
						'newest first',
					);
					assert.ok(items.every((i) => (i.pairedItem as { item: number }).item === 0));

					const requests = requestsTo(logCase.path);
					assert.equal(requests.length, Math.ceil(expected.length / 500));
					const bodies = requests.map((r) => r.body as IDataObject);
					for (const [index, body] of bodies.entries()) {
						assert.deepEqual(body.data, [
							{
								[logCase.dateFields[0]]: mimecastDate(start),
								[logCase.dateFields[1]]: mimecastDate(end),
								...logCase.defaultBody,
							},
						]);
						const pagination = (body.meta as IDataObject).pagination as IDataObject;
						assert.equal(pagination.pageSize, 500);
						if (index === 0) assert.equal(pagination.pageToken, undefined);
						else
							assert.ok(
								typeof pagination.pageToken === 'string' && pagination.pageToken.length > 0,
							);
					}
					const header = requests[0].headers.authorization;
					assert.match(header, auth === 'apiKeys' ? /^MC [^:]+:.+/ : /^Bearer .+/);
					if (auth === 'apiKeys')
						assert.equal(requests[0].headers['x-mc-app-id'], emu.keys.v1.appId);
				});

				it('stops paging as soon as the limit is reached', async () => {
					emu.clearRequests();
					const items = await runNode(nodeType(logCase.node), {
						parameters: { ...base(), returnAll: false, limit: 7 },
						credentials: credentialsFor(emu, auth),
					});
					assert.equal(items.length, 7);
					const requests = requestsTo(logCase.path);
					assert.equal(requests.length, 1);
					assert.equal(
						((requests[0].body as IDataObject).meta as IDataObject).pagination &&
							(((requests[0].body as IDataObject).meta as IDataObject).pagination as IDataObject)
								.pageSize,
						7,
					);
					const newest = inWindow(logCase, start, end).sort(
						(a, b) => recordTime(b, logCase.timeField) - recordTime(a, logCase.timeField),
					);
					const cutoff = recordTime(newest[6], logCase.timeField);
					assert.ok(
						items.every((i) => recordTime(i.json, logCase.timeField) >= cutoff),
						'the 7 newest records',
					);
				});

				// Each filter once, with one API: what Mimecast received and what came out.
				if (auth === 'oAuth2') {
					for (const filter of logCase.filters) {
						it(`applies the filter ${filter.label}, sending only what Mimecast filters on`, async () => {
							emu.clearRequests();
							const parameters = {
								...base(),
								returnAll: true,
								filters: filter.filters as INodeParameters,
							};
							const items = await runNode(nodeType(logCase.node), {
								parameters,
								credentials: credentialsFor(emu, auth),
							});
							const all = inWindow(logCase, start, end);
							const expected = all.filter(filter.keep);
							assert.ok(
								expected.length > 0 && expected.length < all.length,
								'the filter narrows the window',
							);
							assert.deepEqual(canonical(items.map((i) => i.json)), canonical(expected));
							const sent = filter.clientSide
								? logCase.defaultBody
								: { ...logCase.defaultBody, ...filter.filters };
							const dates = {
								[logCase.dateFields[0]]: mimecastDate(start),
								[logCase.dateFields[1]]: mimecastDate(end),
							};
							for (const request of requestsTo(logCase.path))
								assert.deepEqual((request.body as IDataObject).data, [{ ...dates, ...sent }]);
						});
					}
				}

				it('returns no items for a window without records', async () => {
					emu.clearRequests();
					const items = await runNode(nodeType(logCase.node), {
						parameters: {
							...base(),
							start: new Date(start - 10 * DAY).toISOString(),
							end: new Date(start - 9 * DAY).toISOString(),
							returnAll: true,
						},
						credentials: credentialsFor(emu, auth),
					});
					assert.deepEqual(items, []);
					assert.equal(requestsTo(logCase.path).length, 1);
				});

				it("reports a fail[] inside an HTTP 200 as an error, with Mimecast's code and message", async () => {
					emu.faults.inject({
						kind: 'failOn200',
						path: logCase.path,
						code: 'err_validation_blank',
						message: 'The query field is blank',
						times: 6,
					});
					await assert.rejects(
						runNode(nodeType(logCase.node), {
							parameters: { ...base(), returnAll: true },
							credentials: credentialsFor(emu, auth),
						}),
						(error: Error & { description?: string }) => {
							assert.match(error.message, /The query field is blank/);
							assert.match(`${error.message} ${error.description}`, /err_validation_blank/);
							return true;
						},
					);
				});

				it('names the Mimecast permission when Mimecast answers 403', async () => {
					emu.faults.inject({ kind: '403', path: logCase.path });
					await assert.rejects(
						runNode(nodeType(logCase.node), {
							parameters: { ...base(), returnAll: true },
							credentials: credentialsFor(emu, auth),
						}),
						(error: Error & { description?: string }) => {
							assert.ok(error.description?.includes(logCase.permission), error.description);
							return true;
						},
					);
				});
			});
		}
	}
});

describe("paged log action nodes stop on Mimecast's recorded empty last page", () => {
	let emu: Emulator;
	useFastRetries();
	before(
		async () => (emu = await startEmulator({ seed: 12, tenant: 'small', emptyLastPage: true })),
	);
	after(async () => await emu.close());

	// The endpoints recorded ending a walk with `next` and an empty page (mimecast-api-more.md).
	const RECORDED = LOG_CASES.filter((c) =>
		['dlpLogs', 'archiveSearchLogs', 'releaseLogs'].includes(c.kind),
	);
	for (const logCase of RECORDED) {
		it(`${logCase.name}: every record once, no error, one request past the last page`, async () => {
			emu.clearRequests();
			const end = Math.floor(Date.now() / 1000) * 1000;
			const start = end - 3 * DAY;
			const parameters = {
				authentication: 'oAuth2',
				...logCase.params,
				start: new Date(start).toISOString(),
				end: new Date(end).toISOString(),
				returnAll: true,
				simplify: false,
			};
			const items = await runNode(nodeType(logCase.node), {
				parameters,
				credentials: credentialsFor(emu, 'oAuth2'),
			});
			const expected = (emu.data.records(logCase.kind) as IDataObject[]).filter(
				(r) => recordTime(r, logCase.timeField) >= start && recordTime(r, logCase.timeField) <= end,
			);
			assert.ok(expected.length > 0);
			assert.deepEqual(canonical(items.map((i) => i.json)), canonical(expected));
			const requests = emu.requests.filter((r) => r.path === logCase.path);
			assert.equal(
				requests.length,
				Math.ceil(expected.length / 500) + 1,
				'the empty last page is read, and nothing after it',
			);
		});
	}
});
