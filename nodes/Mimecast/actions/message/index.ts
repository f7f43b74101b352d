import type { ActionResource } from '../types';
import { get } from './get';
import { search } from './search';

export const message: ActionResource = { name: 'Message', operations: { search, get } };
