import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { limitProperties } from '../../descriptions/action';
import { simplifyProperty } from '../../descriptions/common';
import { listAction, wantedCount } from '../send';
import type { ActionOperation } from '../types';
import { oneOf, optional, window } from '../validate';
import { LIST, simplifyHeld } from './shared';

/** Option values (camelCase, saved in workflows) to Mimecast's `searchBy.fieldName`. */
const SEARCH_FIELDS = {
	all: 'all',
	subject: 'subject',
	sender: 'sender',
	recipient: 'recipient',
	reasonCode: 'reason_code',
} as const;
type SearchField = keyof typeof SEARCH_FIELDS;

export const getMany: ActionOperation = {
	name: 'Get Many',
	action: 'Get many held messages',
	description: 'List messages in the hold queue, optionally searched by a field',
	repeat: LIST.repeat,
	properties: [
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			default: '',
			description: 'Oldest time a message was received; empty means 7 days before End',
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			default: '',
			description: 'Newest time a message was received; empty means now',
		},
		{
			displayName: 'Search By',
			name: 'searchBy',
			type: 'options',
			options: [
				{ name: 'All Fields', value: 'all' },
				{
					name: 'Reason Code',
					value: 'reasonCode',
					description: 'Such as message_hold_applied_spam_signature_policy',
				},
				{ name: 'Recipient', value: 'recipient' },
				{ name: 'Sender', value: 'sender' },
				{ name: 'Subject', value: 'subject' },
			],
			default: 'all',
		},
		{
			displayName: 'Search Text',
			name: 'searchText',
			type: 'string',
			default: '',
			description:
				'Text to look for in the Search By field; empty lists every held message in the window',
		},
		...limitProperties,
		simplifyProperty(true),
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const now = DateTime.utc();
		const { start, end } = window(
			{ start: 'Start', end: 'End' },
			{
				start: this.getNodeParameter('start', itemIndex, ''),
				end: this.getNodeParameter('end', itemIndex, ''),
			},
			{ zone: this.getTimezone(), now, defaultStart: now.minus({ days: 7 }) },
		);
		const field = oneOf<SearchField>(
			'Search By',
			this.getNodeParameter('searchBy', itemIndex, 'all'),
			Object.keys(SEARCH_FIELDS) as SearchField[],
		);
		const value = optional('Search Text', this.getNodeParameter('searchText', itemIndex, ''));
		// `admin: true` lists every user's held messages, not only the API user's own (XS fetch).
		const request: IDataObject = { admin: true, start, end };
		if (value) request.searchBy = { fieldName: SEARCH_FIELDS[field], value };
		const simplify = this.getNodeParameter('simplify', itemIndex, true) === true;
		const seen = new Set<unknown>();
		const out: IDataObject[] = [];
		for await (const record of listAction(
			this,
			itemIndex,
			LIST,
			[request],
			wantedCount(this, itemIndex),
		)) {
			// The list can repeat a message across pages (XS de-duplicates by id, too).
			if (seen.has(record.id)) continue;
			seen.add(record.id);
			out.push(simplify ? simplifyHeld(record) : record);
		}
		return out;
	},
};
