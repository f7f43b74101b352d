/**
 * `/api/dlp/get-logs` dlpLogs[] (shaped like the recorded record in mimecast-api-more.md §1:
 * eight flat fields; `senderAddress` "<>" for bounces).
 */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { externalSender, internalUser, messageId, SUBJECTS, domainOf } from './vocab';

const POLICIES = [
	'Confidential',
	'Content Inspection - Watermark',
	'PCI - Card Numbers',
	'Source Code',
	'HR - Payroll',
];

export const dlpGenerator: LogGenerator = {
	timeField: 'eventTime',
	generate(rng, { at }): LogRecord {
		const route = rng.weighted([
			['outbound', 4],
			['inbound', 1],
		] as const);
		const inside = internalUser(rng);
		const outside = externalSender(rng);
		const bounce = rng.chance(0.05);
		const sender = bounce ? '<>' : route === 'outbound' ? inside : outside;
		return {
			senderAddress: sender,
			recipientAddress: route === 'outbound' ? outside : inside,
			subject: rng.chance(0.15) ? 'RE' : rng.pick(SUBJECTS),
			eventTime: formatMcDate(at),
			route,
			policy: rng.pick(POLICIES),
			action: rng.weighted([
				['hold', 2],
				['notification', 3],
			] as const),
			messageId: messageId(rng, domainOf(route === 'outbound' ? inside : outside)),
		};
	},
};
