import { archiveViewLogs } from './archiveViewLogs';
import { auditEvents } from './auditEvents';
import { siemLogs } from './siemLogs';
import { threatIntelFeed } from './threatIntelFeed';
import { ttpLogs } from './ttpLogs';
import type { LogType } from './types';

/** Every operation, by key: the only place a log type is registered. */
export const LOG_TYPES = {
	auditEvents,
	archiveViewLogs,
	ttpLogs,
	siemLogs,
	threatIntelFeed,
} satisfies Record<string, LogType>;

export type LogTypeKey = keyof typeof LOG_TYPES;
