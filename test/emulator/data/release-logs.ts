/**
 * `/api/gateway/get-held-release-logs` heldReleaseLogs[] (shaped like the recorded record in
 * mimecast-api-more.md §3). Quirks kept: senders are `fromEnv`/`fromHdr`, `status` is
 * released | rejected and `rejectReason` appears only on rejected records.
 */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { externalSender, internalUser, SUBJECTS } from './vocab';

const HELD = [
	['Default Spam Scanning Definition', 'Graymail', 'spam'],
	['High-Confidence Impersonation Protection', 'Impersonation', 'malicious'],
	['Attachment Policy', 'Dangerous file type', 'clean'],
	['Content Examination', 'Policy hit', 'clean'],
] as const;

const ADMINS = ['it.admin', 'soc.analyst', 'mail.admin'];

export const releaseLogGenerator: LogGenerator = {
	timeField: 'released',
	generate(rng, { at }): LogRecord {
		const [reason, info, decision] = rng.pick(HELD);
		const rejected = rng.chance(0.3);
		const sender = externalSender(rng, decision === 'malicious');
		const recipient = internalUser(rng);
		// An admin releases from the console; a user from the digest (the operator is then the recipient).
		const byAdmin = rng.chance(0.6);
		const operator = byAdmin ? `${rng.pick(ADMINS)}@${recipient.split('@')[1]}` : recipient;
		const record: LogRecord = {
			id: `eNoNjt0KgjAYQN9l10HTDCvow${rng.base64url(24)}`,
			status: rejected ? 'rejected' : 'released',
		};
		if (rejected) record.rejectReason = 'Message goes against email policies';
		Object.assign(record, {
			heldReason: reason,
			messageInfo: info,
			released: formatMcDate(at),
			operator: { emailAddress: operator },
			fromEnv: { emailAddress: sender },
			fromHdr: { emailAddress: sender },
			to: [{ emailAddress: recipient }],
			subject: rng.pick(SUBJECTS),
			attachments: rng.chance(0.3),
			route: 'inbound',
			size: rng.int(2_000, 900_000),
			policy: reason,
			spamScore: decision === 'spam' ? rng.int(5, 10) : rng.int(0, 4),
			detectionLevel: rng.pick(['relaxed', 'moderate', 'aggressive']),
			spamProcessingDetail: spamDetail(decision, rng.chance(0.5)),
		});
		return record;
	},
};

function spamDetail(decision: string, greyEmail: boolean): LogRecord {
	const allow = (info: string) => ({ allow: true, info });
	const risk = decision === 'clean' ? 'low' : decision === 'spam' ? 'medium' : 'high';
	return {
		rbl: allow(''),
		greyEmail,
		spf: allow('allow'),
		dkim: allow('unknown'),
		dmarc: allow('allow'),
		permittedSender: allow('none'),
		managedSender: allow('unknown'),
		verdict: {
			decision,
			description: '',
			risk,
			categories: [
				{
					name: decision,
					risk,
					subcategories: [{ name: 'technology_feed', risk, augmentations: [] }],
				},
			],
		},
	};
}
