import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { feedTriggerProperties } from './descriptions/feed';
import { runFeedPoll } from './execution/feedPoll';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.threatIntelFeed;

export class MimecastThreatIntelFeedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast Threat Intel Feed Trigger',
		name: 'mimecastThreatIntelFeedTrigger',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New threat intel indicators: " + $parameter["feedType"]}}',
		description: 'Emits each new Mimecast threat intel indicator once, in order',
		defaults: { name: 'Mimecast Threat Intel Feed Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: feedTriggerProperties(logType),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runFeedPoll.call(this, logType);
	}
}
