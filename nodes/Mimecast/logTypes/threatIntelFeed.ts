import type { FeedLogDefinition } from './types';

/**
 * POST /api/ttp/threat-intel/get-feed (mimecast-api-more.md §4): malware Mimecast found in this
 * customer's mail (`malware_customer`) or across its grid (`malware_grid`), as STIX 2.0
 * indicators or CSV rows. Mimecast's documentation of the role permission could not be
 * confirmed; `permission` names the feature so 401/403 errors still point the right way.
 */
export const threatIntelFeed: FeedLogDefinition = {
	kind: 'feed',
	key: 'threatIntelFeed',
	displayName: 'Threat Intel Feed',
	recordNoun: 'threat intel indicator',
	description:
		'Get malware indicators (file hashes, URLs) from the Mimecast threat intel feed, as STIX or CSV',
	path: '/api/ttp/threat-intel/get-feed',
	permission: 'Threat Intel feed (role permission name not confirmed in Mimecast documentation)',
	feedTypes: [
		{
			value: 'malwareCustomer',
			name: 'Malware Customer',
			api: 'malware_customer',
			description: 'Malware found in mail to your own account',
		},
		{
			value: 'malwareGrid',
			name: 'Malware Grid',
			api: 'malware_grid',
			description: 'Malware found across all Mimecast customers on your grid',
		},
	],
	fileTypes: [
		{
			value: 'stix',
			name: 'STIX',
			description:
				'One item per STIX 2.0 indicator, with indicatorType, value and malwareName (the email subject)',
			timeField: 'modified',
			identity: (record) => [record.id, record.modified],
			simplifiedFields: ['indicatorType', 'value', 'malwareName', 'modified', 'id'],
		},
		{
			value: 'csv',
			name: 'CSV',
			description:
				'One item per row of the pipe-delimited file (Timestamp, SenderAddress, FileName, SHA256, MD5, …)',
			timeField: 'Timestamp',
			// The hash names the file; a row with neither hash is identified by all its fields.
			identity: (record) =>
				(record.SHA256 ?? record.MD5) ? [record.SHA256, record.MD5, record.Timestamp] : record,
			simplifiedFields: ['Timestamp', 'SHA256', 'MD5', 'FileName', 'SenderAddress'],
		},
	],
	nextTokenHeader: 'x-mc-threat-feed-next-token',
	noDataMessages: ['No results found for threat intel feed.', 'Unable to compress feeds.'],
	maxPages: 1000,
	indicatorTypes: [
		{ value: 'sha256', name: 'SHA-256' },
		{ value: 'sha1', name: 'SHA-1' },
		{ value: 'sha512', name: 'SHA-512' },
		{ value: 'md5', name: 'MD5' },
		{ value: 'url', name: 'URL' },
		{ value: 'domain', name: 'Domain' },
		{ value: 'ipv4', name: 'IPv4' },
		{ value: 'ipv6', name: 'IPv6' },
		{ value: 'email', name: 'Email Address' },
		{ value: 'unknown', name: 'Other Pattern' },
	],
};
