import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { INodeProperties } from 'n8n-workflow';

import { SIEM_DEFAULTS } from '../../nodes/Mimecast/execution/siemParams';
import { LOG_DEFINITIONS } from '../../nodes/Mimecast/logTypes';
import { MimecastSiemLogs } from '../../nodes/Mimecast/MimecastSiemLogs.node.ts';
import { MimecastSiemLogsTrigger } from '../../nodes/Mimecast/MimecastSiemLogsTrigger.node.ts';
import { SiemFileError } from '../../nodes/Mimecast/siem/errors';
import { warningJson } from '../../nodes/Mimecast/siem/items';
import {
	fileKey,
	fileNameOfUrl,
	formatV1Position,
	formatV2Position,
	looksLikeV2Token,
	parseV1Position,
	parseV2Position,
} from '../../nodes/Mimecast/siem/resumeToken';

const TOKEN =
	'eNo9js1ugkAYRd_l28pifhkw6YKCGkJjIUhbljoMiHEYAgNqm757aRfd3nvPyf2CUclpUG0Fa8g_xBaR_DrF2UvJB4NDklUPveuahEdefw-b-HwW2zRZ8U15qePivT5Nc-K_7oN9SsjlrcCjraQiM3rubqvSj5LbIRJck42x2qOs_8zuNJ1RGjyBA6auR2VhjR0YW6Wvpvl9wTFyGfP5kspBHa06tFotI5czLKjwhGD0H7CPfumQA7MaxtZ0f7KjlGbqFjGERR5gRAJCXfj-AVkySI8';
const TYPES = LOG_DEFINITIONS.siemLogs.v2.types.map((t) => t.value);

describe('SIEM resume tokens', () => {
	it('writes API 1.0 positions as the plain token at a file boundary and token:events / token:files.events inside', () => {
		assert.equal(formatV1Position({ token: TOKEN, files: 0, events: 0 }), TOKEN);
		assert.equal(formatV1Position({ token: TOKEN, files: 0, events: 12 }), `${TOKEN}:12`);
		assert.equal(formatV1Position({ token: TOKEN, files: 3, events: 0 }), `${TOKEN}:3.0`);
		assert.equal(formatV1Position({ token: '', files: 0, events: 4 }), ':4');
		for (const position of [
			{ token: TOKEN, files: 0, events: 0 },
			{ token: TOKEN, files: 0, events: 7 },
			{ token: TOKEN, files: 2, events: 5 },
			{ token: '', files: 1, events: 0 },
		]) {
			assert.deepEqual(parseV1Position(formatV1Position(position)), position);
		}
	});

	it('refuses what is not a 1.0 token or position', () => {
		for (const bad of [
			'a token',
			`${TOKEN}:`,
			`${TOKEN}:1.`,
			`${TOKEN}:x`,
			`${TOKEN}:1:2`,
			'abc$',
			`${TOKEN}:-1`,
		]) {
			assert.equal(parseV1Position(bad), undefined, bad);
		}
		assert.deepEqual(
			parseV1Position(`  ${TOKEN}  `),
			{ token: TOKEN, files: 0, events: 0 },
			'whitespace around a pasted token',
		);
	});

	it('round-trips API 2.0 positions per type as base64url JSON, and refuses others', () => {
		const position = {
			types: {
				delivery: { page: 'eNqrVk', file: 3, event: 17, key: 'abcdefghij' },
				internalEmailProtect: { file: 0, event: 0 },
			},
		};
		const token = formatV2Position(position);
		assert.match(token, /^[A-Za-z0-9_-]+$/);
		assert.deepEqual(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')), {
			v: 2,
			t: { delivery: ['eNqrVk', 3, 17, 'abcdefghij'], internalEmailProtect: [null, 0, 0] },
		});
		assert.deepEqual(parseV2Position(token, TYPES), position);
		assert.ok(looksLikeV2Token(token));
		assert.equal(looksLikeV2Token(TOKEN), false);
		const unknownType = Buffer.from(JSON.stringify({ v: 2, t: { fax: [null, 0, 0] } })).toString(
			'base64url',
		);
		assert.equal(parseV2Position(unknownType, TYPES), undefined);
		const negative = Buffer.from(JSON.stringify({ v: 2, t: { delivery: [null, -1, 0] } })).toString(
			'base64url',
		);
		assert.equal(parseV2Position(negative, TYPES), undefined);
		assert.equal(parseV2Position(TOKEN, TYPES), undefined);
	});

	it('identifies a batch file by its URL path, whatever its signature', () => {
		const a =
			'https://files.example/siem/delivery-000001.json.gz?X-Amz-Signature=aaa&X-Amz-Expires=60';
		const b =
			'https://files.example/siem/delivery-000001.json.gz?X-Amz-Signature=bbb&X-Amz-Expires=60';
		assert.equal(fileKey(a), fileKey(b));
		assert.notEqual(
			fileKey(a),
			fileKey('https://files.example/siem/delivery-000002.json.gz?X-Amz-Signature=aaa'),
		);
		assert.equal(fileNameOfUrl(a), 'delivery-000001.json.gz');
		assert.equal(
			fileNameOfUrl('https://files.example/x/..%2F..%2Fetc%2Fpasswd?sig=1'),
			'.._.._etc_passwd',
		);
		assert.equal(fileNameOfUrl('https://files.example/x/%2e%2e?sig=1'), 'siem-batch.json.gz');
	});
});

describe('SIEM node descriptions', () => {
	const action = new MimecastSiemLogs().description;
	const trigger = new MimecastSiemLogsTrigger().description;
	const property = (properties: INodeProperties[], name: string) => {
		const found = properties.find((p) => p.name === name);
		assert.ok(found, `property ${name}`);
		return found;
	};
	const values = (p: INodeProperties) =>
		(p.options as Array<{ value: string }>).map((o) => o.value);

	it('are registered and named as n8n expects', () => {
		assert.equal(LOG_DEFINITIONS.siemLogs.kind, 'siem');
		assert.equal(action.name, 'mimecastSiemLogs');
		assert.equal(trigger.name, 'mimecastSiemLogsTrigger');
		assert.equal(action.usableAsTool, true);
		assert.equal(trigger.usableAsTool, undefined);
		assert.equal(trigger.polling, true);
		const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { n8n: { nodes: string[] } };
		assert.ok(pkg.n8n.nodes.includes('dist/nodes/Mimecast/MimecastSiemLogs.node.js'));
		assert.ok(pkg.n8n.nodes.includes('dist/nodes/Mimecast/MimecastSiemLogsTrigger.node.js'));
		for (const [file, name] of [
			['MimecastSiemLogs', 'mimecastSiemLogs'],
			['MimecastSiemLogsTrigger', 'mimecastSiemLogsTrigger'],
		]) {
			const codex = JSON.parse(readFileSync(`nodes/Mimecast/${file}.node.json`, 'utf8')) as {
				node: string;
			};
			assert.equal(codex.node, `n8n-nodes-mimecast.${name}`);
		}
	});

	it('store stable camelCase option values', () => {
		assert.deepEqual(values(property(action.properties, 'output')), ['events', 'files']);
		assert.deepEqual(values(property(action.properties, 'fileFormat')), ['json', 'keyValue']);
		assert.deepEqual(
			new Set(values(property(action.properties, 'logTypes'))),
			new Set([
				'receipt',
				'process',
				'delivery',
				'av',
				'spam',
				'internalEmailProtect',
				'impersonationProtect',
				'urlProtect',
				'attachmentProtect',
				'journal',
			]),
		);
		assert.deepEqual(values(property(trigger.properties, 'startFrom')), [
			'backfill',
			'earliest',
			'now',
		]);
		for (const p of [...action.properties, ...trigger.properties]) {
			if (p.type !== 'options' && p.type !== 'multiOptions') continue;
			for (const value of values(p))
				assert.match(value, /^[a-z][A-Za-z0-9]*$/, `${p.name}: ${value}`);
		}
	});

	it('default to events, JSON, compressed files, strings for key_value and skipping corrupt files', () => {
		assert.equal(property(action.properties, 'output').default, 'events');
		assert.equal(property(action.properties, 'fileFormat').default, 'json');
		assert.equal(property(action.properties, 'startToken').default, '');
		assert.equal(property(trigger.properties, 'startFrom').default, 'now');
		const options = property(action.properties, 'options').options as INodeProperties[];
		const defaults = Object.fromEntries(options.map((o) => [o.name, o.default]));
		assert.deepEqual(defaults, {
			compress: true,
			downloadConcurrency: 4,
			maxEventsPerRun: 100_000,
			maxBytesPerFile: 256,
			maxBytesPerRun: 1024,
			onCorruptFile: 'skip',
			typedValues: false,
		});
		const triggerOptions = property(trigger.properties, 'options').options as INodeProperties[];
		assert.equal(triggerOptions.find((o) => o.name === 'maxEventsPerRun')?.default, 10_000);
		for (const props of [options, triggerOptions]) {
			const concurrency = props.find((o) => o.name === 'downloadConcurrency');
			assert.equal(concurrency?.default, SIEM_DEFAULTS.downloadConcurrency.default);
			assert.deepEqual(concurrency?.typeOptions, {
				minValue: SIEM_DEFAULTS.downloadConcurrency.min,
				maxValue: SIEM_DEFAULTS.downloadConcurrency.max,
				numberPrecision: 0,
			});
			assert.deepEqual(concurrency?.displayOptions, { show: { '/authentication': ['oAuth2'] } });
		}
		// The settings' fallbacks (an option left unset) are the defaults the editor shows.
		for (const [props, fallbacks] of [
			[options, SIEM_DEFAULTS.action],
			[triggerOptions, SIEM_DEFAULTS.trigger],
		] as const) {
			for (const name of ['maxEventsPerRun', 'maxBytesPerRun', 'maxBytesPerFile'] as const) {
				assert.equal(props.find((o) => o.name === name)?.default, fallbacks[name], name);
			}
		}
		assert.equal(
			property(trigger.properties, 'backfillHours').default,
			SIEM_DEFAULTS.trigger.backfillHours,
		);
		for (const name of ['startToken', 'returnAll', 'limit', 'start', 'end']) {
			assert.equal(
				trigger.properties.some((p) => p.name === name),
				false,
				`the trigger has no ${name}`,
			);
		}
	});

	it('shows the 1.0 and 2.0 parameters only with their authentication', () => {
		assert.deepEqual(property(action.properties, 'fileFormat').displayOptions, {
			show: { authentication: ['apiKeys'] },
		});
		for (const name of ['source', 'start', 'end']) {
			assert.deepEqual(property(action.properties, name).displayOptions, {
				show: { authentication: ['oAuth2'] },
			});
		}
		// One Log Types list per Source, each with that Source's types.
		const lists = action.properties.filter((p) => p.name === 'logTypes');
		assert.deepEqual(
			lists.map((p) => [
				p.displayOptions,
				(p.options ?? []).map((o) => (o as { value: string }).value).sort(),
			]),
			[
				[
					{ show: { authentication: ['oAuth2'], source: ['gateway'] } },
					LOG_DEFINITIONS.siemLogs.v2.types.map((t) => t.value).sort(),
				],
				[
					{ show: { authentication: ['oAuth2'], source: ['cloudIntegrated'] } },
					['entities', 'mailflow', 'urlclick'],
				],
			],
		);
	});
});

describe('SIEM warning items', () => {
	it('name the file, its log type and the token that fetches it again', () => {
		const error = new SiemFileError(
			'truncatedJson',
			'SIEM file "delivery_20240101000000000.json" is truncated JSON',
			{ fileName: 'delivery_20240101000000000.json' },
		);
		const json = warningJson(
			error,
			'delivery_20240101000000000.json',
			'delivery',
			`${TOKEN}:2`,
			TOKEN,
		);
		assert.deepEqual(Object.keys(json), [
			'warning',
			'fileName',
			'logType',
			'retryToken',
			'resumeToken',
		]);
		assert.match(json.warning, /delivery_20240101000000000\.json/);
		assert.match(json.warning, /retryToken/);
	});
});
