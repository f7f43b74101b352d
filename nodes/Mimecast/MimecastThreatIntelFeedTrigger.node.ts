import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { feedTriggerProperties } from './descriptions/feed';
import { nodeBasics, nodeSubtitle } from './descriptions/node';
import { runFeedPoll } from './execution/feedPoll';
import { LOG_DEFINITIONS } from './logTypes';

const definition = LOG_DEFINITIONS.threatIntelFeed;

export class MimecastThreatIntelFeedTrigger implements INodeType {
	description: INodeTypeDescription = {
		...nodeBasics(definition, 'trigger'),
		displayName: 'Mimecast Threat Intel Feed Trigger',
		name: 'mimecastThreatIntelFeedTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		subtitle: nodeSubtitle(definition, 'trigger'),
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: feedTriggerProperties(definition),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runFeedPoll.call(this, definition);
	}
}
