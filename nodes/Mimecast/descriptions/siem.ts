import type { INodeProperties } from 'n8n-workflow';

import { sortedOptions } from '../core/values';
import type { SiemLogDefinition } from '../logTypes/types';
import { siemBatchSource } from '../logTypes/types';
import { limitProperties } from './action';
import { authenticationProperty } from './common';

const V1 = { show: { authentication: ['apiKeys'] } };
const V2 = { show: { authentication: ['oAuth2'] } };

function outputProperty(): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Events',
				value: 'events',
				description: 'One item per event: { logType, fileName, resumeToken, event }',
			},
			{
				name: 'Files',
				value: 'files',
				description:
					'One item per log file, its bytes in binary property "data" (for archiving): { logType, fileName, resumeToken, eventCount, size }',
			},
		],
		default: 'events',
	};
}

/**
 * Source (API 2.0): the gateway's logs or Cloud Integrated's. API 1.0 serves the gateway's only,
 * which a notice says where Source would be.
 */
const sourceProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Email Security Cloud Gateway',
				value: 'gateway',
				description:
					'The gateway (MTA) logs: receipt, process, delivery, AV, spam, TTP, journal (/siem/v1/batch/events/cg)',
			},
			{
				name: 'Cloud Integrated',
				value: 'cloudIntegrated',
				description:
					"Mimecast's Microsoft 365 product: entities, mailflow and URL click logs (/siem/v1/batch/events/ci)",
			},
		],
		default: 'gateway',
		description: 'Which Mimecast product the logs come from. Each keeps its own positions.',
		displayOptions: V2,
	},
	{
		displayName:
			'Source is available with API 2.0 only: API 1.0 reads the Email Security Cloud Gateway logs. For Cloud Integrated logs, use an API 2.0 credential.',
		name: 'sourceNotice',
		type: 'notice',
		default: '',
		displayOptions: V1,
	},
];

/** Log Types, one list per Source (same parameter name, shown for its Source). */
function batchTypesProperties(definition: SiemLogDefinition): INodeProperties[] {
	return (['gateway', 'cloudIntegrated'] as const).map((source) => ({
		displayName: 'Log Types',
		name: 'logTypes',
		type: 'multiOptions',
		options: sortedOptions(siemBatchSource(definition, source).types),
		default: [],
		description:
			'The API 2.0 log types to read; none means all. Each must be enabled under Enhanced Logging in Mimecast.',
		displayOptions: { show: { authentication: ['oAuth2'], source: [source] } },
	}));
}

const fileFormatProperty: INodeProperties = {
	displayName: 'File Format',
	name: 'fileFormat',
	type: 'options',
	options: [
		{
			name: 'JSON',
			value: 'json',
			description: 'Mimecast writes each file as {"type":"MTA","data":[…]}',
		},
		{
			name: 'Key Value',
			value: 'keyValue',
			description: 'Mimecast writes one key=value|key=value line per event',
		},
	],
	default: 'json',
	description:
		'The format Mimecast writes the API 1.0 log files in; events come out as JSON either way',
	displayOptions: V1,
};

/** Options both nodes share; the caps differ (a run vs a poll) and are added by each. */
const commonOptions: INodeProperties[] = [
	{
		displayName: 'Compress',
		name: 'compress',
		type: 'boolean',
		default: true,
		description:
			'Whether to ask Mimecast for zip files, which hold several log files per call (fewer calls, less traffic)',
		displayOptions: { show: { '/authentication': ['apiKeys'] } },
	},
	{
		displayName: 'Download Concurrency',
		name: 'downloadConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16, numberPrecision: 0 },
		default: 4,
		description:
			'How many log files to download at once (1 to 16). More is faster over a slow link; each file in flight is held in memory, so memory use grows with it. Events still come out in order.',
		displayOptions: { show: { '/authentication': ['oAuth2'] } },
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxBytesPerFile',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 256,
		description:
			'A log file that decompresses to more than this is refused with an error (zip bombs), not read',
	},
	{
		displayName: 'On Corrupt File',
		name: 'onCorruptFile',
		type: 'options',
		options: [
			{
				name: 'Skip With a Warning',
				value: 'skip',
				description:
					'Return a { warning, fileName, retryToken } item in place of the file and go on with the next one',
			},
			{
				name: 'Stop With an Error',
				value: 'error',
				description: 'Fail; the error names the file and the tokens to retry or skip it',
			},
		],
		default: 'skip',
		description:
			'What to do with a file that cannot be read (truncated JSON, a broken zip or gzip, zip entries with paths)',
	},
	{
		displayName: 'Typed Values',
		name: 'typedValues',
		type: 'boolean',
		default: false,
		description:
			'Whether key_value numbers and true/false become JSON numbers and booleans; off keeps every value a string as Mimecast wrote it',
		displayOptions: { show: { '/authentication': ['apiKeys'], '/fileFormat': ['keyValue'] } },
	},
];

function optionsCollection(caps: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...commonOptions, ...caps].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

// Defaults are literals (n8n's lint rules read them); siemParams.ts SIEM_DEFAULTS holds the same.
const actionCaps: INodeProperties[] = [
	{
		displayName: 'Max Events per Run',
		name: 'maxEventsPerRun',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100000,
		description:
			"Stop reading after this many events even with Return All; the last item's resumeToken continues from there",
	},
	{
		displayName: 'Max Size per Run (MB)',
		name: 'maxBytesPerRun',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 1024,
		description:
			"Stop fetching files once this much was decompressed; the last item's resumeToken continues from there. One zip may not decompress to more than this.",
	},
];

const triggerCaps: INodeProperties[] = [
	{
		displayName: 'Max Events per Run',
		name: 'maxEventsPerRun',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10000,
		description:
			'Events emitted per poll at most; a larger backlog is emitted over several polls, in order',
	},
	{
		displayName: 'Max Size per Run (MB)',
		name: 'maxBytesPerRun',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 1024,
		description:
			'Stop fetching files in a poll once this much was decompressed; the next poll goes on. One zip may not decompress to more than this.',
	},
];

/** The SIEM Logs action node's parameters. */
export function siemActionProperties(definition: SiemLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		outputProperty(),
		...sourceProperties,
		...batchTypesProperties(definition),
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			default: '',
			description: `Read batch files from this day on (UTC days); empty means the earliest Mimecast holds (${definition.retentionDays} days back)`,
			displayOptions: V2,
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			default: '',
			description: 'Read batch files up to the end of this day (UTC); empty means today',
			displayOptions: V2,
		},
		fileFormatProperty,
		{
			displayName: 'Start Token',
			name: 'startToken',
			type: 'string',
			default: '',
			// A bookmark, not a secret; masked only because n8n's lint rules treat every *token* name as one.
			typeOptions: { password: true },
			placeholder: 'resumeToken of the last item of the previous run',
			description:
				'Where to continue: the resumeToken of an item this node returned (or, for API 1.0, a Mimecast mc-siem-token). Empty starts at the earliest file Mimecast holds (API 1.0) or at Start (API 2.0).',
		},
		...limitProperties,
		optionsCollection(actionCaps),
	];
}

/** The SIEM Logs trigger's parameters: the action's minus the window, token and limit, which the cursor replaces. */
export function siemTriggerProperties(definition: SiemLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		outputProperty(),
		...sourceProperties,
		...batchTypesProperties(definition),
		fileFormatProperty,
		{
			displayName: 'Start From',
			name: 'startFrom',
			type: 'options',
			options: [
				{
					name: 'Backfill',
					value: 'backfill',
					description: 'Files published in the hours before activation, then new ones',
				},
				{
					name: 'Earliest Available',
					value: 'earliest',
					description: `Everything Mimecast still holds (up to ${definition.retentionDays} days), then new files`,
				},
				{ name: 'Now', value: 'now', description: 'Only files published after activation' },
			],
			default: 'now',
			description: 'Where the first poll starts. API 2.0 backfill counts whole UTC days.',
		},
		{
			displayName: 'Backfill (Hours)',
			name: 'backfillHours',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 168 },
			default: 24,
			description:
				'How many hours before activation the first poll starts (at most 168: Mimecast keeps 7 days)',
			displayOptions: { show: { startFrom: ['backfill'] } },
		},
		optionsCollection(triggerCaps),
	];
}
