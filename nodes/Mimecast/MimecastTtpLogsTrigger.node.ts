import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { triggerProperties } from './descriptions/trigger';
import { runPagedPoll } from './execution/runPoll';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.ttpLogs;

export class MimecastTtpLogsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast TTP Logs Trigger',
		name: 'mimecastTtpLogsTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New TTP " + $parameter["logType"] + " logs"}}',
		description: 'Emits each new Mimecast TTP log (URL click, attachment, impersonation) once',
		defaults: { name: 'Mimecast TTP Logs Trigger' },
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
