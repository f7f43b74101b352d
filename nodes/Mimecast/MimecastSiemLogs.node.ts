import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { siemActionProperties } from './descriptions/siem';
import { runSiemAction } from './execution/siemAction';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.siemLogs;

export class MimecastSiemLogs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast SIEM Logs',
		name: 'mimecastSiemLogs',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"SIEM " + $parameter["output"] + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}',
		description: 'Get Mimecast SIEM (MTA) logs: receipt, process, delivery, AV, spam, TTP and journal events',
		defaults: { name: 'Mimecast SIEM Logs' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials,
		properties: siemActionProperties(logType),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runSiemAction.call(this, logType);
	}
}
