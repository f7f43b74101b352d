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
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.threatIntelFeed;

export class MimecastThreatIntelFeed implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(logType, 'action'),
		displayName: 'Mimecast Threat Intel Feed',
		name: 'mimecastThreatIntelFeed',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(logType, 'action'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: feedActionProperties(logType),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runFeedAction.call(this, logType);
	}
}
