import type { ActionResource } from '../types';
import { create } from './create';
import { deleteManagedUrl } from './delete';
import { getMany } from './getMany';

export const managedUrl: ActionResource = {
	name: 'Managed URL',
	operations: { create, delete: deleteManagedUrl, getMany },
};
