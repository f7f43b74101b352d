import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { firstRecord, listAction, mimecastCodeOf, sendAction } from '../send';
import type { ActionOperation } from '../types';
import { oneOf, optional, url as validUrl } from '../validate';
import { CREATE, isEntryFor, LIST, managedUrlItem, SETTINGS } from './shared';

const ACTIONS = ['block', 'permit'] as const;
const MATCH_TYPES = ['explicit', 'domain'] as const;

export const create: ActionOperation = {
	name: 'Create',
	action: 'Create a managed URL',
	description: 'Block or permit a URL or a whole domain for every user (URL Protect)',
	repeat: CREATE.repeat,
	properties: [
		{
			displayName: 'Action',
			name: 'urlAction',
			type: 'options',
			options: [
				{ name: 'Block', value: 'block', description: 'Users clicking the URL are blocked' },
				{ name: 'Permit', value: 'permit', description: 'Users clicking the URL are let through' },
			],
			default: 'block',
		},
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://phish.example.com/login',
			default: '',
			required: true,
			description: 'The URL, with http:// or https:// and without a #fragment',
		},
		{
			displayName: 'Match Type',
			name: 'matchType',
			type: 'options',
			options: [
				{ name: 'Explicit', value: 'explicit', description: 'Only this exact URL' },
				{ name: 'Domain', value: 'domain', description: 'Every URL on the domain of this URL' },
			],
			default: 'explicit',
		},
		{
			displayName: 'Disable Rewrite',
			name: 'disableRewrite',
			type: 'boolean',
			default: false,
			description: 'Whether to leave the URL unrewritten in messages (permit only)',
			displayOptions: { show: { urlAction: ['permit'] } },
		},
		{
			displayName: 'Disable User Awareness',
			name: 'disableUserAwareness',
			type: 'boolean',
			default: false,
			description: 'Whether to skip user awareness challenges for the URL (permit only)',
			displayOptions: { show: { urlAction: ['permit'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Comment',
					name: 'comment',
					type: 'string',
					default: '',
					description: 'Why the URL is managed, shown in the Mimecast console',
				},
				{
					displayName: 'Disable Log Click',
					name: 'disableLogClick',
					type: 'boolean',
					default: false,
					description: 'Whether to stop logging clicks on the URL',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const request = readRequest(this, itemIndex);
		try {
			const body = await sendAction(this, itemIndex, CREATE, [request]);
			return [
				{ ...managedUrlItem(firstRecord(this, itemIndex, CREATE, body)), alreadyExisted: false },
			];
		} catch (error) {
			if (mimecastCodeOf(error) !== 'err_managed_url_exists_code')
				throw asNodeError(this.getNode(), error, itemIndex);
		}
		return [
			{ ...(await existingWithSameSettings(this, itemIndex, request)), alreadyExisted: true },
		];
	},
};

function readRequest(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const action = oneOf('Action', ctx.getNodeParameter('urlAction', itemIndex), ACTIONS);
	const url = validUrl('URL', ctx.getNodeParameter('url', itemIndex));
	const matchType = oneOf('Match Type', ctx.getNodeParameter('matchType', itemIndex), MATCH_TYPES);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const request: IDataObject = {
		url,
		action,
		matchType,
		disableLogClick: options.disableLogClick === true,
	};
	const comment = optional('Comment', options.comment);
	if (comment) request.comment = comment;
	// Mimecast applies these to permitted URLs only (api-more §8); a block never sends them.
	if (action === 'permit') {
		request.disableRewrite = ctx.getNodeParameter('disableRewrite', itemIndex, false) === true;
		request.disableUserAwareness =
			ctx.getNodeParameter('disableUserAwareness', itemIndex, false) === true;
	}
	return request;
}

/**
 * Mimecast refuses a second create of the same URL ("already exists; to update it, delete and
 * recreate"). That is success when the entry has the settings asked for (a retried create, or
 * a workflow run twice); otherwise the user must decide, so it is an error naming the difference.
 */
async function existingWithSameSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: IDataObject,
): Promise<IDataObject> {
	const url = String(request.url);
	const wanted: IDataObject = { disableRewrite: false, disableUserAwareness: false, ...request };
	const filter = { domainOrUrl: new URL(url).hostname, exactMatch: false };
	for await (const record of listAction(ctx, itemIndex, LIST, [filter], Number.POSITIVE_INFINITY)) {
		if (!isEntryFor(record, url, String(request.matchType))) continue;
		const entry = managedUrlItem(record);
		const different = SETTINGS.filter((key) => entry[key] !== wanted[key]);
		if (different.length === 0) return entry;
		const message = `A managed URL for ${url} already exists with other settings`;
		throw new NodeApiError(
			ctx.getNode(),
			{ message, code: 'err_managed_url_exists_code' },
			{
				message,
				description: `It differs in ${different.map((key) => `${key} (${String(entry[key])}, asked ${String(wanted[key])})`).join(', ')}. Mimecast does not update managed URLs: delete it (Managed URL > Delete, ID ${String(entry.id)}) and create it again, or change this node's settings.`,
				itemIndex,
			},
		);
	}
	const message = `Mimecast says a managed URL for ${url} already exists, but it is not in the list`;
	throw new NodeApiError(
		ctx.getNode(),
		{ message },
		{
			message,
			description:
				'Check Managed URLs in the Mimecast console (Administration | Gateway | Policies | Managed URLs) and try again.',
			itemIndex,
		},
	);
}
