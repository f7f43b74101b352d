import { optionsOf, sortedOptions, toStringList } from '../core/values';
import { oldestFirstBody, oldestFirstOption, queryBody } from './sharedParameters';
import type { LogEndpoint, PagedLogDefinition } from './types';

type TtpVariant = 'url' | 'attachment' | 'impersonation';

const COMMON: Pick<LogEndpoint, 'simplifyByDefault' | 'supportsOldestFirst'> = {
	simplifyByDefault: true,
	supportsOldestFirst: true,
};

/** seeds/ttp-url-get-logs.txt, seeds/ttp-attachment-get-logs.txt; impersonation per mimecast-api.md. */
const ENDPOINTS: Record<TtpVariant, LogEndpoint> = {
	url: {
		...COMMON,
		path: '/api/ttp/url/get-logs',
		recordsKey: 'clickLogs',
		timeField: 'date',
		permission: 'Monitoring | URL Protection | Read',
		simplifiedFields: [
			'date',
			'userEmailAddress',
			'fromUserEmailAddress',
			'url',
			'scanResult',
			'action',
			'category',
			'route',
			'subject',
			'messageId',
		],
	},
	attachment: {
		...COMMON,
		path: '/api/ttp/attachment/get-logs',
		recordsKey: 'attachmentLogs',
		timeField: 'date',
		permission: 'Monitoring | Attachment Protection | Read',
		simplifiedFields: [
			'date',
			'result',
			'fileName',
			'fileType',
			'fileHash',
			'senderAddress',
			'recipientAddress',
			'subject',
			'route',
			'actionTriggered',
			'messageId',
		],
	},
	impersonation: {
		...COMMON,
		path: '/api/ttp/impersonation/get-logs',
		recordsKey: 'impersonationLogs',
		timeField: 'eventTime',
		permission: 'Monitoring | Impersonation Protection | Read',
		simplifiedFields: [
			'eventTime',
			'senderAddress',
			'recipientAddress',
			'subject',
			'definition',
			'action',
			'taggedMalicious',
			'identifiers',
			'senderIpAddress',
			'messageId',
		],
	},
};

/** Impersonation identifiers: stable camelCase option values and Mimecast's identifiers. */
const IDENTIFIERS = [
	{ value: 'newlyObservedDomain', name: 'Newly Observed Domain', api: 'newly_observed_domain' },
	{ value: 'internalUserName', name: 'Internal User Name', api: 'internal_user_name' },
	{ value: 'replyAddressMismatch', name: 'Reply Address Mismatch', api: 'repy_address_mismatch' },
	{
		value: 'targetedThreatDictionary',
		name: 'Targeted Threat Dictionary',
		api: 'targeted_threat_dictionary',
	},
	{
		value: 'similarInternalDomain',
		name: 'Similar Internal Domain',
		api: 'similar_internal_domain',
	},
	{
		value: 'similarMonitoredExternalDomain',
		name: 'Similar Monitored External Domain',
		api: 'similar_monitored_external_domain',
	},
];

const ROUTES = ['all', 'inbound', 'outbound', 'internal'];
const SCAN_RESULTS = ['all', 'clean', 'malicious'];
const ATTACHMENT_RESULTS = ['all', 'clean', 'malicious', 'unknown', 'timeout'];
const SEARCH_FIELDS = [
	{ value: 'all', name: 'All' },
	{ value: 'senderAddress', name: 'Sender Address' },
	{ value: 'recipientAddress', name: 'Recipient Address' },
	{ value: 'subject', name: 'Subject' },
	{ value: 'policy', name: 'Policy' },
	{ value: 'senderIpAddress', name: 'Sender IP Address' },
];

export const ttpLogs: PagedLogDefinition = {
	kind: 'paged',
	key: 'ttpLogs',
	displayName: 'TTP Logs',
	recordNoun: 'TTP log',
	description:
		'Get Targeted Threat Protection logs: URL clicks, attachment sandboxing, impersonation',
	variant: {
		values: ['url', 'attachment', 'impersonation'],
		parameter: {
			displayName: 'Log Type',
			name: 'logType',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'URL Protect (Clicks)',
					value: 'url',
					description: 'Clicks on rewritten links and their scan results',
				},
				{
					name: 'Attachment Protect',
					value: 'attachment',
					description: 'Attachments sandboxed and their results',
				},
				{
					name: 'Impersonation Protect',
					value: 'impersonation',
					description: 'Messages that hit impersonation policies',
				},
			],
			default: 'url',
		},
	},
	endpoint: (variant) => ENDPOINTS[variant as TtpVariant] ?? ENDPOINTS.url,
	dateFields: { start: 'from', end: 'to' },
	filters: [
		{
			displayName: 'Route',
			name: 'route',
			type: 'options',
			options: optionsOf(ROUTES),
			default: 'all',
			description: 'Direction of the messages the logs are about',
			displayOptions: { show: { '/logType': ['url', 'attachment'] } },
		},
		{
			displayName: 'Scan Result',
			name: 'scanResult',
			type: 'options',
			options: optionsOf(SCAN_RESULTS),
			default: 'all',
			description: 'Only clicks whose URL scanned this way',
			displayOptions: { show: { '/logType': ['url'] } },
		},
		{
			displayName: 'Result',
			name: 'result',
			type: 'options',
			options: optionsOf(ATTACHMENT_RESULTS),
			default: 'all',
			description: 'Only attachments with this sandbox result',
			displayOptions: { show: { '/logType': ['attachment'] } },
		},
		{
			displayName: 'Tagged Malicious Only',
			name: 'taggedMalicious',
			type: 'boolean',
			default: true,
			description: 'Whether to return only messages Mimecast tagged as malicious',
			displayOptions: { show: { '/logType': ['impersonation'] } },
		},
		{
			displayName: 'Identifiers',
			name: 'identifiers',
			type: 'multiOptions',
			options: sortedOptions(IDENTIFIERS),
			default: [],
			description: 'Only messages that hit these impersonation identifiers',
			displayOptions: { show: { '/logType': ['impersonation'] } },
		},
		{
			displayName: 'Search Field',
			name: 'searchField',
			type: 'options',
			options: sortedOptions(SEARCH_FIELDS),
			default: 'all',
			description: 'Where Query is searched',
			displayOptions: { show: { '/logType': ['impersonation'] } },
		},
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			default: '',
			description: 'Text to search for in the Search Field',
			displayOptions: { show: { '/logType': ['impersonation'] } },
		},
	],
	options: [oldestFirstOption],
	allowedValues: {
		route: { label: 'Route', values: ROUTES, variants: ['url', 'attachment'] },
		scanResult: { label: 'Scan Result', values: SCAN_RESULTS, variants: ['url'] },
		result: { label: 'Result', values: ATTACHMENT_RESULTS, variants: ['attachment'] },
		searchField: {
			label: 'Search Field',
			values: SEARCH_FIELDS.map((f) => f.value),
			variants: ['impersonation'],
		},
		identifiers: {
			label: 'Identifiers',
			values: IDENTIFIERS.map((i) => i.value),
			variants: ['impersonation'],
		},
	},
	buildFilters: ({ variant, filters, options }) => {
		const data = oldestFirstBody(options);
		if (variant === 'url' || variant === 'attachment') data.route = filters.route ?? 'all';
		if (variant === 'url') data.scanResult = filters.scanResult ?? 'all';
		if (variant === 'attachment') data.result = filters.result ?? 'all';
		if (variant === 'impersonation') {
			if (typeof filters.taggedMalicious === 'boolean')
				data.taggedMalicious = filters.taggedMalicious;
			const identifiers = toStringList(filters.identifiers).map(
				(id) => IDENTIFIERS.find((i) => i.value === id)?.api ?? id,
			);
			if (identifiers.length > 0) data.identifiers = identifiers;
			const query = queryBody(filters);
			if (query.query !== undefined)
				Object.assign(data, { searchField: filters.searchField ?? 'all' }, query);
		}
		return data;
	},
};
