/**
 * Message tracking: `/api/message-finder/search` and `/api/message-finder/get-message-info`
 * (mimecast-api-more.md §11), over the tenant's Mailbox.
 */
import { formatMcDate } from '../clock';
import { CODES, type Reply } from '../envelope';
import type { ActionEndpoints } from './endpoints';
import { firstItem } from './body';
import { dateField, fieldFail, isObj, isReply, ok, type Obj } from './common';
import type { Mailbox, TrackedMessage } from './mailbox';

const DAY = 86_400_000;
const ROUTES = ['inbound', 'outbound', 'internal'];
const TRACKING_DAYS = 30;

export function messageEndpoints(mailbox: Mailbox, now: () => number): ActionEndpoints {
	return {
		'/api/message-finder/search': {
			permission: 'Gateway | Tracking | Read',
			write: false,
			handle: (json) => search(mailbox, now(), json),
		},
		'/api/message-finder/get-message-info': {
			permission: 'Gateway | Tracking | Read',
			write: false,
			handle: (json) => messageInfo(mailbox, json),
		},
	};
}

function search(mailbox: Mailbox, now: number, json: unknown): Reply {
	const item = firstItem(json);
	if (isReply(item)) return item;
	const options = item.advancedTrackAndTraceOptions;
	const hasId = item.messageId !== undefined && item.messageId !== '';
	if (hasId === isObj(options))
		return fieldFail(
			CODES.invalidValue,
			'Send exactly one of messageId or advancedTrackAndTraceOptions',
			item,
			'messageId',
		);
	const window = searchWindow(item, now);
	if (isReply(window)) return window;
	const match = hasId
		? (m: TrackedMessage) => m.messageId === item.messageId
		: optionsMatcher(options as Obj, item);
	if (isReply(match)) return match;
	const found = mailbox
		.all()
		.filter((m) => m.received >= window.from && m.received <= window.to && match(m));
	return ok([{ trackedEmails: found.reverse().map(trackedEmail) }]);
}

function searchWindow(item: Obj, now: number): { from: number; to: number } | Reply {
	const read = (field: 'start' | 'end', fallback: number) => dateField(item, field, fallback);
	const from = read('start', now - DAY);
	if (isReply(from)) return from;
	const to = read('end', now);
	if (isReply(to)) return to;
	// Practitioners report this code, with meta.status 200, for a start beyond the tracking retention.
	if (from < now - TRACKING_DAYS * DAY)
		return fieldFail(
			'err_track_and_trace_invalid_start_date',
			'The start date is outside the message tracking retention',
			item,
			'start',
		);
	if (to < from) return fieldFail(CODES.dateRange, 'end must not be before start', item, 'end');
	return { from, to };
}

function optionsMatcher(options: Obj, item: Obj): ((m: TrackedMessage) => boolean) | Reply {
	const text = (field: string) =>
		typeof options[field] === 'string' && options[field] !== ''
			? String(options[field])
			: undefined;
	const [from, to, subject, senderIP] = ['from', 'to', 'subject', 'senderIP'].map(text);
	if (!from && !to && !subject && !senderIP)
		return fieldFail(
			CODES.validationBlank,
			'Set at least one of from, to, subject or senderIP',
			item,
			'advancedTrackAndTraceOptions',
		);
	const routes = options.route === undefined ? [] : options.route;
	if (!Array.isArray(routes) || routes.some((r) => !ROUTES.includes(String(r))))
		return fieldFail(
			CODES.invalidValue,
			`route must be a list of ${ROUTES.join(', ')}`,
			item,
			'route',
		);
	const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
	return (m) =>
		(!from || same(m.from, from)) &&
		(!to || m.to.some((r) => same(r, to))) &&
		(!subject || m.subject.toLowerCase().includes(subject.toLowerCase())) &&
		(!senderIP || m.senderIP === senderIP) &&
		(routes.length === 0 || routes.includes(m.route));
}

function address(emailAddress: string, displayableName = '') {
	return { displayableName, emailAddress };
}

export function trackedEmail(m: TrackedMessage): Obj {
	return {
		info: m.remediatedBy ? `Removed by remediation ${m.remediatedBy}` : 'Indexed and archived',
		id: m.id,
		status: 'archived',
		fromEnv: { emailAddress: m.from },
		fromHdr: address(m.from, m.from),
		to: m.to.map((r) => address(r)),
		received: formatMcDate(m.received),
		subject: m.subject,
		senderIP: m.senderIP,
		attachments: m.attachments.length > 0,
		route: m.route,
		sent: formatMcDate(m.received),
		spamScore: 2,
		detectionLevel: 'relaxed',
	};
}

function messageInfo(mailbox: Mailbox, json: unknown): Reply {
	const item = firstItem(json);
	if (isReply(item)) return item;
	const id = item?.id;
	if (typeof id !== 'string' || id === '')
		return fieldFail(CODES.validationBlank, 'id must not be blank', item, 'id');
	const m = mailbox.get(id);
	if (!m) return fieldFail('err_message_not_found', 'No tracked message with this id', item, 'id');
	return ok([fullInfo(m)]);
}

/** The get-message-info record (XS-td/get_message_info_response.json), filled from one message. */
function fullInfo(m: TrackedMessage): Obj {
	const at = formatMcDate(m.received);
	const components = m.attachments.map((a) => ({
		type: 'File',
		name: a.name,
		extension: a.extension,
		mimeType: a.mimeType,
		size: a.size,
		hash: a.sha256,
	}));
	const messageInfo = {
		fromHeader: m.from,
		fromEnvelope: m.from,
		to: m.to,
		cc: [],
		subject: m.subject,
		sent: at,
		processed: at,
	};
	const deliveredMessage: Obj = {};
	for (const recipient of m.to) {
		deliveredMessage[recipient] = {
			messageInfo: { ...messageInfo, route: m.route },
			policyInfo: [
				{ policyType: 'Spam Scanning', policyName: 'Relaxed Spam Detection', inherited: false },
			],
			deliveryMetaInfo: {
				deliveryEvent: m.remediatedBy
					? `Removed by remediation ${m.remediatedBy}`
					: 'Email Delivered',
				emailAddress: recipient,
				remoteIp: '10.100.1.20',
				encryptionInfo: 'TLS',
				transmissionStart: at,
				transmissionEnd: at,
				components,
			},
		};
	}
	return {
		id: m.id,
		status: 'archived',
		recipientInfo: {
			messageInfo: {
				...messageInfo,
				transmissionInfo: `<pre>Message-ID: ${m.messageId.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>`,
			},
			recipientMetaInfo: {
				receiptEvent: 'Email Received',
				spamEvent: 'na',
				messageExpiresIn: 7,
				processingServer: 'eu-smtp-inbound-1',
				transmissionSize: 20_480,
				binaryEmailSize: 18_432,
				remoteIp: m.senderIP,
				remoteHost: m.from.slice(m.from.indexOf('@') + 1),
				remoteServerGreeting: '220 mail ready',
				receiptAcknowledgement: '250 2.0.0 Ok',
				transmissionStart: at,
				transmissionEnd: at,
				encryptionInfo: 'TLS',
				components,
			},
		},
		deliveredMessage,
		retentionInfo: {
			currentPurgeDate: formatMcDate(m.received + 365 * 86_400_000),
			purgeBasedOn: 'original',
			originalPurgeDate: formatMcDate(m.received + 365 * 86_400_000),
			retentionAdjustmentDays: -1,
			litigationHoldInfo: [],
			fbrStamps: [],
			smartTags: [],
			fbrExpireCheck: [],
			audits: [],
		},
		spamInfo: {
			spamScore: 2,
			detectionLevel: 'relaxed',
			spamProcessingDetail: {
				rbl: { allow: true },
				spf: { allow: true, info: 'pass' },
				dkim: { allow: true, info: 'unknown' },
				dmarc: { allow: true, info: 'none' },
			},
		},
	};
}
