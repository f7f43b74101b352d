import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionProperties } from './descriptions/action';
import { credentials } from './descriptions/common';
import { runAction } from './execution/runAction';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.ttpLogs;

export class MimecastTtpLogs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast TTP Logs',
		name: 'mimecastTtpLogs',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"TTP " + $parameter["logType"] + " logs"}}',
		description: 'Get Targeted Threat Protection logs: URL clicks, attachment sandboxing, impersonation',
		defaults: { name: 'Mimecast TTP Logs' },
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
