import { memberOperation } from './member';

export const removeMember = memberOperation('remove');
