import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { limitProperties } from '../../descriptions/action';
import { simplifyProperty } from '../../descriptions/common';
import { firstRecord, sendAction, unexpectedAnswer, wantedCount } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { email, exactlyOneOf, InvalidInput, messageId, optional, window } from '../validate';
import { simplifyTrackedEmail } from './simplify';

const ENDPOINT: ActionEndpoint = {
	path: '/api/message-finder/search',
	permission: 'Gateway | Tracking | Read',
	label: 'Search Messages',
	repeat: 'read',
};

/** Mimecast's message tracking reaches back about 30 days; a week finds most reported messages. */
const DEFAULT_DAYS = 7;
const ROUTES = ['inbound', 'outbound', 'internal'] as const;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

/**
 * Message tracking: by Message-ID, or by sender/recipient/subject/sender IP/route. Mimecast
 * takes exactly one of the two (XSOAR and Rapid7 both refuse both-or-neither), and with the
 * field search at least one of from/to/subject/sender IP (Rapid7).
 */
export const search: ActionOperation = {
	name: 'Search',
	action: 'Search messages',
	description:
		'Find messages in message tracking by Message-ID or by sender, recipient, subject or sender IP',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Message-ID',
			name: 'messageId',
			type: 'string',
			placeholder: '<abc123@mail.example.com>',
			default: '',
			description:
				'Internet Message-ID of the message (angle brackets are added when missing). Leave empty to search by the fields below instead.',
		},
		{
			displayName: 'Search Fields',
			name: 'searchFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description:
				'Search by these instead of a Message-ID; set at least one of From, To, Subject or Sender IP',
			options: [
				{
					displayName: 'From',
					name: 'from',
					type: 'string',
					placeholder: 'name@example.com',
					default: '',
					description: 'Envelope sender address',
				},
				{
					displayName: 'Route',
					name: 'route',
					type: 'multiOptions',
					default: [],
					description: 'Only messages on these routes',
					options: ROUTES.map((r) => ({ name: r[0].toUpperCase() + r.slice(1), value: r })),
				},
				{
					displayName: 'Sender IP',
					name: 'senderIP',
					type: 'string',
					placeholder: '203.0.113.5',
					default: '',
					description: 'IP address of the sending server',
				},
				{
					displayName: 'Subject',
					name: 'subject',
					type: 'string',
					default: '',
					description: 'Text the subject contains',
				},
				{
					displayName: 'To',
					name: 'to',
					type: 'string',
					placeholder: 'name@example.com',
					default: '',
					description: 'Recipient address',
				},
			],
		},
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			default: '',
			description: `Oldest message time to search; empty means ${DEFAULT_DAYS} days ago. Mimecast tracks about 30 days.`,
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			default: '',
			description: 'Newest message time to search; empty means now',
		},
		...limitProperties,
		simplifyProperty(true),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Search Reason',
					name: 'searchReason',
					type: 'string',
					default: '',
					description: 'Why you search; Mimecast records it in its audit log',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const param = (name: string, fallback: unknown = '') =>
			this.getNodeParameter(name, itemIndex, fallback);
		const fields = readFields(param('searchFields', {}) as IDataObject);
		const rawId = param('messageId');
		exactlyOneOf({ 'Message-ID': optional('Message-ID', rawId), 'Search Fields': fields });
		const request: IDataObject = {};
		if (fields) request.advancedTrackAndTraceOptions = fields;
		else request.messageId = messageId('Message-ID', rawId);
		const now = DateTime.utc();
		const { start, end } = window(
			{ start: 'Start', end: 'End' },
			{ start: param('start'), end: param('end') },
			{ zone: this.getTimezone(), defaultStart: now.minus({ days: DEFAULT_DAYS }), now },
		);
		Object.assign(request, { start, end });
		const reason = optional('Search Reason', (param('options', {}) as IDataObject).searchReason);
		if (reason) request.searchReason = reason;
		const want = wantedCount(this, itemIndex);

		const body = await sendAction(this, itemIndex, ENDPOINT, [request]);
		const tracked = firstRecord(this, itemIndex, ENDPOINT, body).trackedEmails;
		if (!Array.isArray(tracked))
			throw unexpectedAnswer(this, itemIndex, ENDPOINT, 'no trackedEmails list');
		const simplify = param('simplify', true) === true;
		return (tracked as IDataObject[])
			.slice(0, want)
			.map((record) => (simplify ? simplifyTrackedEmail(record) : record));
	},
};

/** The field search, validated; undefined when no field is set (so Message-ID is the search). */
function readFields(raw: IDataObject): IDataObject | undefined {
	const out: IDataObject = {};
	const from = optional('From', raw.from);
	const to = optional('To', raw.to);
	const subject = optional('Subject', raw.subject);
	const senderIP = optional('Sender IP', raw.senderIP);
	if (from) out.from = email('From', from);
	if (to) out.to = email('To', to);
	if (subject) out.subject = subject;
	if (senderIP) {
		if (!IPV4.test(senderIP) && !(senderIP.includes(':') && IPV6.test(senderIP)))
			throw new InvalidInput(
				`Sender IP is not an IP address: "${senderIP}"`,
				"Use the sending server's address, like 203.0.113.5.",
			);
		out.senderIP = senderIP;
	}
	const route = Array.isArray(raw.route)
		? raw.route.map(String)
		: raw.route
			? [String(raw.route)]
			: [];
	const unknown = route.filter((r) => !(ROUTES as readonly string[]).includes(r));
	if (unknown.length > 0)
		throw new InvalidInput(
			`Route has an unknown value "${unknown.join('", "')}"`,
			`Use ${ROUTES.join(', ')}.`,
		);
	const searched = Object.keys(out).length > 0;
	if (route.length > 0) {
		if (!searched)
			throw new InvalidInput(
				'Route alone is not a search',
				'Add From, To, Subject or Sender IP to the Search Fields (Mimecast needs one of them).',
			);
		out.route = route;
	}
	return searched ? out : undefined;
}
