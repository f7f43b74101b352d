import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionProperties } from './descriptions/action';
import { credentials } from './descriptions/common';
import { loadOptionsMethods } from './execution/loadOptions';
import { runAction } from './execution/runAction';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.auditEvents;

export class MimecastAuditEvents implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast Audit Events',
		name: 'mimecastAuditEvents',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"Audit events" + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}',
		description: 'Get audit events of the Mimecast account (logins, policy and admin changes)',
		defaults: { name: 'Mimecast Audit Events' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials,
		properties: actionProperties(logType),
	};

	methods = { loadOptions: loadOptionsMethods(logType) };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, logType);
	}
}
