/**
 * API 1.0 SIEM (MTA) events, one generator per file-name prefix. Field names follow Mimecast's
 * "Understanding SIEM logs" examples (samples/elastic/test-siem-docs-logs.log): PascalCase for
 * most types, lower-case keys for ttp_url. Values never contain null: a key_value file cannot
 * express null, and json and key_value must carry the same events.
 */
import { formatMcDateInOffset } from '../clock';
import type { Rng } from '../prng';
import type { LogRecord, SiemFilePrefix } from '../types';
import {
	ACCOUNT_CODE,
	CLEAN_FILES,
	MALICIOUS_FILES,
	MALICIOUS_URLS,
	TLS_CIPHERS,
	domainOf,
	internalIp,
	mail,
	publicIp,
} from './vocab';

export const SIEM_FILE_PREFIXES: readonly SiemFilePrefix[] = [
	'receipt',
	'process',
	'delivery',
	'av',
	'spameventthread',
	'internal',
	'impersonation',
	'ttp_url',
	'ttp_ap',
	'jrnl',
];

/** SIEM 1.0 files write `datetime` in the account's time zone; ours is UTC+1. */
export const SIEM_UTC_OFFSET_MINUTES = 60;

type Gen = (rng: Rng, at: number) => LogRecord;

/**
 * Builds an event: the common head (datetime, aCode, acc, in the order of the real key_value
 * sample) then the type's fields. Object.assign, not spread: V8 builds these ~50x faster.
 */
const ev = (
	rng: Rng,
	at: number,
	code: boolean,
	...parts: Array<LogRecord | undefined>
): LogRecord => {
	const head: LogRecord = { datetime: formatMcDateInOffset(at, SIEM_UTC_OFFSET_MINUTES) };
	if (code) head.aCode = rng.base64url(22);
	head.acc = ACCOUNT_CODE;
	return Object.assign(head, ...parts);
};

const attachments = (rng: Rng): { names: string; count: number; size: number } => {
	const count = rng.weighted([
		[0, 6],
		[1, 3],
		[2, 1],
	] as const);
	const names = Array.from({ length: count }, () => `"${rng.pick(CLEAN_FILES)[0]}"`).join(', ');
	return { names, count, size: count ? rng.int(900, 2_000_000) : 0 };
};

const hashes = (rng: Rng): LogRecord => ({
	md5: rng.hex(32),
	sha1: rng.hex(40),
	sha256: rng.hex(64),
});

export const SIEM_V1_EVENTS: Readonly<Record<SiemFilePrefix, Gen>> = {
	receipt(rng, at) {
		const m = mail(rng);
		if (rng.chance(0.1)) {
			return ev(rng, at, true, {
				IP: m.ip,
				RejType: 'Manual Envelope Rejection',
				Error: 'User level block list in force',
				RejCode: '550',
				Dir: 'Inbound',
				Sender: m.sender,
				Rcpt: m.recipient,
				Act: 'Rej',
				RejInfo: 'Envelope blocked - User Entry',
				TlsVer: 'TLSv1.2',
				Cphr: rng.pick(TLS_CIPHERS),
			});
		}
		return ev(rng, at, true, {
			SpamLimit: rng.pick([0, 28]),
			IP: m.ip,
			Dir: m.direction,
			MsgId: m.messageId,
			Subject: m.subject,
			headerFrom: m.sender,
			Sender: m.sender,
			Rcpt: m.recipient,
			SpamInfo: '[]',
			Act: 'Acc',
			TlsVer: rng.pick(['TLSv1.2', 'TLSv1.3']),
			Cphr: rng.pick(TLS_CIPHERS),
			SpamProcessingDetail: {
				spf: { info: rng.pick(['SPF_PASS', 'SPF_FAIL', 'SPF_NONE']), allow: true },
				dkim: { info: rng.pick(['DKIM_UNKNOWN', 'DKIM_PASS']), allow: true },
			},
			SpamScore: rng.int(0, 30),
		});
	},
	process(rng, at) {
		const m = mail(rng);
		const att = attachments(rng);
		const held = rng.chance(0.15);
		return ev(
			rng,
			at,
			true,
			{
				AttNames: att.names,
				MsgId: m.messageId,
				AttSize: att.size,
				Act: held ? 'Hld' : 'Acc',
				AttCnt: att.count,
				MsgSize: att.size + rng.int(1500, 60_000),
				Sender: m.sender,
				Subject: m.subject,
			},
			held
				? {
						Hld: 'Spm',
						IPInternalName: 'false',
						IPNewDomain: 'false',
						IPReplyMismatch: 'false',
						IPSimilarDomain: 'false',
						IPThreadDict: 'false',
					}
				: undefined,
		);
	},
	delivery(rng, at) {
		const m = mail(rng);
		const att = attachments(rng);
		const ok = rng.chance(0.93);
		const tls = rng.chance(0.8);
		return ev(
			rng,
			at,
			true,
			{
				Delivered: ok,
				IP: m.direction === 'Internal' ? internalIp(rng) : publicIp(rng),
				AttCnt: att.count,
				Dir: m.direction,
				MsgId: m.messageId,
				Subject: m.subject,
				Latency: rng.int(100, 9000),
				Sender: m.sender,
				Rcpt: m.recipient,
				AttSize: att.size,
				Attempt: 1,
				Snt: rng.int(100, 90_000),
				UseTls: tls ? 'Yes' : 'No',
				Route: rng.pick(['Office365', 'Mimecast Exchange Route']),
			},
			tls ? { TlsVer: 'TLSv1.2', Cphr: rng.pick(TLS_CIPHERS) } : undefined,
			ok
				? {
						ReceiptAck: `250 2.6.0 ${m.messageId} [InternalId=${rng.int(1e7, 9e7)}] Queued mail for delivery`,
					}
				: {
						RejType: 'Recipient email address is possibly incorrect',
						RejCode: '550',
						RejInfo: '5.4.1 Recipient address rejected: Access denied.',
					},
		);
	},
	av(rng, at) {
		const m = mail(rng, true);
		const [fileName, fileMime] = rng.pick(MALICIOUS_FILES);
		return ev(
			rng,
			at,
			false,
			{
				CustomerIP: 'false',
				IP: m.ip,
				MimecastIP: 'false',
				MsgId: m.messageId,
				Recipient: m.recipient,
				Route: 'Inbound',
				Sender: m.sender,
				SenderDomain: domainOf(m.sender),
				SenderDomainInternal: 'false',
				Size: rng.int(10_000, 2_000_000),
				Subject: m.subject,
				Virus: rng.pick(['Anomali:Phishing', 'Trojan.Generic', 'W97M.Downloader']),
				fileExt: fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1) : 'bin',
				fileMime,
				fileName,
			},
			hashes(rng),
		);
	},
	spameventthread(rng, at) {
		const m = mail(rng, rng.chance(0.5));
		return ev(rng, at, true, {
			MsgId: m.messageId,
			Recipient: m.recipient,
			Route: 'Inbound',
			Sender: m.sender,
			SenderDomain: domainOf(m.sender),
			SourceIP: m.ip,
			Subject: m.subject,
			headerFrom: m.sender,
		});
	},
	internal(rng, at) {
		const m = mail(rng);
		return ev(rng, at, true, {
			MsgId: m.messageId,
			Recipient: m.recipient,
			Route: 'Internal',
			ScanResultInfo: 'Blocked URL Category',
			Sender: m.sender,
			Subject: m.subject,
			URL: rng.pick(MALICIOUS_URLS),
			UrlCategory: rng.pick(['Phishing & Fraud', 'Compromised']),
		});
	},
	impersonation(rng, at) {
		const m = mail(rng, true);
		const hits = rng.int(1, 3);
		return ev(rng, at, true, {
			Action: hits > 1 ? 'Hold' : 'None',
			CustomName: 'false',
			CustomThreatDictionary: 'false',
			Definition: 'Default Impersonation Definition',
			Hits: String(hits),
			IP: m.ip,
			InternalName: 'true',
			MsgId: m.messageId,
			NewDomain: rng.chance(0.5) ? 'true' : 'false',
			Recipient: m.recipient,
			ReplyMismatch: 'false',
			Route: 'Inbound',
			Sender: m.sender,
			SimilarCustomExternalDomain: 'false',
			SimilarInternalDomain: hits > 2 ? 'true' : 'false',
			SimilarMimecastExternalDomain: 'false',
			Subject: m.subject,
			TaggedExternal: 'false',
			TaggedMalicious: 'true',
			ThreatDictionary: 'false',
		});
	},
	ttp_url(rng, at) {
		const m = mail(rng, true);
		return ev(rng, at, false, {
			reason: 'malicious',
			subject: m.subject,
			msgid: m.messageId,
			url: rng.pick(MALICIOUS_URLS),
			route: 'inbound',
			sourceIp: m.ip,
			sender: m.sender,
			recipient: m.recipient,
			action: rng.pick(['Block', 'Warn']),
			urlCategory: rng.pick(['Phishing & Fraud', 'Blocked', 'Malware & Spyware']),
			senderDomain: domainOf(m.sender),
		});
	},
	ttp_ap(rng, at) {
		const m = mail(rng, true);
		const [fileName, fileMime] = rng.pick(MALICIOUS_FILES);
		return ev(
			rng,
			at,
			false,
			{
				IP: m.ip,
				Recipient: m.recipient,
				Route: 'Inbound',
				Sender: m.sender,
				SenderDomain: domainOf(m.sender),
				Size: rng.int(10_000, 900_000),
				fileExt: fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase(),
				fileMime,
				fileName,
			},
			hashes(rng),
		);
	},
	jrnl(rng, at) {
		const m = mail(rng);
		return ev(rng, at, true, {
			Sender: m.sender,
			Rcpt: m.recipient,
			RcptActType: 'Jnl',
			Dir: m.direction,
			RcptHdrType: rng.pick(['To', 'Cc', 'Unknown']),
		});
	},
};
