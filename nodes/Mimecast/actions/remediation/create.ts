import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { firstRecord, sendAction } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { hash, messageId, oneOf, required, window } from '../validate';
import { incidentOutput } from './incident';

/**
 * Once: every create opens a new incident (nothing in the API dedupes them), so after an
 * ambiguous failure it is never sent again; the error says to look before running it again.
 */
const ENDPOINT: ActionEndpoint = {
	path: '/api/ttp/remediation/create',
	permission: 'Monitoring | Threat Remediation | Edit',
	label: 'Create Remediation',
	repeat: 'once',
	checkOutcome:
		'Monitoring | Threat Remediation in the Mimecast console (or the Remediation Get operation with an incident id you find there)',
};

const SEARCH_BY = ['hash', 'messageId'] as const;

export const create: ActionOperation = {
	name: 'Create',
	action: 'Remediate a message',
	description:
		'Remove a message from every mailbox, found by attachment hash or Message-ID (a remediation incident)',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Search By',
			name: 'searchBy',
			type: 'options',
			options: [
				{
					name: 'File Hash',
					value: 'hash',
					description: 'Messages with an attachment of this MD5, SHA-1 or SHA-256 hash',
				},
				{
					name: 'Message-ID',
					value: 'messageId',
					description: 'The message with this Message-ID header',
				},
			],
			default: 'hash',
		},
		{
			displayName: 'File Hash or Message-ID',
			name: 'hashOrMessageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
			description:
				'The attachment hash (hex) or the Message-ID (angle brackets are added when missing), as chosen in Search By',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			required: true,
			description: 'Why the message is removed; shown in the incident in Mimecast',
		},
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			default: '',
			description:
				"Oldest message time to remediate; empty means Mimecast's default (a month back)",
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			default: '',
			description:
				"Newest message time to remediate; empty means Mimecast's default (end of today)",
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const param = (name: string, fallback: unknown = '') =>
			this.getNodeParameter(name, itemIndex, fallback);
		const searchBy = oneOf('Search By', param('searchBy', 'hash'), SEARCH_BY);
		const raw = param('hashOrMessageId');
		const target = searchBy === 'hash' ? hash('File Hash', raw) : messageId('Message-ID', raw);
		const request: IDataObject = {
			reason: required('Reason', param('reason')),
			hashOrMessageId: target,
			searchBy,
		};
		const start = param('start');
		const end = param('end');
		if (!isEmpty(start) || !isEmpty(end)) {
			const now = DateTime.utc();
			const zone = this.getTimezone();
			Object.assign(
				request,
				window(
					{ start: 'Start', end: 'End' },
					{ start, end },
					{ zone, defaultStart: now.minus({ months: 1 }), now },
				),
			);
		}
		const body = await sendAction(this, itemIndex, ENDPOINT, [request]);
		return [
			incidentOutput(this, itemIndex, ENDPOINT, firstRecord(this, itemIndex, ENDPOINT, body)),
		];
	},
};

/** Date parameters may hold a DateTime (from an expression like {{ $now }}): only '' is empty. */
function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}
