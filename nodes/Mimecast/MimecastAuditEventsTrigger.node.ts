import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { triggerProperties } from './descriptions/trigger';
import { runPagedPoll } from './execution/runPoll';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.auditEvents;

export class MimecastAuditEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'trigger'),
		displayName: 'Mimecast Audit Events Trigger',
		name: 'mimecastAuditEventsTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'trigger'),
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: triggerProperties(definition),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPagedPoll.call(this, definition);
	}
}
