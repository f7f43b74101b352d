import type { INodeTypeDescription } from 'n8n-workflow';

import type { LogType } from '../logTypes/types';
import { credentials } from './common';

/** Each log type has two nodes: an action (`execute`) and its polling trigger twin (`poll`). */
export type NodeRole = 'action' | 'trigger';

/**
 * The node type name saved in workflows: `mimecast` + the registry key (`mimecastAuditEvents`,
 * `mimecastAuditEventsTrigger`). The shells write it out literally for n8n's linter; a test
 * checks that they match.
 */
export function nodeName(logType: Pick<LogType, 'key'>, role: NodeRole): string {
	const base = `mimecast${logType.key.charAt(0).toUpperCase()}${logType.key.slice(1)}`;
	return role === 'trigger' ? `${base}Trigger` : base;
}

/** "Mimecast Audit Events", "Mimecast Audit Events Trigger". */
export function nodeDisplayName(logType: Pick<LogType, 'displayName'>, role: NodeRole): string {
	return `Mimecast ${logType.displayName}${role === 'trigger' ? ' Trigger' : ''}`;
}

/** The parameter that selects what a node reads, shown in its subtitle (TTP log type, SIEM output, feed type). */
function selector(logType: LogType): string | undefined {
	if (logType.kind === 'siem') return 'output';
	if (logType.kind === 'feed') return 'feedType';
	return logType.variant?.parameter.name;
}

/** The line under the node's name on the canvas. */
export function nodeSubtitle(logType: LogType, role: NodeRole): string {
	const param = selector(logType);
	const plural = `${logType.recordNoun.charAt(0).toUpperCase()}${logType.recordNoun.slice(1)}s`;
	if (role === 'trigger') {
		return param
			? `={{"New ${logType.displayName}: " + $parameter["${param}"]}}`
			: `New ${logType.recordNoun}s`;
	}
	const head = param ? `"${logType.displayName}: " + $parameter["${param}"]` : `"${plural}"`;
	return `={{${head} + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}`;
}

/**
 * What every node shell shares and need not write out. The shell keeps the fields n8n's linter
 * reads from its source (displayName, name, icon, subtitle, inputs, outputs, usableAsTool).
 */
export function nodeBasics(
	logType: LogType,
	role: NodeRole,
): Pick<INodeTypeDescription, 'group' | 'version' | 'description' | 'defaults' | 'credentials'> {
	const description =
		role === 'trigger'
			? `Emits each new Mimecast ${logType.recordNoun} once, in order`
			: logType.description;
	return {
		group: [role === 'trigger' ? 'trigger' : 'input'],
		version: 1,
		description,
		defaults: { name: nodeDisplayName(logType, role) },
		credentials,
	};
}
