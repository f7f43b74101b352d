import { permitOrBlockSender } from './permitOrBlock';

export const block = permitOrBlockSender('block');
