import type { ActionResource } from '../types';
import { getMany } from './getMany';
import { getSummary } from './getSummary';
import { reject } from './reject';
import { release } from './release';

export const heldMessage: ActionResource = {
	name: 'Held Message',
	operations: { getMany, getSummary, reject, release },
};
