/** `/api/ttp/url/get-logs` clickLogs[] (look-alikes of samples/elastic/test-ttp-url-logs). */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import {
	CLEAN_URLS,
	MALICIOUS_URLS,
	externalSender,
	internalUser,
	mail,
	messageId,
	domainOf,
} from './vocab';

const CLEAN_CATEGORIES = [
	'Business',
	'Shopping',
	'Fashion & Beauty',
	'Technology',
	'News & Media',
	'Travel',
];
const BAD_CATEGORIES = [
	'Phishing & Fraud',
	'Dangerous file extension',
	'Compromised',
	'Malware & Spyware',
];
const DEFINITIONS = {
	inbound: ["Inbound URL 'Aggressive'", 'Default Inbound URL Protect Definition'],
	outbound: ['Default Outbound URL Protect Definition'],
	internal: ['Default Internal URL Protect Definition'],
} as const;

export const ttpUrlGenerator: LogGenerator = {
	timeField: 'date',
	generate(rng, { at, malicious }): LogRecord {
		const bad = malicious ?? rng.chance(0.08);
		const route = rng.weighted([
			['inbound', 7],
			['outbound', 1],
			['internal', 2],
		] as const);
		const m = mail(rng, bad && route === 'inbound');
		const from = route === 'inbound' ? (bad ? m.sender : externalSender(rng)) : internalUser(rng);
		const url = bad ? rng.pick(MALICIOUS_URLS) : rng.pick(CLEAN_URLS);
		const category = bad ? rng.pick(BAD_CATEGORIES) : rng.pick(CLEAN_CATEGORIES);
		const record: LogRecord = {
			userEmailAddress: route === 'outbound' ? externalSender(rng) : internalUser(rng),
			fromUserEmailAddress: from,
			url,
			ttpDefinition: rng.pick(DEFINITIONS[route]),
			subject: m.subject,
			action: bad ? rng.pick(['warn', 'block']) : 'allow',
			adminOverride: 'N/A',
			userOverride: 'None',
			scanResult: bad ? 'malicious' : 'clean',
			category,
			sendingIp: route === 'internal' ? 'Internal IP' : m.ip,
			userAwarenessAction: bad ? 'N/A' : rng.pick(['Continue', 'NA']),
			date: formatMcDate(at),
			actions: bad ? 'Block' : rng.pick(['Allow', 'None']),
			route,
			creationMethod: bad ? 'Entry Scan' : 'User Click',
			emailPartsDescription: [
				rng.weighted([
					['Body', 8],
					['Attachment', 1],
					['Subject', 1],
				] as const),
			],
			messageId: messageId(rng, domainOf(from)),
		};
		if (bad) {
			record.tagMap = {
				UrlReputationScan: {
					Status: ['CustomerAll', 'VerdictBlock'],
					Type: [category],
					UrlBlock: [`ORIGINAL:${url} (Blocked as ${category.toUpperCase()})`],
					Url: [url],
				},
			};
		}
		return record;
	},
};
