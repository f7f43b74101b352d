/**
 * The paged log kinds the emulator serves, one generator each. The map is typed by LogKind, so a
 * kind added to types.ts without a generator does not compile; LOG_KINDS is derived from it.
 */
import type { LogKind } from '../types';
import { archiveSearchLogGenerator } from './archive-search-logs';
import { auditGenerator } from './audit';
import { dlpGenerator } from './dlp';
import type { LogGenerator } from './generator';
import { releaseLogGenerator } from './release-logs';
import { impersonationGenerator } from './ttp-impersonation';
import { ttpAttachmentGenerator } from './ttp-attachment';
import { ttpUrlGenerator } from './ttp-url';
import { viewLogGenerator } from './view-logs';

export const GENERATORS: Readonly<Record<LogKind, LogGenerator>> = {
	auditEvents: auditGenerator,
	viewLogs: viewLogGenerator,
	ttpUrl: ttpUrlGenerator,
	ttpAttachment: ttpAttachmentGenerator,
	ttpImpersonation: impersonationGenerator,
	dlpLogs: dlpGenerator,
	archiveSearchLogs: archiveSearchLogGenerator,
	releaseLogs: releaseLogGenerator,
};

export const LOG_KINDS = Object.keys(GENERATORS) as readonly LogKind[];
