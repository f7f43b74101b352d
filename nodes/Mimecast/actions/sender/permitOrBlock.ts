import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { firstRecord, sendAction, unexpectedAnswer } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { email } from '../validate';

type SenderAction = 'block' | 'permit';

/**
 * Block and Permit are one Mimecast call with a different `action`. Repeatable: the entry is
 * keyed by the sender/recipient pair (the permit and block fixtures for one pair carry the same
 * id, mimecast-api-more.md idempotency table), so a repeat updates it rather than adding one.
 */
const ENDPOINT: Omit<ActionEndpoint, 'label'> = {
	path: '/api/managedsender/permit-or-block-sender',
	permission: 'Gateway | Managed Senders | Edit',
	repeat: 'repeatable',
};

export function permitOrBlockSender(action: SenderAction): ActionOperation {
	const verb = action === 'block' ? 'Block' : 'Permit';
	const endpoint: ActionEndpoint = { ...ENDPOINT, label: `${verb} Sender` };
	return {
		name: verb,
		action: `${verb} a sender`,
		description:
			action === 'block'
				? "Block a sender's messages to one recipient (a managed sender entry)"
				: "Permit a sender's messages to one recipient, bypassing spam checks (a managed sender entry)",
		repeat: endpoint.repeat,
		properties: [
			{
				displayName: 'Sender',
				name: 'sender',
				type: 'string',
				placeholder: 'name@example.com',
				default: '',
				required: true,
				description: `Email address of the sender to ${action}`,
			},
			{
				displayName: 'Recipient',
				name: 'to',
				type: 'string',
				placeholder: 'name@example.com',
				default: '',
				required: true,
				description: `Internal recipient the ${action} applies to`,
			},
		],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const sender = email('Sender', this.getNodeParameter('sender', itemIndex));
			const to = email('Recipient', this.getNodeParameter('to', itemIndex));
			const body = await sendAction(this, itemIndex, endpoint, [{ sender, to, action }]);
			const record = firstRecord(this, itemIndex, endpoint, body);
			if (typeof record.id !== 'string' || record.id === '')
				throw unexpectedAnswer(this, itemIndex, endpoint, 'no entry id');
			// Mimecast answers `type: "Block"`/`"Permit"`; users get the lower-case value they chose.
			const type = typeof record.type === 'string' ? record.type.toLowerCase() : action;
			if (type !== action)
				throw unexpectedAnswer(
					this,
					itemIndex,
					endpoint,
					`the entry type "${String(record.type)}"`,
				);
			return [{ sender: record.sender ?? sender, to: record.to ?? to, action, id: record.id }];
		},
	};
}
