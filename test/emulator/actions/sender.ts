/** `/api/managedsender/permit-or-block-sender` (api-more §7): an upsert keyed by sender and recipient. */
import type { ActionState } from './state';
import {
	type ActionHandler,
	invalidEmail,
	isEmail,
	isReply,
	itemsOf,
	ok,
	fieldFail,
} from './common';

export function senderRoutes(state: ActionState): Record<string, ActionHandler> {
	return {
		'/api/managedsender/permit-or-block-sender': (json) => {
			const items = itemsOf(json);
			if (isReply(items)) return items;
			const out = [];
			for (const item of items) {
				if (!isEmail(item.sender)) return invalidEmail('sender', item);
				if (!isEmail(item.to)) return invalidEmail('to', item);
				if (item.action !== 'block' && item.action !== 'permit') {
					return fieldFail(
						'err_validation_invalid_value',
						'action must be permit or block',
						item,
						'action',
					);
				}
				const entry = {
					id: state.senderId(item.sender, item.to),
					sender: item.sender,
					to: item.to,
					type: item.action === 'block' ? ('Block' as const) : ('Permit' as const),
				};
				state.managedSenders.set(state.senderKey(item.sender, item.to), entry);
				out.push(entry);
			}
			return ok(out);
		},
	};
}
