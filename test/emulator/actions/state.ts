/**
 * The tenant's configuration and queues that the response actions change: managed senders,
 * managed URLs, held messages and their release log, tracked messages, remediation incidents,
 * directory groups and blocked-sender policies. One instance per emulator, seeded from its
 * PRNG, so a test sees the effect of an action (and proves there was exactly one).
 */
import { formatMcDate, HOUR, MINUTE } from '../clock';
import type { Clock } from '../clock';
import {
	CLEAN_URLS,
	externalSender,
	INTERNAL_DOMAIN,
	internalUser,
	mail,
	MALICIOUS_URLS,
} from '../data/vocab';
import { hashString, Rng } from '../prng';
import type { EmulatorData } from '../types';

/** The log store the actions read (tracked messages) and write (release logs) through. */
export type ActionLogs = Pick<EmulatorData, 'records'> & Partial<Pick<EmulatorData, 'add'>>;
import { BlockedSenderPolicies } from './blockedSenderPolicy';
import { Groups } from './group';
import { Mailbox } from './mailbox';
import { Remediations } from './remediation';

export interface ManagedSender {
	id: string;
	sender: string;
	to: string;
	/** Capitalised as Mimecast answers it ("Block"/"Permit"). */
	type: 'Block' | 'Permit';
}

export interface ManagedUrl {
	id: string;
	scheme: string;
	domain: string;
	port: number;
	path: string;
	queryString: string;
	matchType: 'explicit' | 'domain';
	action: 'block' | 'permit';
	comment: string;
	disableUserAwareness: boolean;
	disableRewrite: boolean;
	disableLogClick: boolean;
}

export interface Address {
	emailAddress: string;
	displayableName: string;
}

/** A held message as `get-hold-message-list` serves it (api-more §10: `to` is an object). */
export interface HeldMessage {
	id: string;
	reason: string;
	reasonId: string;
	reasonCode: string;
	from: Address;
	fromHeader: Address;
	to: Address;
	subject: string;
	route: 'INBOUND' | 'OUTBOUND' | 'INTERNAL';
	hasAttachments: boolean;
	size: number;
	dateReceived: string;
	policyInfo: string;
}

/** One `get-held-release-logs` record (api-more §3): released or rejected by an operator. */
export interface HeldReleaseLog {
	id: string;
	status: 'released' | 'rejected';
	rejectReason?: string;
	heldReason: string;
	messageInfo: string;
	released: string;
	operator: { emailAddress: string };
	fromEnv: { emailAddress: string };
	fromHdr: { emailAddress: string };
	to: Array<{ emailAddress: string }>;
	subject: string;
	attachments: boolean;
	route: string;
	size: number;
	policy: string;
}

const HOLD_REASONS = [
	[
		'Message Hold Applied - Spam Signature policy',
		'message_hold_applied_spam_signature_policy',
		'Relaxed Spam Detection',
	],
	['Attachment Management', 'attachment_management', 'Default Attachment Management'],
	['Content Examination', 'content_examination', 'Confidential Content'],
	[
		'Message Hold Applied - Suspected Malware',
		'message_hold_applied_suspected_malware',
		'Default Anti-Malware',
	],
] as const;

export class ActionState {
	readonly managedSenders = new Map<string, ManagedSender>();
	readonly managedUrls: ManagedUrl[] = [];
	/** Rewritten protect link -> the original URL (what decode-url answers). */
	readonly rewrittenUrls = new Map<string, string>();
	readonly heldMessages: HeldMessage[] = [];
	readonly releaseLogs: HeldReleaseLog[] = [];
	/** Messages message-finder tracks: seeded, plus those behind the TTP logs; remediation removes them. */
	readonly mailbox: Mailbox;
	readonly remediations: Remediations;
	readonly directory: Groups;
	readonly blockedSenderPolicies: BlockedSenderPolicies;
	/** Role permissions the API user lacks: endpoints needing one answer `meta.status: 403`. */
	readonly revokedPermissions = new Set<string>();
	/** The operator the API user stands for in release logs. */
	readonly operator = `api.user@${INTERNAL_DOMAIN}`;

	private readonly rng: Rng;

	constructor(
		seed: number,
		readonly clock: Clock,
		private readonly logs?: ActionLogs,
	) {
		this.rng = Rng.derive(seed, 'actions');
		const now = () => clock.now();
		this.mailbox = new Mailbox({ records: (kind) => logs?.records(kind) ?? [], now }, seed);
		this.remediations = new Remediations(this.mailbox, now);
		this.directory = new Groups(seed);
		this.blockedSenderPolicies = new BlockedSenderPolicies(now);
		this.seed();
	}

	/** A fresh opaque id, shaped like Mimecast's (`eNo…`). */
	newId(): string {
		return `eNo${this.rng.base64url(40)}`;
	}

	/** Managed senders are keyed by the sender/recipient pair, so the id is derived from it. */
	senderKey(sender: string, to: string): string {
		return `${sender.toLowerCase()}|${to.toLowerCase()}`;
	}

	senderId(sender: string, to: string): string {
		const key = this.senderKey(sender, to);
		return `MTOKEN:eNoVz${hashString(key).toString(36)}${hashString(key, 7).toString(36)}`;
	}

	/** Adds a held message (tests make the one they act on); returns it. */
	hold(overrides: Partial<HeldMessage> = {}, at = this.clock.now()): HeldMessage {
		const rng = this.rng;
		const m = mail(rng, rng.chance(0.3));
		const [reason, reasonCode, policyInfo] = rng.pick(HOLD_REASONS);
		const address = (a: string): Address => ({ emailAddress: a, displayableName: '' });
		const held: HeldMessage = {
			id: this.newId(),
			reason,
			reasonId: reasonCode.toUpperCase(),
			reasonCode,
			from: address(m.sender),
			fromHeader: address(m.sender),
			to: address(m.recipient),
			subject: m.subject,
			route: m.direction.toUpperCase() as HeldMessage['route'],
			hasAttachments: rng.chance(0.4),
			size: rng.int(2_000, 900_000),
			dateReceived: formatMcDate(at),
			policyInfo,
			...overrides,
		};
		this.heldMessages.push(held);
		return held;
	}

	/** Takes a held message off the hold list into the release log; false if it is not held. */
	settleHeld(
		id: string,
		outcome: { status: 'released' } | { status: 'rejected'; rejectReason: string },
	): boolean {
		const index = this.heldMessages.findIndex((h) => h.id === id);
		if (index < 0) return false;
		const [held] = this.heldMessages.splice(index, 1);
		const at = this.clock.now();
		const record: HeldReleaseLog = {
			id: held.id,
			...outcome,
			heldReason: held.reason,
			messageInfo: held.policyInfo,
			released: formatMcDate(at),
			operator: { emailAddress: this.operator },
			fromEnv: { emailAddress: held.from.emailAddress },
			fromHdr: { emailAddress: held.fromHeader.emailAddress },
			to: [{ emailAddress: held.to.emailAddress }],
			subject: held.subject,
			attachments: held.hasAttachments,
			route: held.route.toLowerCase(),
			size: held.size,
			policy: held.policyInfo,
		};
		this.releaseLogs.push(record);
		// The get-held-release-logs endpoint serves the DataStore's releaseLogs: feed it as well.
		this.logs?.add?.('releaseLogs', 1, { raw: { ...record }, at });
		return true;
	}

	/** The protect link Mimecast would have rewritten `original` to; decode-url resolves it. */
	rewrite(original: string): string {
		const link = `https://protect-eu.mimecast.com/s/${this.rng.base64url(18)}?domain=${new URL(original).hostname}`;
		this.rewrittenUrls.set(link, original);
		return link;
	}

	private seed(): void {
		const now = this.clock.now();
		const rng = this.rng;
		for (let i = 0; i < 24; i++) this.hold({}, now - rng.int(5 * MINUTE, 72 * HOUR));
		this.heldMessages.sort((a, b) => a.dateReceived.localeCompare(b.dateReceived));
		for (const original of [...CLEAN_URLS, ...MALICIOUS_URLS]) this.rewrite(original);
		for (let i = 0; i < 12; i++) {
			const permit = i % 3 === 0;
			const host = `${permit ? 'portal' : 'bad'}${i}.${permit ? 'partner' : 'phish'}.example`;
			this.managedUrls.push({
				id: this.newId(),
				scheme: 'https',
				domain: host,
				port: -1,
				path: i % 2 === 0 ? '/' : '',
				queryString: '',
				matchType: i % 2 === 0 ? 'explicit' : 'domain',
				action: permit ? 'permit' : 'block',
				comment: permit ? 'partner portal' : 'seen in phishing',
				disableUserAwareness: false,
				disableRewrite: false,
				disableLogClick: false,
			});
		}
	}
}
