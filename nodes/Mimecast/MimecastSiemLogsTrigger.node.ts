import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { siemTriggerProperties } from './descriptions/siem';
import { runSiemPoll } from './execution/siemPoll';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.siemLogs;

export class MimecastSiemLogsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast SIEM Logs Trigger',
		name: 'mimecastSiemLogsTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New SIEM " + $parameter["output"]}}',
		description: 'Emits each new Mimecast SIEM event (or log file) once, in order',
		defaults: { name: 'Mimecast SIEM Logs Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: siemTriggerProperties(logType),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runSiemPoll.call(this, logType);
	}
}
