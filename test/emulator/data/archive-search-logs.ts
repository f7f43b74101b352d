/**
 * `/api/archive/get-archive-search-logs` logs[] (shaped like the recorded records in
 * mimecast-api-more.md §2). Mimecast's quirks kept: the user is `emailAddr` (sometimes "<>"),
 * and `isAdmin` is the string "true" where it appears, with `searchPath` and `museQuery` "[]".
 */
import { formatMcDate } from '../clock';
import type { Rng } from '../prng';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { internalUser, PARTNER_DOMAINS, SUBJECTS } from './vocab';

const DESCRIPTIONS = [
	'Message Tracking Search',
	'Threat Remediation search',
	'Audit [Page 1] - Depth 100',
	'Archive Mailbox',
];
const REASONS = [
	'',
	'',
	'Legal hold request',
	'Phishing investigation',
	'User asked for a lost message',
];

function searchText(rng: Rng): string {
	const domain = rng.pick(PARTNER_DOMAINS);
	const kind = rng.int(0, 2);
	if (kind === 0) return domain;
	if (kind === 1) return rng.pick(SUBJECTS);
	return `<${rng.hex(16)}@${domain}>`;
}

export const archiveSearchLogGenerator: LogGenerator = {
	timeField: 'createTime',
	generate(rng, { at }): LogRecord {
		// Real logs of one second can be identical (same user, same search): such records carry
		// nothing to tell them apart and a trigger emits them once. The emulator keeps its
		// records distinct (Message-ID searches, audit page numbers), so tests can count them.
		const picked = rng.pick(DESCRIPTIONS);
		const description = picked.startsWith('Audit')
			? `Audit [Page ${rng.int(1, 40)}] - Depth 100`
			: picked;
		const record: LogRecord = {
			createTime: formatMcDate(at),
			emailAddr: rng.chance(0.03) ? '<>' : internalUser(rng),
			source: rng.pick(['archive', 'archive', 'message_tracking']),
			searchText: searchText(rng),
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
