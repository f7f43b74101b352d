import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionProperties } from './descriptions/action';
import { apiKeysCredential, oAuth2Credential } from './descriptions/common';
import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { loadOptionsMethods } from './execution/loadOptions';
import { runAction } from './execution/runAction';
import { LOG_DEFINITIONS } from './logTypes';
import { mimecastApiTest } from './transport/credentialTest';

const definition = LOG_DEFINITIONS.auditEvents;

export class MimecastAuditEvents implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'action'),
		displayName: 'Mimecast Audit Events',
		name: 'mimecastAuditEvents',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'action'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Written out (not only spread from nodeBasics) so n8n's linter sees the credential test.
		credentials: [
			oAuth2Credential,
			{ ...apiKeysCredential, name: 'mimecastApi', testedBy: 'mimecastApiTest' },
		],
		properties: actionProperties(definition),
	};

	methods = { loadOptions: loadOptionsMethods(definition), credentialTest: { mimecastApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, definition);
	}
}
