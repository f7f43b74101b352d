/** `/api/ttp/impersonation/get-logs` impersonationLogs[] (fields as in Elastic's ttp_ip_logs samples). */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { displayName, internalUser, mail } from './vocab';

export const IMPERSONATION_IDENTIFIERS = [
	'internal_user_name',
	'targeted_threat_dictionary',
	'similar_internal_domain',
	'newly_observed_domain',
	'reply_address_mismatch',
] as const;

export const impersonationGenerator: LogGenerator = {
	timeField: 'eventTime',
	generate(rng, { at, malicious }): LogRecord {
		const taggedMalicious = malicious ?? rng.chance(0.4);
		const m = mail(rng, taggedMalicious);
		const hits = taggedMalicious ? rng.int(1, 3) : 1;
		const identifiers = rng.shuffle(IMPERSONATION_IDENTIFIERS).slice(0, hits);
		const action = taggedMalicious ? rng.pick(['hold', 'none', 'bounce']) : 'none';
		const spoofed = internalUser(rng);
		return {
			id: `MTOKEN:eNqrVkouLS7Jz00tSs5PSVWyUnI2MXM0N1XSUcpMUbIy${rng.base64url(40)}`,
			senderAddress: m.sender,
			recipientAddress: m.recipient,
			subject: m.subject,
			definition:
				hits > 1 ? `IP - ${hits} hits (Hold for Review / User Hold)` : 'IP - 1 hit (Tag email)',
			hits,
			identifiers,
			action,
			taggedExternal: !taggedMalicious,
			taggedMalicious,
			senderIpAddress: m.ip,
			eventTime: formatMcDate(at),
			impersonationResults: identifiers.map((source) =>
				source === 'internal_user_name'
					? {
							impersonationDomainSource: source,
							similarDomain: `${displayName(spoofed)} <${spoofed}>`,
							stringSimilarToDomain: displayName(spoofed),
							checkerResult: 'hit',
						}
					: {
							impersonationDomainSource: source,
							stringSimilarToDomain: rng.pick(['who', 'wire', 'urgent', 'payroll']),
						},
			),
			messageId: m.messageId,
		};
	},
};
