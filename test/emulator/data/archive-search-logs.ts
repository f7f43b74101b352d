/**
 * `/api/archive/get-archive-search-logs` logs[] (shaped like the recorded records in
 * mimecast-api-more.md §2). Mimecast's quirks kept: the user is `emailAddr` (sometimes "<>"),
 * and `isAdmin` is the string "true" where it appears, with `searchPath` and `museQuery` "[]".
 */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { internalUser, PARTNER_DOMAINS, SUBJECTS } from './vocab';

const DESCRIPTIONS = ['Message Tracking Search', 'Threat Remediation search', 'Audit [Page 1] - Depth 100', 'Archive Mailbox'];
const REASONS = ['', '', 'Legal hold request', 'Phishing investigation', 'User asked for a lost message'];

export const archiveSearchLogGenerator: LogGenerator = {
	timeField: 'createTime',
	generate(rng, { at }): LogRecord {
		const description = rng.pick(DESCRIPTIONS);
		const record: LogRecord = {
			createTime: formatMcDate(at),
			emailAddr: rng.chance(0.03) ? '<>' : internalUser(rng),
			source: rng.pick(['archive', 'archive', 'message_tracking']),
			searchText: rng.chance(0.5) ? rng.pick(PARTNER_DOMAINS) : rng.pick(SUBJECTS),
			searchReason: rng.pick(REASONS),
			description,
		};
		if (description === 'Archive Mailbox') {
			record.searchPath = '/INBOX/';
			record.isAdmin = 'true';
			record.museQuery = '[]';
		}
		return record;
	},
};
