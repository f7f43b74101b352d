import { archiveSearchLogs } from './archiveSearchLogs';
import { archiveViewLogs } from './archiveViewLogs';
import { auditEvents } from './auditEvents';
import { dlpLogs } from './dlpLogs';
import { messageReleaseLogs } from './messageReleaseLogs';
import { siemLogs } from './siemLogs';
import { threatIntelFeed } from './threatIntelFeed';
import { ttpLogs } from './ttpLogs';
import type { LogDefinition } from './types';

/**
 * Every operation, by key: the only place a log type is registered. Each key names two nodes,
 * `mimecast<Key>` and `mimecast<Key>Trigger` (descriptions/node.ts); test/unit/registry.test.ts
 * says what a new entry still lacks (node files, package.json, codex, test row, README).
 */
export const LOG_DEFINITIONS = {
	auditEvents,
	archiveViewLogs,
	ttpLogs,
	siemLogs,
	dlpLogs,
	archiveSearchLogs,
	messageReleaseLogs,
	threatIntelFeed,
} satisfies Record<string, LogDefinition>;

/** A definition's key in the registry ('auditEvents'), which names its two nodes. */
export type LogKey = keyof typeof LOG_DEFINITIONS;
