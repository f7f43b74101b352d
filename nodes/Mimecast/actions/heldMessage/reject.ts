import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { sendAction } from '../send';
import type { ActionOperation } from '../types';
import { InvalidInput, oneOf, optional } from '../validate';
import { REJECT } from './shared';

/** Option values to the five reasons Mimecast accepts (api-more §10), spelled as it wants them. */
const REASONS = {
	messageContainsUndesirableContent: 'MESSAGE CONTAINS UNDESIRABLE CONTENT',
	messageContainsConfidentialInformation: 'MESSAGE CONTAINS CONFIDENTIAL INFORMATION',
	reviewerDisapprovesOfContent: 'REVIEWER DISAPPROVES OF CONTENT',
	inappropriateCommunication: 'INAPPROPRIATE COMMUNICATION',
	messageGoesAgainstEmailPolicies: 'MESSAGE GOES AGAINST EMAIL POLICIES',
} as const;
type Reason = keyof typeof REASONS;

export const reject: ActionOperation = {
	name: 'Reject',
	action: 'Reject held messages',
	description: 'Reject held messages so they are never delivered, optionally telling the sender',
	repeat: REJECT.repeat,
	properties: [
		{
			displayName: 'Held Message IDs',
			name: 'ids',
			type: 'string',
			default: '',
			required: true,
			description: 'One ID, or several separated by commas, as Get Many returns them',
		},
		{
			displayName: 'Reason',
			name: 'reasonType',
			type: 'options',
			options: [
				{ name: 'Inappropriate Communication', value: 'inappropriateCommunication' },
				{
					name: 'Message Contains Confidential Information',
					value: 'messageContainsConfidentialInformation',
				},
				{
					name: 'Message Contains Undesirable Content',
					value: 'messageContainsUndesirableContent',
				},
				{ name: 'Message Goes Against Email Policies', value: 'messageGoesAgainstEmailPolicies' },
				{ name: 'Reviewer Disapproves of Content', value: 'reviewerDisapprovesOfContent' },
			],
			default: 'messageGoesAgainstEmailPolicies',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Message to Sender',
					name: 'message',
					type: 'string',
					default: '',
					description: 'Text returned to the sender',
				},
				{
					displayName: 'Notify Sender',
					name: 'notify',
					type: 'boolean',
					default: false,
					description: 'Whether to tell the sender the message was rejected',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const ids = readIds(this.getNodeParameter('ids', itemIndex));
		const reason = oneOf<Reason>(
			'Reason',
			this.getNodeParameter('reasonType', itemIndex),
			Object.keys(REASONS) as Reason[],
		);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const request: IDataObject = {
			ids,
			reasonType: REASONS[reason],
			notify: options.notify === true,
		};
		const message = optional('Message to Sender', options.message);
		if (message) request.message = message;
		const body = await sendAction(this, itemIndex, REJECT, [request]);
		const rejected = new Set(
			(body.data ?? []).filter((row) => row?.reject === true).map((row) => row.id),
		);
		const missed = ids.filter((id) => !rejected.has(id));
		if (missed.length > 0) {
			const text = `Mimecast did not reject held message${missed.length > 1 ? 's' : ''} ${missed.join(', ')}`;
			const done = ids.length - missed.length;
			throw new NodeApiError(
				this.getNode(),
				{ message: text, code: 'reject_refused' },
				{
					message: text,
					description: `${done} of ${ids.length} were rejected. The others may have been released or rejected already, or the IDs are wrong: check with Held Message > Get Many.`,
					itemIndex,
				},
			);
		}
		return ids.map((id) => ({ id, rejected: true }));
	},
};

/** IDs from a comma-separated text or a list an expression gives; no blanks, no repeats. */
function readIds(value: unknown): string[] {
	const parts = Array.isArray(value)
		? value.map((v) => (typeof v === 'string' ? v : ''))
		: typeof value === 'string'
			? value.split(',')
			: [];
	const ids = [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
	if (ids.length === 0)
		throw new InvalidInput(
			'Held Message IDs is empty',
			'Set one ID, or several separated by commas, as Held Message > Get Many returns them.',
		);
	return ids;
}
