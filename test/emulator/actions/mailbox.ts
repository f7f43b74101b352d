/**
 * The messages Mimecast tracked for this tenant: what message-finder searches and what
 * remediation pulls out of mailboxes. They are the messages behind the TTP URL-click and
 * attachment logs (same Message-ID, sender, recipient, subject), so a workflow that starts
 * from a malicious click can find and remediate that very message; tests add more with `add`.
 */
import { createHash } from 'node:crypto';

import { parseMcDate } from '../clock';
import { CLEAN_FILES, MALICIOUS_FILES, mail } from '../data/vocab';
import { Rng } from '../prng';
import type { LogRecord } from '../types';

export interface Attachment {
	name: string;
	extension: string;
	mimeType: string;
	size: number;
	/** SHA-256, lowercase hex. */
	sha256: string;
	md5: string;
	sha1: string;
}

export interface TrackedMessage {
	/** The tracked-email id message-finder hands out (opaque to clients). */
	id: string;
	messageId: string;
	from: string;
	to: string[];
	subject: string;
	senderIP: string;
	route: 'inbound' | 'outbound' | 'internal';
	received: number;
	attachments: Attachment[];
	/** Code of the remediation incident that removed it from the mailboxes, once removed. */
	remediatedBy?: string;
}

export type NewMessage = Partial<Omit<TrackedMessage, 'id' | 'attachments'>> & {
	attachments?: Array<Pick<Attachment, 'name'> & Partial<Attachment>>;
};

/** Where the seeded messages come from: the tenant's log records (read lazily, they grow). */
export interface MessageSource {
	records(kind: 'ttpUrl' | 'ttpAttachment'): LogRecord[];
	now(): number;
}

const digest = (algorithm: string, text: string): string =>
	createHash(algorithm).update(text).digest('hex');

export class Mailbox {
	private readonly byId = new Map<string, TrackedMessage>();
	private readonly seen = { ttpUrl: 0, ttpAttachment: 0 };

	constructor(
		private readonly source: MessageSource,
		seed: number,
	) {
		// A few messages of their own, with attachments, so an empty tenant has something to find.
		const rng = Rng.derive(seed, 'mailbox');
		const now = source.now();
		for (let i = 0; i < 8; i++) {
			const m = mail(rng, i % 3 === 0);
			const [name] = rng.pick(i % 3 === 0 ? MALICIOUS_FILES : CLEAN_FILES);
			this.add({
				messageId: m.messageId,
				from: m.sender,
				to: [m.recipient],
				subject: m.subject,
				senderIP: m.ip,
				route: routeOf(m.direction.toLowerCase()),
				received: now - rng.int(10 * 60_000, 48 * 3_600_000),
				attachments: i % 2 === 0 ? [{ name, sha256: rng.hex(64) }] : [],
			});
		}
	}

	/** Every tracked message, oldest first. */
	all(): TrackedMessage[] {
		this.sync();
		return [...this.byId.values()].sort((a, b) => a.received - b.received);
	}

	get(id: string): TrackedMessage | undefined {
		this.sync();
		return this.byId.get(id);
	}

	add(input: NewMessage): TrackedMessage {
		const messageId =
			input.messageId ??
			`<${digest('md5', `${this.byId.size}:${input.subject ?? ''}`).slice(0, 16)}@emulator.test>`;
		const id = `eNo${Buffer.from(`${messageId}|${this.byId.size}`).toString('base64url')}`;
		const message: TrackedMessage = {
			id,
			messageId,
			from: input.from ?? 'sender@partner.example',
			to: input.to ?? ['john.doe@northwind.example'],
			subject: input.subject ?? '',
			senderIP: input.senderIP ?? '192.0.2.10',
			route: input.route ?? 'inbound',
			received: input.received ?? this.source.now(),
			attachments: (input.attachments ?? []).map((a) =>
				attachment(a.name, a.sha256 ?? digest('sha256', a.name), a),
			),
			remediatedBy: input.remediatedBy,
		};
		this.byId.set(id, message);
		return message;
	}

	/** Messages behind log records not seen yet (records arrive while the emulator runs). */
	private sync(): void {
		for (const kind of ['ttpUrl', 'ttpAttachment'] as const) {
			const records = this.source.records(kind);
			if (records.length === this.seen[kind]) continue;
			const known = new Set([...this.byId.values()].map((m) => m.messageId));
			for (const record of records) {
				const messageId = String(record.messageId ?? '');
				if (messageId === '' || known.has(messageId)) continue;
				known.add(messageId);
				this.add(kind === 'ttpUrl' ? fromClick(record) : fromAttachmentLog(record));
			}
			this.seen[kind] = records.length;
		}
	}
}

function fromClick(record: LogRecord): NewMessage {
	const ip = String(record.sendingIp ?? '');
	return {
		messageId: String(record.messageId),
		from: String(record.fromUserEmailAddress),
		to: [String(record.userEmailAddress)],
		subject: String(record.subject ?? ''),
		senderIP: ip === 'Internal IP' ? '10.100.0.1' : ip,
		route: routeOf(record.route),
		// The click comes after delivery: the message arrived a few minutes earlier.
		received: (parseMcDate(String(record.date)) ?? 0) - 5 * 60_000,
	};
}

function fromAttachmentLog(record: LogRecord): NewMessage {
	const sender = String(record.senderAddress);
	return {
		messageId: String(record.messageId),
		from: sender === '<>' ? 'postmaster@partner.example' : sender,
		to: [String(record.recipientAddress)],
		subject: String(record.subject ?? ''),
		route: routeOf(record.route),
		received: parseMcDate(String(record.date)) ?? 0,
		attachments: [{ name: String(record.fileName), sha256: String(record.fileHash).toLowerCase() }],
	};
}

function routeOf(value: unknown): TrackedMessage['route'] {
	return value === 'outbound' || value === 'internal' ? value : 'inbound';
}

function attachment(name: string, sha256: string, given: Partial<Attachment>): Attachment {
	const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
	return {
		name,
		extension,
		mimeType: given.mimeType ?? 'application/octet-stream',
		size: given.size ?? 20_480,
		sha256: sha256.toLowerCase(),
		md5: (given.md5 ?? digest('md5', sha256)).toLowerCase(),
		sha1: (given.sha1 ?? digest('sha1', sha256)).toLowerCase(),
	};
}

/** Whether `hash` (MD5, SHA-1 or SHA-256 hex, any case) is one of the message's attachments. */
export function hasHash(message: TrackedMessage, hash: string): boolean {
	const h = hash.toLowerCase();
	return message.attachments.some((a) => a.sha256 === h || a.md5 === h || a.sha1 === h);
}
