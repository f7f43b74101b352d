// What the demo adds for the two response examples (malicious click response, held-message
// triage) and how it tells what they did: the emulator's tenant state before and after.
import type { Emulator } from '../test/emulator/types';

/** The sender examples/held-message-triage.json triages (its Mimecast node's search value). */
export const TRIAGED_SENDER = 'offers@partner-mail.example';

const HOLDS = {
	spam: [
		'Message Hold Applied - Spam Signature policy',
		'message_hold_applied_spam_signature_policy',
	],
	malware: ['Message Hold Applied - Suspected Malware', 'message_hold_applied_suspected_malware'],
} as const;

/**
 * Held messages from the triaged sender: two spam holds the example releases, one malware hold
 * it rejects. Returns their ids by the outcome the example's rule gives them.
 */
export function seedHeldMessages(emu: Emulator): { release: string[]; reject: string[] } {
	const from = { emailAddress: TRIAGED_SENDER, displayableName: 'Partner offers' };
	const now = Date.now();
	const out = { release: [] as string[], reject: [] as string[] };
	for (const [kind, minutesAgo] of [
		['spam', 20],
		['spam', 75],
		['malware', 40],
	] as const) {
		const [reason, reasonCode] = HOLDS[kind];
		const held = emu.actions.hold(
			{ from, fromHeader: from, reason, reasonCode, reasonId: reasonCode.toUpperCase() },
			now - minutesAgo * 60_000,
		);
		(kind === 'spam' ? out.release : out.reject).push(held.id);
	}
	return out;
}

export interface ResponseCounts {
	senders: number;
	urls: number;
	incidents: number;
	releaseLogs: number;
}

export function countResponses(emu: Emulator): ResponseCounts {
	const a = emu.actions;
	return {
		senders: a.managedSenders.size,
		urls: a.managedUrls.length,
		incidents: a.remediations.incidents.length,
		releaseLogs: a.releaseLogs.length,
	};
}

/** Lines for the demo summary: what changed in the tenant since `before`. */
export function describeResponses(emu: Emulator, before: ResponseCounts): string[] {
	const a = emu.actions;
	const senders = [...a.managedSenders.values()]
		.slice(before.senders)
		.filter((s) => s.type === 'Block');
	const urls = a.managedUrls.slice(before.urls);
	const incidents = a.remediations.incidents.slice(before.incidents);
	const logs = a.releaseLogs.slice(before.releaseLogs);
	const lines = [
		`Senders blocked (for the recipient who clicked)   ${senders.length}`,
		...senders.slice(0, 5).map((s) => `  ${s.sender} -> ${s.to}`),
		`URLs blocked (managed URLs)                       ${urls.length}`,
		...urls.slice(0, 5).map((u) => `  ${u.scheme}://${u.domain}${u.path}`),
		`Messages remediated (incidents)                   ${incidents.length}, ${incidents.reduce((n, i) => n + i.successful, 0)} mailbox copies removed`,
		...incidents
			.slice(0, 5)
			.map(
				(i) => `  ${i.code}  ${String(i.searchCriteria.messageId ?? i.searchCriteria.fileHash)}`,
			),
		`Held messages from ${TRIAGED_SENDER}: released ${logs.filter((l) => l.status === 'released').length}, rejected ${logs.filter((l) => l.status === 'rejected').length}`,
	];
	return lines;
}
