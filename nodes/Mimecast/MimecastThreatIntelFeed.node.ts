import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { feedActionProperties } from './descriptions/feed';
import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { runFeedAction } from './execution/feedAction';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.threatIntelFeed;

export class MimecastThreatIntelFeed implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'action'),
		displayName: 'Mimecast Threat Intel Feed',
		name: 'mimecastThreatIntelFeed',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'action'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: feedActionProperties(definition),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runFeedAction.call(this, definition);
	}
}
