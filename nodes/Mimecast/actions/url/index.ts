import type { ActionResource } from '../types';
import { decode } from './decode';

export const url: ActionResource = { name: 'URL', operations: { decode } };
