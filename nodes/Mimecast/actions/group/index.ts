import type { ActionResource } from '../types';
import { addMember } from './addMember';
import { getMany } from './getMany';
import { removeMember } from './removeMember';

export const group: ActionResource = {
	name: 'Group',
	operations: { getMany, addMember, removeMember },
};
