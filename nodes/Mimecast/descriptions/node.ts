import type { INodeTypeDescription } from 'n8n-workflow';

import type { LogDefinition } from '../logTypes/types';
import { credentials } from './common';

/** Each log type has two nodes: an action (`execute`) and its polling trigger twin (`poll`). */
export type NodeRole = 'action' | 'trigger';

/**
 * The node type name saved in workflows: `mimecast` + the registry key (`mimecastAuditEvents`,
 * `mimecastAuditEventsTrigger`). The shells write it out literally for n8n's linter; a test
 * checks that they match.
 */
export function nodeName(definition: Pick<LogDefinition, 'key'>, role: NodeRole): string {
	const base = `mimecast${definition.key.charAt(0).toUpperCase()}${definition.key.slice(1)}`;
	return role === 'trigger' ? `${base}Trigger` : base;
}

/** "Mimecast Audit Events", "Mimecast Audit Events Trigger". */
export function nodeDisplayName(
	definition: Pick<LogDefinition, 'displayName'>,
	role: NodeRole,
): string {
	return `Mimecast ${definition.displayName}${role === 'trigger' ? ' Trigger' : ''}`;
}

/** The parameter that selects what a node reads, shown in its subtitle (TTP log type, SIEM output, feed type). */
function selector(definition: LogDefinition): string | undefined {
	if (definition.kind === 'siem') return 'output';
	if (definition.kind === 'feed') return 'feedType';
	return definition.variant?.parameter.name;
}

/** The line under the node's name on the canvas. */
export function nodeSubtitle(definition: LogDefinition, role: NodeRole): string {
	const param = selector(definition);
	const plural = `${definition.recordNoun.charAt(0).toUpperCase()}${definition.recordNoun.slice(1)}s`;
	if (role === 'trigger') {
		return param
			? `={{"New ${definition.displayName}: " + $parameter["${param}"]}}`
			: `New ${definition.recordNoun}s`;
	}
	const head = param ? `"${definition.displayName}: " + $parameter["${param}"]` : `"${plural}"`;
	return `={{${head} + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}`;
}

/**
 * What every node shell shares and need not write out. The shell keeps the fields n8n's linter
 * reads from its source (displayName, name, icon, subtitle, inputs, outputs, usableAsTool).
 */
export function nodeBasics(
	definition: LogDefinition,
	role: NodeRole,
): Pick<INodeTypeDescription, 'group' | 'version' | 'description' | 'defaults' | 'credentials'> {
	const description =
		role === 'trigger'
			? `Emits each new Mimecast ${definition.recordNoun} once, in order`
			: definition.description;
	return {
		group: [role === 'trigger' ? 'trigger' : 'input'],
		version: 1,
		description,
		defaults: { name: nodeDisplayName(definition, role) },
		credentials,
	};
}
