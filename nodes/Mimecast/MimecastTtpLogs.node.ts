import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionProperties } from './descriptions/action';
import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { runAction } from './execution/runAction';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.ttpLogs;

export class MimecastTtpLogs implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'action'),
		displayName: 'Mimecast TTP Logs',
		name: 'mimecastTtpLogs',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'action'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: actionProperties(definition),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, definition);
	}
}
