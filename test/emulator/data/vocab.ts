/**
 * Shared vocabulary for generated records: one fictional tenant whose people, partners and
 * attackers show up consistently across every log type. Domains use reserved TLDs
 * (.example/.test, RFC 2606) and IPs documentation ranges (RFC 5737), so nothing real leaks in.
 */
import type { Rng } from '../prng';

export const INTERNAL_DOMAIN = 'northwind.example';
export const ACCOUNT_CODE = 'CNW42A731';

const FIRST = [
	'john',
	'emily',
	'maria',
	'david',
	'sara',
	'tom',
	'lisa',
	'jeff',
	'rhonda',
	'eric',
	'veronica',
	'mark',
	'tamara',
	'chad',
	'julie',
	'kevin',
	'anna',
	'louis',
	'candy',
	'daniel',
	'greg',
	'hal',
	'mike',
	'nina',
];
const LAST = [
	'doe',
	'smith',
	'valdes',
	'forster',
	'shackleton',
	'fitzgibbon',
	'yoho',
	'dasovich',
	'denton',
	'bass',
	'espinoza',
	'guzman',
	'black',
	'starnes',
	'clyatt',
	'ring',
	'lees',
	'dicarlo',
	'bywaters',
	'reck',
];

export const PARTNER_DOMAINS = [
	'arcadia-group.example',
	'pilot-meadow.example',
	'creative-omega.example',
	'empirepartners.example',
	'concept-variety.example',
	'innovation-asylum.example',
	'evergreen-supply.example',
];
export const NEWSLETTER_DOMAINS = [
	'emailinfo.shop.example',
	'news.travel.example',
	'r.deals.example',
];
export const ATTACKER_DOMAINS = [
	'n0rthwind.test',
	'northwind-payroll.test',
	'docu-sign-secure.test',
	'zenz.test',
];

export const SUBJECTS = [
	'Quarterly numbers',
	'Re: Conference Call re: CFTC',
	'FW: Titus classification work',
	'Weekly Report',
	'Management Changes',
	'Invoice Attached for payment',
	'You have new held messages',
	'Edison MOU',
	'Update on Sales Process',
	'Index products for Jan',
	'Coffee Briefing',
	'Re: totally not a scam email',
	'Energy Briefing paper for Monday',
	'Your Order (#102-9280639-7011323)',
	'Auto Reply',
	'Opportunity to become VP',
	'WP-02 Data Response',
	'Credit Watch List--9/25/01',
	'Reception for Annual Meeting',
	'Translation - Nikkei mention',
	'SAN FRANCISCO ROTATION',
	'Today only: Save $100 | plus more = deals',
	'Urgent Wire Transfer Request',
	'DocuSign- Contract #45576744333',
	'Requested File',
	'RE: MSP Sales of Managed E2E',
];

export const CLEAN_URLS = [
	'https://click.emailinfo.shop.example/?qs=5c47c91aeb44fac857370c26ddf09c3f484431e1',
	'https://www.partner-portal.example/login',
	'https://docs.northwind.example/wiki/Onboarding',
	'https://www.livingsocial.example/browse/?locale=en_US&p=14&utm_source=newsletter',
	'https://news.travel.example/deals/2024?ref=mail',
	'https://momentjs.example/guides/#/warnings/min-max/',
];
export const MALICIOUS_URLS = [
	'http://docusign.swrodgods.test/Docun/Docu/index2.php',
	'https://oneclient.sfx.test/Win/Preview/OneDriveSetup.exe',
	'http://northwind-payroll.test/login/',
	'https://updates.n0rthwind.test/',
	'http://bgmtechnology.test/wp/verify.html',
];

export const CLEAN_FILES: ReadonlyArray<readonly [string, string]> = [
	['numbers.pdf', 'application/pdf'],
	[
		'Quarterly review.docx',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	],
	[
		'Titus classification v0.3.pptx',
		'application/vnd.openxmlformats-officedocument.presentationml',
	],
	['Datasheet_Targeted Threat Protection (2).pdf', 'application/pdf'],
	['budget_2025.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];
export const MALICIOUS_FILES: ReadonlyArray<readonly [string, string]> = [
	['zero-day.pdf', 'application/pdf'],
	['Invoice Attached for payment.xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12'],
	['WinZip Attachments.zip', 'application/zip'],
	['1XCOLUMN.PVC', 'application/vnd.ms-office'],
];

export const TLS_CIPHERS = [
	'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
	'TLS_AES_256_GCM_SHA384',
	'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
];

export function internalUser(rng: Rng): string {
	return `${rng.pick(FIRST)}.${rng.pick(LAST)}@${INTERNAL_DOMAIN}`;
}

export function displayName(address: string): string {
	return address
		.split('@')[0]
		.split('.')
		.map((p) => p.charAt(0).toUpperCase() + p.slice(1))
		.join(' ');
}

const BENIGN_DOMAINS = [...PARTNER_DOMAINS, ...NEWSLETTER_DOMAINS];

export function externalSender(rng: Rng, malicious = false): string {
	const domain = rng.pick(malicious ? ATTACKER_DOMAINS : BENIGN_DOMAINS);
	return `${rng.pick(FIRST)}${rng.chance(0.5) ? '.' + rng.pick(LAST) : rng.int(1, 99)}@${domain}`;
}

export function domainOf(address: string): string {
	return address.slice(address.indexOf('@') + 1);
}

export function publicIp(rng: Rng): string {
	return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}

export function internalIp(rng: Rng): string {
	return `10.${rng.int(100, 110)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function messageId(rng: Rng, domain: string): string {
	return `<${rng.hex(16)}-${rng.int(1000, 399999)}@${domain}>`;
}

/** Mimecast's 22-character message reference (`aCode`). */
export function aCode(rng: Rng): string {
	return rng.base64url(22);
}

export function sha256(rng: Rng): string {
	return rng.hex(64);
}

export type Direction = 'Inbound' | 'Outbound' | 'Internal';

/** One message as the gateway saw it; log generators project it onto their own field names. */
export interface Mail {
	direction: Direction;
	sender: string;
	recipient: string;
	subject: string;
	messageId: string;
	ip: string;
	aCode: string;
}

export function mail(rng: Rng, malicious = false): Mail {
	const direction: Direction = malicious
		? 'Inbound'
		: rng.weighted([
				['Inbound', 6],
				['Outbound', 2],
				['Internal', 2],
			] as const);
	const inside = internalUser(rng);
	const outside = externalSender(rng, malicious);
	const sender = direction === 'Inbound' ? outside : inside;
	const recipient =
		direction === 'Outbound' ? outside : direction === 'Internal' ? internalUser(rng) : inside;
	return {
		direction,
		sender,
		recipient,
		subject: rng.pick(SUBJECTS),
		messageId: messageId(rng, domainOf(sender)),
		ip: direction === 'Internal' ? internalIp(rng) : publicIp(rng),
		aCode: aCode(rng),
	};
}
