import type { ActionResource } from '../types';
import { block } from './block';
import { permit } from './permit';

export const sender: ActionResource = { name: 'Sender', operations: { block, permit } };
