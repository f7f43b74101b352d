/**
 * "Adding a log type is one definition and two thin node files": everything else a log type
 * needs is derived from nodes/Mimecast/logTypes, or this test says what is missing and where.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { nodeDisplayName, nodeName, type NodeRole } from '../../nodes/Mimecast/descriptions/node';
import { LOG_DEFINITIONS, type LogKey } from '../../nodes/Mimecast/logTypes';
import type { LogDefinition } from '../../nodes/Mimecast/logTypes/types';
import pkg from '../../package.json';
import { LOG_KINDS } from '../emulator/data/kinds';
import { PAGED_ENDPOINTS } from '../emulator/log-endpoints';
import { LOG_CASES, PACKAGE } from '../helpers/logCases';
import { loadNodeFile } from '../helpers/nodeTypes';

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const ROLES: NodeRole[] = ['action', 'trigger'];

/** GitHub's anchor for a README heading. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9 -]/g, '')
		.replace(/ /g, '-');
const README_ANCHORS = new Set(
	README.split('\n')
		.filter((l) => /^#{1,6} /.test(l))
		.map((l) => anchorOf(l.replace(/^#+ /, ''))),
);

const fileBase = (definition: LogDefinition, role: NodeRole) => {
	const name = nodeName(definition, role);
	return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
};

describe('the log type registry', () => {
	for (const [key, definition] of Object.entries(LOG_DEFINITIONS) as Array<
		[LogKey, LogDefinition]
	>) {
		describe(`LOG_DEFINITIONS.${key}`, () => {
			it('is registered under its own key', () => assert.equal(definition.key, key));

			for (const role of ROLES) {
				const base = fileBase(definition, role);
				const source = `nodes/Mimecast/${base}.node.ts`;

				it(`has its ${role} node shell, named from the registry`, () => {
					assert.ok(
						existsSync(resolve(ROOT, source)),
						`LOG_DEFINITIONS.${key} has no ${role} node: create ${source}`,
					);
					const { description } = loadNodeFile(resolve(ROOT, source));
					assert.equal(description.name, nodeName(definition, role), `${source}: name`);
					assert.equal(
						description.displayName,
						nodeDisplayName(definition, role),
						`${source}: displayName`,
					);
					assert.equal(description.defaults.name, description.displayName);
				});

				it(`registers the ${role} node in package.json n8n.nodes`, () => {
					const entry = `dist/nodes/Mimecast/${base}.node.js`;
					assert.ok(pkg.n8n.nodes.includes(entry), `package.json n8n.nodes lacks "${entry}"`);
				});

				it(`has the ${role} node's codex file, pointing at its README section`, () => {
					const codex = `nodes/Mimecast/${base}.node.json`;
					assert.ok(
						existsSync(resolve(ROOT, codex)),
						`LOG_DEFINITIONS.${key} has no codex file: create ${codex}`,
					);
					const json = JSON.parse(readFileSync(resolve(ROOT, codex), 'utf8'));
					assert.equal(json.node, `${PACKAGE}.${nodeName(definition, role)}`, `${codex}: node`);
					const url = String(json.resources?.primaryDocumentation?.[0]?.url ?? '');
					assert.equal(
						url.split('#')[1],
						anchorOf(nodeDisplayName(definition, 'action')),
						`${codex}: primaryDocumentation`,
					);
				});
			}

			it('has a README section', () => {
				const heading = `### ${nodeDisplayName(definition, 'action')}`;
				assert.ok(
					README_ANCHORS.has(anchorOf(heading.slice(4))),
					`README.md has no section "${heading}"`,
				);
			});

			if (definition.kind === 'paged') {
				const node = nodeName(definition, 'action');
				it('has a row in the case table (test/helpers/logCases.ts) per variant', () => {
					const rows = LOG_CASES.filter((c) => c.node === node);
					assert.ok(rows.length > 0, `test/helpers/logCases.ts has no row for ${node}`);
					const parameter = definition.variant?.parameter.name;
					if (!parameter) return;
					const covered = new Set(rows.map((r) => r.params[parameter]));
					const missing = definition.variant!.values.filter((v) => !covered.has(v));
					assert.deepEqual(
						missing,
						[],
						`test/helpers/logCases.ts has no row for ${node} with ${parameter} ${missing.join(', ')}`,
					);
				});
			}
		});
	}

	it('has a definition for every case table row', () => {
		const nodes = new Set(Object.values(LOG_DEFINITIONS).map((t) => nodeName(t, 'action')));
		for (const row of LOG_CASES)
			assert.ok(nodes.has(row.node), `case "${row.name}": no log type defines ${row.node}`);
	});

	it('has an emulator endpoint and generator for every case table row, and no kind without a row', () => {
		for (const row of LOG_CASES) {
			const endpoint = PAGED_ENDPOINTS.find((e) => e.kind === row.kind);
			assert.ok(
				endpoint,
				`test/emulator/log-endpoints.ts has no endpoint for kind ${row.kind} (${row.name})`,
			);
			assert.equal(endpoint.path, row.path, `${row.name}: emulator path`);
		}
		assert.deepEqual(
			[...LOG_KINDS].sort(),
			[...new Set(LOG_CASES.map((c) => c.kind))].sort(),
			'emulator kinds vs case table',
		);
	});
});
