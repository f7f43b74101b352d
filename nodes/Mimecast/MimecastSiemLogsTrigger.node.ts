import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { siemTriggerProperties } from './descriptions/siem';
import { runSiemPoll } from './execution/siemPoll';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.siemLogs;

export class MimecastSiemLogsTrigger implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'trigger'),
		displayName: 'Mimecast SIEM Logs Trigger',
		name: 'mimecastSiemLogsTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'trigger'),
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: siemTriggerProperties(definition),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runSiemPoll.call(this, definition);
	}
}
