/** Tenant presets: how much seeded data a fresh emulator holds. */
import type { EmulatorOptions, LogKind, TenantCounts } from '../types';
import { LOG_KINDS } from './kinds';

export type ResolvedTenant = Required<TenantCounts>;

const PRESETS: Record<'small' | 'realistic' | 'empty', TenantCounts> = {
	// A few dozen of everything over two days: quick to start, enough for several pages at pageSize 10.
	small: {
		auditEvents: 40,
		viewLogs: 30,
		ttpUrl: 40,
		ttpAttachment: 30,
		ttpImpersonation: 25,
		dlpLogs: 30,
		archiveSearchLogs: 30,
		releaseLogs: 30,
		siemFiles: 20,
		siemEventsPerFile: 5,
		batchFilesPerType: 3,
		batchEventsPerFile: 5,
		days: 2,
	},
	// Enough to feel like a mid-size tenant in a demo: thousands of clicks with some malicious
	// ones, every SIEM log type, roughly one 1.0 file per type every 75 minutes.
	realistic: {
		auditEvents: 1500,
		viewLogs: 800,
		ttpUrl: 3000,
		ttpAttachment: 1200,
		ttpImpersonation: 600,
		dlpLogs: 400,
		archiveSearchLogs: 300,
		releaseLogs: 500,
		siemFiles: 600,
		siemEventsPerFile: 40,
		batchFilesPerType: 72,
		batchEventsPerFile: 40,
		days: 3,
	},
	empty: {},
};

export function resolveTenant(tenant: EmulatorOptions['tenant']): ResolvedTenant {
	const t = typeof tenant === 'object' ? tenant : PRESETS[tenant ?? 'small'];
	if (!t) throw new Error(`unknown tenant preset ${String(tenant)}`);
	const siemFiles = t.siemFiles ?? 0;
	const siemEventsPerFile = t.siemEventsPerFile ?? 5;
	const kinds = Object.fromEntries(LOG_KINDS.map((kind) => [kind, t[kind] ?? 0])) as Record<
		LogKind,
		number
	>;
	return {
		...kinds,
		siemFiles,
		siemEventsPerFile,
		batchFilesPerType:
			t.batchFilesPerType ?? (siemFiles > 0 ? Math.max(1, Math.round(siemFiles / 10)) : 0),
		batchEventsPerFile: t.batchEventsPerFile ?? siemEventsPerFile,
		days: t.days ?? 2,
	};
}
