import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionProperties } from './descriptions/action';
import { credentials } from './descriptions/common';
import { runAction } from './execution/runAction';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.archiveViewLogs;

export class MimecastArchiveViewLogs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast Archive View Logs',
		name: 'mimecastArchiveViewLogs',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"Archive view logs" + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}',
		description: 'Get the logs of archived messages viewed by administrators',
		defaults: { name: 'Mimecast Archive View Logs' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials,
		properties: actionProperties(logType),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, logType);
	}
}
