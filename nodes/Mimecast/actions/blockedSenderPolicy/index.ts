import type { ActionResource } from '../types';
import { create } from './create';
import { deletePolicy } from './delete';
import { getMany } from './getMany';

export const blockedSenderPolicy: ActionResource = {
	name: 'Blocked Sender Policy',
	operations: { create, getMany, delete: deletePolicy },
};
