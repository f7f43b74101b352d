import type { ActionResource } from '../types';
import { create } from './create';
import { get } from './get';
import { searchHash } from './searchHash';

export const remediation: ActionResource = {
	name: 'Remediation',
	operations: { create, get, searchHash },
};
