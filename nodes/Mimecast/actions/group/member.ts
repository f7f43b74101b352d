import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { firstRecord, mimecastCodeOf, sendAction, afterUncertainAttempt } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { domain, email, exactlyOneOf, optional, required } from '../validate';

type Change = 'add' | 'remove';

/**
 * What Mimecast answers when the member is already in (add) or already out (remove) (R7
 * fixtures). Right after a repeat of a request whose first answer was lost, that is our own
 * first request having worked: done. Without a repeat, the user asked for something already
 * true, which is worth telling rather than hiding.
 */
const ALREADY: Record<Change, string> = {
	add: 'err_folder_group_member_already_exists',
	remove: 'err_folder_email_address_not_found',
};

/** Repeatable: adding or removing the same member again changes nothing and is detected. */
function endpointOf(change: Change): ActionEndpoint {
	return change === 'add'
		? {
				path: '/api/directory/add-group-member',
				permission: 'Directories | Groups | Edit',
				label: 'Add Group Member',
				repeat: 'repeatable',
			}
		: {
				path: '/api/directory/remove-group-member',
				permission: 'Directories | Groups | Edit',
				label: 'Remove Group Member',
				repeat: 'repeatable',
			};
}

// Long: the add and remove operations' shared description and execute side by side, as each action file holds them.
export function memberOperation(change: Change): ActionOperation {
	const endpoint = endpointOf(change);
	const adding = change === 'add';
	return {
		name: adding ? 'Add Member' : 'Remove Member',
		action: adding ? 'Add a member to a group' : 'Remove a member from a group',
		description: adding
			? 'Add an email address or a domain to a directory group'
			: 'Remove an email address or a domain from a directory group',
		repeat: endpoint.repeat,
		properties: [
			{
				displayName: 'Group ID',
				name: 'groupId',
				type: 'string',
				default: '',
				required: true,
				description: 'The ID of the group, from the Group Get Many operation',
			},
			{
				displayName: 'Email Address',
				name: 'emailAddress',
				type: 'string',
				placeholder: 'name@example.com',
				default: '',
				description: `The address to ${change}; leave empty to ${change} a domain instead`,
			},
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				placeholder: 'example.com',
				default: '',
				description: `The domain to ${change}; set either this or Email Address, not both`,
			},
		],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const param = (name: string) => this.getNodeParameter(name, itemIndex, '');
			const groupId = required('Group ID', param('groupId'));
			const given = exactlyOneOf({
				'Email Address': optional('Email Address', param('emailAddress')),
				Domain: optional('Domain', param('domain')),
			});
			const member: IDataObject =
				given === 'Domain'
					? { domain: domain('Domain', param('domain')) }
					: { emailAddress: email('Email Address', param('emailAddress')) };
			const done: IDataObject = { groupId, ...member, [adding ? 'added' : 'removed']: true };
			try {
				const body = await sendAction(this, itemIndex, endpoint, [{ id: groupId, ...member }]);
				const record = firstRecord(this, itemIndex, endpoint, body);
				return [{ ...done, memberId: record.id, internal: record.internal }];
			} catch (error) {
				if (mimecastCodeOf(error) !== ALREADY[change])
					throw asNodeError(this.getNode(), error, itemIndex);
				if (afterUncertainAttempt(error)) return [done];
				throw alreadyError(this, itemIndex, error as NodeApiError, member, adding);
			}
		},
	};
}

function alreadyError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	cause: NodeApiError,
	member: IDataObject,
	adding: boolean,
) {
	const who = String(member.emailAddress ?? member.domain);
	const message = adding
		? `${who} is already a member of this group`
		: `${who} is not a member of this group`;
	return new NodeApiError(
		ctx.getNode(),
		{ message, code: mimecastCodeOf(cause) ?? '' },
		{
			message,
			description: adding
				? 'Nothing was changed. Turn on Continue On Fail (Settings) if adding existing members should not stop the workflow.'
				: 'Nothing was changed. Check the address or domain, and the Group ID, with the Group Get Many operation.',
			itemIndex,
		},
	);
}
