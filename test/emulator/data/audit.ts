/** `/api/audit/get-audit-events` records (look-alikes of samples/elastic/test-audit-events). */
import { formatMcDate } from '../clock';
import type { Rng } from '../prng';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { INTERNAL_DOMAIN, internalUser, publicIp } from './vocab';

export const AUDIT_CATEGORIES: ReadonlyArray<{ code: string; name: string }> = [
	{ code: 'account_logs', name: 'Account Logs' },
	{ code: 'authentication_logs', name: 'Authentication Logs' },
	{ code: 'mimecast_access_logs', name: 'Mimecast Access Logs' },
	{ code: 'reporting_logs', name: 'Reporting Logs' },
	{ code: 'integrations_and_apis', name: 'Integrations And APIs' },
	{ code: 'user_logs', name: 'User Logs' },
	{ code: 'policy_logs', name: 'Policy Logs' },
	{ code: 'archive_logs', name: 'Archive Logs' },
	{ code: 'case_review_logs', name: 'Case Review Logs' },
	{ code: 'directory_sync_logs', name: 'Directory Sync Logs' },
];

type Info = (rng: Rng, at: number, user: string) => string;

const stamp = (rng: Rng, at: number): string => {
	const iso = formatMcDate(at);
	// Mimecast writes eventInfo times in the admin's zone; a reader must not parse them as the event time.
	const time = rng.chance(0.7) ? `${iso.slice(11, 19)}+0000` : `${iso.slice(11, 19)} GMT`;
	return `Date: ${iso.slice(0, 10)}, Time: ${time}, IP: ${publicIp(rng)}`;
};

const TEMPLATES: ReadonlyArray<
	readonly [auditType: string, category: string, info: Info, weight: number]
> = [
	[
		'User Logged On',
		'authentication_logs',
		(r, at, u) =>
			`Successful authentication for ${u}, ${stamp(r, at)}, Application: Administration Console, Method: Cloud, 2FA: TOTP`,
		10,
	],
	[
		'Logon Authentication Failed',
		'authentication_logs',
		(r, _at, u) =>
			`Creating the auditLog entry for failed authentication, emailAddress :${u} remote IP : ${publicIp(r)} application : LFS`,
		3,
	],
	[
		'User Logged Off',
		'authentication_logs',
		(r, at, u) => `User ${u} logged off, ${stamp(r, at)}, Application: Administration Console`,
		4,
	],
	[
		'Threat Intel Feed Download',
		'reporting_logs',
		(r, at) =>
			`Threat intel multiple feeds download  - malware_customer_csv_${formatMcDate(at).replace(/\D/g, '').slice(0, 14)}564.zip, ${stamp(r, at)}, Application: Integrations`,
		3,
	],
	[
		'Mimecast Support Login',
		'mimecast_access_logs',
		(r, at, u) =>
			`Action Performed - ${u} logged into this account. by ${u}<${u}> ${stamp(r, at)} Application: Administration Console`,
		1,
	],
	['Completed Directory Sync', 'directory_sync_logs', () => 'No changes found.', 3],
	[
		'Connectors Management',
		'integrations_and_apis',
		(r, at) =>
			`Connector creation for Microsoft O365\nName: Sync and Recover - 365, Description: null, Product: Sync and Recover\nSuccess: true, ${stamp(r, at)}, Application: Administration Console`,
		1,
	],
	[
		'Remediation Incident Adjustment',
		'account_logs',
		(r, at) =>
			`Remediation Incident Created -  TR-C46A75-0${r.int(1000, 9999)}-M, type : manual, search criteria : {"fileHash":"${r.hex(64)}","start":"${formatMcDate(at - 2_592_000_000)}","end":"${formatMcDate(at)}"}, ${stamp(r, at)}, Application: Administration Console`,
		1,
	],
	[
		'Policy Definition Changed',
		'policy_logs',
		(r, at, u) =>
			`Policy "Default Inbound URL Protect Definition" updated by ${u}, ${stamp(r, at)}, Application: Administration Console`,
		2,
	],
	[
		'Message Viewed',
		'archive_logs',
		(r, at, u) =>
			`${u} viewed message <${r.hex(12)}@${INTERNAL_DOMAIN}>, ${stamp(r, at)}, Application: Archive Search`,
		3,
	],
	[
		'Case Review Started',
		'case_review_logs',
		(r, at, u) => `Review of case CR-${r.int(100, 999)} started by ${u}, ${stamp(r, at)}`,
		1,
	],
	[
		'User Role Changed',
		'user_logs',
		(r, at, u) =>
			`Role "Basic Administrator" granted to ${internalUser(r)} by ${u}, ${stamp(r, at)}`,
		1,
	],
	[
		'Account Settings Updated',
		'account_logs',
		(r, at, u) => `Enhanced Logging: receipt, process, delivery enabled by ${u}, ${stamp(r, at)}`,
		1,
	],
];
const WEIGHTED = TEMPLATES.map((t) => [t, t[3]] as const);

export const auditGenerator: LogGenerator = {
	timeField: 'eventTime',
	generate(rng, { at }): LogRecord {
		const [auditType, category, info] = rng.weighted(WEIGHTED);
		const user = category === 'directory_sync_logs' ? '' : internalUser(rng);
		return {
			id: `eNqrVipOTS4tSs1MUbJS${rng.base64url(120)}`,
			auditType,
			user,
			eventTime: formatMcDate(at),
			eventInfo: info(rng, at, user),
			category,
		};
	},
};
