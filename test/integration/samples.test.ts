import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IDataObject, INodeType } from 'n8n-workflow';

import { MimecastArchiveViewLogs } from '../../nodes/Mimecast/MimecastArchiveViewLogs.node.ts';
import { MimecastAuditEvents } from '../../nodes/Mimecast/MimecastAuditEvents.node.ts';
import { MimecastTtpLogs } from '../../nodes/Mimecast/MimecastTtpLogs.node.ts';
import { runNode } from '../helpers/n8n';
import { readSample, sampleRecords, serveEnvelopes } from '../helpers/samples';

const envelope = (data: unknown[]) => ({
	meta: { status: 200, pagination: { pageSize: 500 } },
	data,
	fail: [],
});

/** Fields Simplify keeps, as the README documents them per node. */
const SIMPLIFIED = {
	url: [
		'date',
		'userEmailAddress',
		'fromUserEmailAddress',
		'url',
		'scanResult',
		'action',
		'category',
		'route',
		'subject',
		'messageId',
	],
	attachment: [
		'date',
		'result',
		'fileName',
		'fileType',
		'fileHash',
		'senderAddress',
		'recipientAddress',
		'subject',
		'route',
		'actionTriggered',
		'messageId',
	],
	viewLogs: ['viewed', 'viewer', 'subject', 'from', 'to', 'contentViewed'],
};

describe('third-party Mimecast payloads come out field for field', () => {
	const ttpUrl = sampleRecords('elastic/test-ttp-url-logs.log');
	const ttpAttachment = sampleRecords('elastic/test-ttp-ap-logs.log');
	const viewLogs = (
		JSON.parse(readSample('xsoar/get_view_logs_response.json')) as IDataObject[]
	)[0];
	const audit = JSON.parse(readSample('xsoar/audit_raw_response.json')) as IDataObject;
	const auditLines = sampleRecords('elastic/test-audit-events.EXCERPT.log');
	let server: Awaited<ReturnType<typeof serveEnvelopes>>;

	before(async () => {
		server = await serveEnvelopes({
			'/api/ttp/url/get-logs': envelope([
				{ clickLogs: ttpUrl.slice(0, 4) },
				{ clickLogs: ttpUrl.slice(4) },
			]),
			'/api/ttp/attachment/get-logs': envelope([{ attachmentLogs: ttpAttachment }]),
			'/api/archive/get-view-logs': {
				...viewLogs,
				meta: { status: 200, pagination: { pageSize: 2 } },
			},
			'/api/audit/get-audit-events': envelope([
				...((audit.data as IDataObject[]) ?? []),
				...auditLines,
			]),
		});
	});
	after(async () => await server.close());

	const credentials = () => ({
		mimecastApi: {
			region: 'custom',
			baseUrl: server.baseUrl,
			appId: 'a',
			appKey: 'b',
			accessKey: 'c',
			secretKey: 'c2VjcmV0',
		},
	});
	const run = (node: INodeType, params: IDataObject) =>
		runNode(node, {
			parameters: {
				authentication: 'apiKeys',
				start: '2021-01-01T00:00:00Z',
				end: '2021-01-02T00:00:00Z',
				returnAll: true,
				...params,
			},
			credentials: credentials(),
		});

	it('TTP URL clicks: one item per click across data[] entries, values untouched (escaped slashes, tagMap, odd messageIds)', async () => {
		assert.equal(ttpUrl.length, 8, 'the empty envelope line is not a record');
		const items = await run(new MimecastTtpLogs(), { logType: 'url', simplify: false });
		assert.deepEqual(
			items.map((i) => i.json),
			ttpUrl,
		);
		const withTags = items.find((i) => i.json.tagMap);
		assert.deepEqual(
			(withTags!.json.tagMap as IDataObject).DangerousFileExt,
			(ttpUrl.find((r) => r.tagMap)!.tagMap as IDataObject).DangerousFileExt,
		);
		assert.ok(
			items.some((i) => String(i.json.url).includes('https://www.livingsocial.com/browse/')),
			'escaped \\/ decoded',
		);
	});

	it('TTP URL clicks, simplified: exactly the documented fields, in order', async () => {
		const items = await run(new MimecastTtpLogs(), { logType: 'url' });
		for (const [index, item] of items.entries()) {
			const expected = SIMPLIFIED.url.filter((f) => ttpUrl[index][f] !== undefined);
			assert.deepEqual(Object.keys(item.json), expected);
			for (const field of expected) assert.deepEqual(item.json[field], ttpUrl[index][field]);
		}
	});

	it('TTP attachment logs keep the padded details with CRLF', async () => {
		const items = await run(new MimecastTtpLogs(), { logType: 'attachment', simplify: false });
		assert.deepEqual(
			items.map((i) => i.json),
			ttpAttachment,
		);
		assert.match(String(items[0].json.details), /^Safe {10,}\r\nTime taken: 0 hrs, 0 min, 4 sec$/);
		const simplified = await run(new MimecastTtpLogs(), { logType: 'attachment' });
		assert.deepEqual(
			Object.keys(simplified[0].json),
			SIMPLIFIED.attachment.filter((f) => ttpAttachment[0][f] !== undefined),
		);
		assert.equal(simplified[0].json.fileType, 'application/pdf');
	});

	it('archive view logs from the flat data[]', async () => {
		const items = await run(new MimecastArchiveViewLogs(), { simplify: false });
		assert.deepEqual(
			items.map((i) => i.json),
			viewLogs.data,
		);
		assert.equal(items[0].json.contentViewed, false);
		const simplified = await run(new MimecastArchiveViewLogs(), { simplify: true });
		assert.deepEqual(Object.keys(simplified[0].json), SIMPLIFIED.viewLogs);
	});

	it('audit events, with free text and embedded JSON in eventInfo kept verbatim', async () => {
		const items = await run(new MimecastAuditEvents(), {
			start: new Date(Date.now() - 86_400_000).toISOString(),
			end: '',
		});
		assert.deepEqual(
			items.map((i) => i.json),
			[...((audit.data as IDataObject[]) ?? []), ...auditLines],
		);
		assert.equal(items[0].json.id, 'mock_audit_event_id_12345');
	});
});
