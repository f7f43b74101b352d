import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { siemActionProperties } from './descriptions/siem';
import { runSiemAction } from './execution/siemAction';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.siemLogs;

export class MimecastSiemLogs implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'action'),
		displayName: 'Mimecast SIEM Logs',
		name: 'mimecastSiemLogs',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'action'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: siemActionProperties(definition),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runSiemAction.call(this, definition);
	}
}
