import { permitOrBlockSender } from './permitOrBlock';

export const permit = permitOrBlockSender('permit');
