import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from './descriptions/common';
import { feedActionProperties } from './descriptions/feed';
import { runFeedAction } from './execution/feedAction';
import { LOG_TYPES } from './logTypes';

const logType = LOG_TYPES.threatIntelFeed;

export class MimecastThreatIntelFeed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mimecast Threat Intel Feed',
		name: 'mimecastThreatIntelFeed',
		icon: { light: 'file:mimecast.svg', dark: 'file:mimecast.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"Threat feed: " + $parameter["feedType"] + ", " + $parameter["fileType"] + ($parameter["returnAll"] ? "" : " (max " + $parameter["limit"] + ")")}}',
		description: 'Get malware indicators (file hashes, URLs) from the Mimecast threat intel feed, as STIX or CSV',
		defaults: { name: 'Mimecast Threat Intel Feed' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials,
		properties: feedActionProperties(logType),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runFeedAction.call(this, logType);
	}
}
