import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseUserDate } from '../../core/dates';
import { toTokenList } from '../../core/values';
import { firstRecord, sendAction } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { domain, email, InvalidInput, oneOf, required } from '../validate';
import {
	ACTIONS,
	ADDRESS_TYPES,
	FROM_PARTS,
	policyOutput,
	VALUE_OF,
	type AddressType,
} from './policy';

/**
 * Once: create-policy has no natural key, so a repeat makes a second policy (idempotency table).
 * After an ambiguous failure the user checks with Get Many before running it again.
 */
const ENDPOINT: ActionEndpoint = {
	path: '/api/policy/blockedsenders/create-policy',
	permission: 'Gateway | Policies | Edit',
	label: 'Create Blocked Sender Policy',
	repeat: 'once',
	checkOutcome:
		'the Blocked Sender Policy Get Many operation (look for the description) or Gateway | Policies | Blocked Senders in the Mimecast console',
};

const TYPE_OPTIONS = [
	{ name: 'Everyone', value: 'everyone' },
	{ name: 'Internal Addresses', value: 'internalAddresses' },
	{ name: 'External Addresses', value: 'externalAddresses' },
	{ name: 'Email Domain', value: 'emailDomain' },
	{ name: 'Profile Group', value: 'profileGroup' },
	{ name: 'Individual Email Address', value: 'individualEmailAddress' },
];
const WITH_VALUE = Object.keys(VALUE_OF);
const CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})(\/(3[0-2]|[12]?\d))?$/;

function sideProperties(side: 'from' | 'to'): INodeProperties[] {
	const label = side === 'from' ? 'Sender' : 'Recipient';
	return [
		{
			displayName: `${label} Type`,
			name: `${side}Type`,
			type: 'options',
			options: TYPE_OPTIONS,
			default: 'everyone',
			description: `Which ${label.toLowerCase()}s the policy applies to`,
		},
		{
			displayName: `${label} Value`,
			name: `${side}Value`,
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { [`${side}Type`]: WITH_VALUE } },
			description:
				'The domain (without @), the profile group ID, or the email address, as the type says',
		},
	];
}

export const create: ActionOperation = {
	name: 'Create',
	action: 'Create a blocked sender policy',
	description: 'Block (or explicitly not block) messages from senders matching a rule',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Action',
			name: 'option',
			type: 'options',
			options: [
				{
					name: 'Block Sender',
					value: 'blockSender',
					description: 'Reject messages from matching senders',
				},
				{
					name: 'Take No Action',
					value: 'noAction',
					description: 'Exempt matching senders from other blocked sender policies',
				},
			],
			default: 'blockSender',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			required: true,
			description: 'Name of the policy in Mimecast',
		},
		{
			displayName: 'Match Sender On',
			name: 'fromPart',
			type: 'options',
			options: [
				{ name: 'Envelope From', value: 'envelopeFrom' },
				{ name: 'Header From', value: 'headerFrom' },
				{ name: 'Both', value: 'both' },
			],
			default: 'envelopeFrom',
			description: 'Which sender address the policy compares',
		},
		...sideProperties('from'),
		...sideProperties('to'),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Bidirectional',
					name: 'bidirectional',
					type: 'boolean',
					default: false,
					description: 'Whether the policy also applies with sender and recipient swapped',
				},
				{ displayName: 'Comment', name: 'comment', type: 'string', default: '' },
				{
					displayName: 'Enabled',
					name: 'enabled',
					type: 'boolean',
					default: true,
					description: 'Whether the policy is active',
				},
				{
					displayName: 'Enforced',
					name: 'enforced',
					type: 'boolean',
					default: false,
					description: 'Whether the policy is enforced over others',
				},
				{
					displayName: 'Override',
					name: 'override',
					type: 'boolean',
					default: false,
					description: 'Whether the policy overrides others of the same type',
				},
				{
					displayName: 'Source IPs',
					name: 'sourceIPs',
					type: 'string',
					default: '',
					placeholder: '203.0.113.0/24, 198.51.100.7',
					description:
						'Apply only to messages from these IPv4 ranges (comma-separated; a single address means /32)',
				},
				{
					displayName: 'SPF Domains',
					name: 'spfDomains',
					type: 'string',
					default: '',
					placeholder: 'example.com, mail.example.net',
					description:
						'Apply only when the SPF check passes for one of these domains (comma-separated)',
				},
				{
					displayName: 'Valid From',
					name: 'fromDate',
					type: 'dateTime',
					default: '',
					description: 'When the policy starts; empty means always',
				},
				{
					displayName: 'Valid Until',
					name: 'toDate',
					type: 'dateTime',
					default: '',
					description: 'When the policy ends; empty means never',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const param = (name: string, fallback: unknown = '') =>
			this.getNodeParameter(name, itemIndex, fallback);
		const action = oneOf(
			'Action',
			param('option', 'blockSender'),
			Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>,
		);
		const fromPart = oneOf(
			'Match Sender On',
			param('fromPart', 'envelopeFrom'),
			Object.keys(FROM_PARTS) as Array<keyof typeof FROM_PARTS>,
		);
		const policy: IDataObject = {
			description: required('Description', param('description')),
			fromPart: FROM_PARTS[fromPart],
		};
		for (const side of ['from', 'to'] as const)
			Object.assign(
				policy,
				readSide(side, param(`${side}Type`, 'everyone'), () => param(`${side}Value`)),
			);
		Object.assign(policy, readOptions(param('options', {}) as IDataObject, this.getTimezone()));
		const body = await sendAction(this, itemIndex, ENDPOINT, [{ option: ACTIONS[action], policy }]);
		return [policyOutput(firstRecord(this, itemIndex, ENDPOINT, body))];
	},
};

function readSide(side: 'from' | 'to', rawType: unknown, rawValue: () => unknown): IDataObject {
	const label = side === 'from' ? 'Sender' : 'Recipient';
	const type = oneOf(`${label} Type`, rawType, Object.keys(ADDRESS_TYPES) as AddressType[]);
	const out: IDataObject = { [`${side}Type`]: ADDRESS_TYPES[type] };
	const kind = VALUE_OF[type];
	const field = `${label} Value`;
	if (kind === 'domain') out[`${side}Value`] = domain(field, rawValue());
	else if (kind === 'email') out[`${side}Value`] = email(field, rawValue());
	else if (kind === 'groupId') out[`${side}Value`] = required(field, rawValue());
	return out;
}

/** The Options collection: flags as given, conditions as lists, dates in the format XSOAR sends. */
function readOptions(options: IDataObject, zone: string): IDataObject {
	const out: IDataObject = {};
	for (const flag of ['bidirectional', 'override', 'enabled', 'enforced'])
		if (typeof options[flag] === 'boolean') out[flag] = options[flag];
	if (typeof options.comment === 'string' && options.comment.trim() !== '')
		out.comment = options.comment.trim();
	const conditions: IDataObject = {};
	const ips = toTokenList(options.sourceIPs).map((ip) => {
		if (!CIDR.test(ip))
			throw new InvalidInput(
				`Source IPs has "${ip}", not an IPv4 address or range`,
				'Use addresses or CIDR ranges like 203.0.113.0/24.',
			);
		return ip.includes('/') ? ip : `${ip}/32`;
	});
	if (ips.length > 0) conditions.sourceIPs = ips;
	const spf = toTokenList(options.spfDomains).map((d) => domain('SPF Domains', d));
	if (spf.length > 0) conditions.spfDomains = spf;
	if (Object.keys(conditions).length > 0) out.conditions = conditions;
	const from = dateOf('Valid From', options.fromDate, zone);
	const to = dateOf('Valid Until', options.toDate, zone);
	if (from && to && from >= to)
		throw new InvalidInput(
			'Valid From is not before Valid Until',
			'Set Valid From earlier than Valid Until, or leave one empty.',
		);
	if (from) out.fromDate = from;
	if (to) out.toDate = to;
	return out;
}

/** `2024-06-06T08:18:34+00:00`, as XSOAR formats policy dates (its DATE_FORMAT). */
function dateOf(field: string, value: unknown, zone: string): string | undefined {
	let problem: string;
	try {
		return parseUserDate(value, zone)?.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'+00:00'");
	} catch (error) {
		problem = (error as Error).message;
	}
	throw new InvalidInput(
		`${field} ${problem}`,
		`Set ${field} to a date and time, like 2024-05-01T08:00:00Z.`,
	);
}
