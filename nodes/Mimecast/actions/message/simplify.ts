import type { IDataObject } from 'n8n-workflow';

import { asObject } from '../../core/values';

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const addressOf = (value: unknown): IDataObject[string] =>
	typeof value === 'string' ? value : asObject(value).emailAddress;

/** Drops fields Mimecast left out, so a simplified item has no `undefined` keys. */
function defined(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
	return out;
}

/**
 * One search hit as a triager reads it: addresses as plain strings (Mimecast nests them in
 * `{displayableName, emailAddress}` objects) and the id that Get and remediation take.
 */
export function simplifyTrackedEmail(record: IDataObject): IDataObject {
	return defined({
		id: record.id,
		status: record.status,
		info: record.info,
		from: addressOf(record.fromEnv),
		fromHeader: addressOf(record.fromHdr),
		to: asList(record.to).map(addressOf),
		subject: record.subject,
		received: record.received,
		sent: record.sent,
		route: record.route,
		senderIP: record.senderIP,
		attachments: record.attachments,
		spamScore: record.spamScore,
		detectionLevel: record.detectionLevel,
	});
}

/**
 * The tracking record of one message, cut to what answers "where did it go and why": who sent it
 * to whom, its attachments with their hashes, the spam verdict, and one entry per recipient.
 * Mimecast keys `deliveredMessage` by recipient address (a dynamic key that n8n expressions and
 * spreadsheets handle badly); here it is a list with the address inside each entry.
 */
export function simplifyMessageInfo(record: IDataObject): IDataObject {
	const recipientInfo = asObject(record.recipientInfo);
	const info = asObject(recipientInfo.messageInfo);
	const meta = asObject(recipientInfo.recipientMetaInfo);
	const spam = asObject(record.spamInfo);
	return defined({
		id: record.id,
		status: record.status,
		from: info.fromEnvelope,
		fromHeader: info.fromHeader,
		to: info.to,
		cc: info.cc,
		subject: info.subject,
		sent: info.sent,
		processed: info.processed,
		receiptEvent: meta.receiptEvent,
		senderIP: meta.remoteIp,
		senderHost: meta.remoteHost,
		encryption: meta.encryptionInfo,
		spamScore: spam.spamScore,
		detectionLevel: spam.detectionLevel,
		attachments: asList(meta.components).map((c) => {
			const { name, extension, mimeType, size, hash } = asObject(c);
			return defined({ name, extension, mimeType, size, hash });
		}),
		deliveries: deliveries(record.deliveredMessage),
	});
}

function deliveries(delivered: unknown): IDataObject[] {
	return Object.entries(asObject(delivered)).map(([recipient, value]) => {
		const entry = asObject(value);
		const meta = asObject(entry.deliveryMetaInfo);
		return defined({
			recipient,
			event: meta.deliveryEvent,
			route: asObject(entry.messageInfo).route,
			policies: asList(entry.policyInfo).map((p) => asObject(p).policyName),
		});
	});
}
