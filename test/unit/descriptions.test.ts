import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, it } from 'node:test';

import type { INodeProperties, INodeType } from 'n8n-workflow';

import { nodeName } from '../../nodes/Mimecast/descriptions/node';
import { triggerOptions } from '../../nodes/Mimecast/descriptions/trigger';
import { TRIGGER_DEFAULTS } from '../../nodes/Mimecast/execution/triggerSettings';
import { LOG_DEFINITIONS } from '../../nodes/Mimecast/logTypes';
import { loadNodeFile, registeredNodeFiles } from '../helpers/nodeTypes';

/** Nodes that are not a log type's pair: the response-action node. */
const OTHER_NODES: string[] = ['mimecast'];

/** Every node package.json registers, loaded from its TypeScript source. */
function registeredNodes(): Array<{ file: string; node: INodeType }> {
	return registeredNodeFiles().map((file) => ({ file, node: loadNodeFile(file) }));
}

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allProperties((p.options ?? []).filter((o): o is INodeProperties => 'type' in o)),
	]);
}

describe('node descriptions', () => {
	const nodes = registeredNodes();

	it('registers exactly the two nodes of every log type (and the other nodes), each once', () => {
		const expected = [
			...Object.values(LOG_DEFINITIONS).flatMap((t) => [
				nodeName(t, 'action'),
				nodeName(t, 'trigger'),
			]),
			...OTHER_NODES,
		];
		assert.deepEqual(nodes.map(({ node }) => node.description.name).sort(), expected.sort());
	});

	it('registers every node file and its codex and icons', () => {
		for (const { file, node } of nodes) {
			assert.ok(existsSync(file.replace(/\.ts$/, '.json')), `${basename(file)} has a codex file`);
			const icon = node.description.icon as { light: string; dark: string };
			for (const variant of [icon.light, icon.dark])
				assert.ok(existsSync(resolve(file, '..', variant.replace('file:', ''))), variant);
		}
	});

	for (const { file, node } of nodes) {
		const { description } = node;
		const isTrigger = description.name.endsWith('Trigger');
		describe(description.displayName, () => {
			it('offers both Mimecast APIs, API 2.0 by default', () => {
				const auth = description.properties.find((p) => p.name === 'authentication')!;
				assert.equal(auth.default, 'oAuth2');
				assert.deepEqual(auth.options!.map((o) => (o as { value: string }).value).sort(), [
					'apiKeys',
					'oAuth2',
				]);
				assert.deepEqual(description.credentials!.map((c) => c.name).sort(), [
					'mimecastApi',
					'mimecastOAuth2Api',
				]);
			});

			it('uses the shared parameter names and stable camelCase option values', () => {
				const names = description.properties.map((p) => p.name);
				// The log nodes list; the Mimecast action node lists only in its Get Many operations.
				const lists = !isTrigger && description.name !== 'mimecast';
				if (lists)
					for (const name of ['returnAll', 'limit'])
						assert.ok(names.includes(name), `${name} in ${basename(file)}`);
				for (const property of allProperties(description.properties)) {
					if (property.type !== 'options' && property.type !== 'multiOptions') continue;
					if (property.typeOptions?.loadOptionsMethod) continue;
					for (const option of property.options as Array<{ value: unknown }>) {
						assert.match(
							String(option.value),
							/^[a-z][a-zA-Z0-9]*$/,
							`${property.name}: ${String(option.value)}`,
						);
					}
				}
			});

			it(isTrigger ? 'is a polling trigger without inputs' : 'is usable as an AI tool', () => {
				if (isTrigger) {
					assert.equal(description.polling, true);
					assert.deepEqual(description.inputs, []);
					assert.equal(typeof node.poll, 'function');
					assert.equal(node.execute, undefined, 'execute() would win over poll()');
				} else {
					assert.equal(description.usableAsTool, true);
					assert.equal(typeof node.execute, 'function');
				}
			});
		});
	}

	it('gives every Get Many operation of the Mimecast node Return All and Limit', () => {
		const mimecast = nodes.find(({ node }) => node.description.name === 'mimecast')!.node
			.description;
		const getMany = mimecast.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) =>
				(p.options as Array<{ value: string }>)
					.filter((o) => o.value === 'getMany')
					.map(() => p.displayOptions!.show!.resource![0]),
			);
		assert.ok(getMany.length > 0);
		for (const resource of getMany) {
			for (const name of ['returnAll', 'limit']) {
				const shown = mimecast.properties.some(
					(p) =>
						p.name === name &&
						p.displayOptions?.show?.resource?.[0] === resource &&
						p.displayOptions?.show?.operation?.[0] === 'getMany',
				);
				assert.ok(shown, `${name} for ${String(resource)} getMany`);
			}
		}
	});

	it("keeps the trigger options' defaults and the settings' fallbacks the same", () => {
		const defaults = Object.fromEntries(
			triggerOptions({ recordNoun: 'record' }).map((p) => [p.name, p.default]),
		);
		assert.equal(defaults.backfillHours, TRIGGER_DEFAULTS.backfillHours);
		assert.equal(defaults.settleSeconds, TRIGGER_DEFAULTS.settleSeconds);
		assert.equal(defaults.maxRecordsPerPoll, TRIGGER_DEFAULTS.maxRecordsPerPoll);
	});
});
