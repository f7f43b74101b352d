import { memberOperation } from './member';

export const addMember = memberOperation('add');
