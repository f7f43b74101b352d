import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { triggerProperties } from './descriptions/trigger';
import { runPagedPoll } from './execution/runPoll';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.auditEvents;

export class MimecastAuditEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast Audit Events Trigger',
		name: 'mimecastAuditEventsTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New audit events',
		description: 'Emits each new Mimecast audit event once',
		defaults: { name: 'Mimecast Audit Events Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: triggerProperties(logType),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPagedPoll.call(this, logType);
	}
}
