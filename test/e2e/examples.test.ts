/**
 * The workflows in examples/, imported into a real n8n as a user would, with their outside
 * targets (Slack, ticketing, file store, mail relay) pointed at local sinks: what the sinks
 * received is compared with the emulator's records.
 *
 * The examples read relative windows ("the last 15 minutes"), evaluated by n8n while it runs;
 * a record is required when it is inside the window whatever the exact run time, and allowed
 * when it is inside for some run time between `before` and `after`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { missingNodes, pointAtSinks, smtpSinkCredential } from '../../scripts/examples';
import type { HttpSink } from '../../scripts/http-sink';
import { startHttpSink } from '../../scripts/http-sink';
import type { SmtpSink } from '../../scripts/smtp-sink';
import { startSmtpSink } from '../../scripts/smtp-sink';
import type { LogKind, LogRecord } from '../emulator/types';
import { canonical, recordTime, siemEventOf } from './cases';
import type { E2e } from './setup';
import { allExamples, example, runExample } from './examples-support';
import { BUILT, closeChecked, log, startE2e } from './setup';

const MINUTE = 60_000;

const DAY = 86_400_000;

describe('example workflows in a real n8n, with local sinks for Slack, tickets, files and mail', () => {
	let e2e: E2e;
	let http: HttpSink;
	let smtp: SmtpSink;
	const runnable = allExamples();

	before(async () => {
		// An example whose nodes are not built fails here, naming them; it is never skipped.
		assert.deepEqual(runnable.map((e) => missingNodes(e, BUILT)).filter(Boolean), []);
		e2e = await startE2e('examples', {
			seed: 99,
			tenant: {
				auditEvents: 600,
				viewLogs: 50,
				ttpUrl: 600,
				ttpAttachment: 600,
				ttpImpersonation: 50,
				dlpLogs: 200,
				releaseLogs: 300,
				siemFiles: 20,
				batchFilesPerType: 3,
				days: 3,
			},
		});
		http = await startHttpSink();
		smtp = await startSmtpSink();
		await e2e.home.importCredentials([smtpSinkCredential(smtp)]);
		await e2e.home.importWorkflows(runnable.map((e) => pointAtSinks(e.workflow, http.url)));
		// Fresh threats, so the short windows of the alert examples are never empty.
		e2e.emu.data.add('ttpUrl', 3, { malicious: true, at: Date.now() - 2 * MINUTE });
		e2e.emu.data.add('ttpAttachment', 2, { malicious: true, at: Date.now() - 5 * MINUTE });
		// DLP records of the last minutes, some of them holds (the generator's mix: about 40%).
		e2e.emu.data.add('dlpLogs', 20, { at: Date.now() - 5 * MINUTE });
	});

	after(async () => {
		await http?.close();
		await smtp?.close();
		await closeChecked(e2e);
	});

	const run = (file: string) => runExample(e2e, http, file);

	/** Records of a kind certainly in a window of `span` ms ending at run time, and possibly in it. */
	function windowed(
		kind: LogKind,
		field: string,
		span: number,
		t: { before: number; after: number },
		keep: (r: LogRecord) => boolean,
	) {
		const all = e2e.emu.data.records(kind).filter(keep);
		const at = (r: LogRecord) => recordTime(r, field);
		return {
			required: all.filter((r) => at(r) >= t.after - span && at(r) <= t.before - 1000),
			allowed: all.filter((r) => at(r) >= t.before - span - 1000 && at(r) <= t.after),
		};
	}

	it('malicious-url-clicks-to-slack: one Slack message per malicious click of the last 15 minutes', async () => {
		const t = await run('malicious-url-clicks-to-slack.json');
		const posts = http.received.filter((r) => r.path.startsWith('/hooks.slack.com/services/'));
		const { required, allowed } = windowed(
			'ttpUrl',
			'date',
			15 * MINUTE,
			t,
			(r) => r.scanResult === 'malicious',
		);
		assert.ok(required.length >= 3, 'the clicks added for the test are in the window');
		assert.ok(
			posts.length >= required.length && posts.length <= allowed.length,
			`${posts.length} messages for ${required.length}..${allowed.length} clicks`,
		);
		const texts = posts.map((p) => String(p.json().text));
		for (const click of required) {
			assert.ok(
				texts.some(
					(text) =>
						text.includes(String(click.url)) &&
						text.includes(String(click.userEmailAddress)) &&
						text.includes(String(click.date)),
				),
				`a message names ${String(click.userEmailAddress)} and ${String(click.url)}`,
			);
		}
		assert.ok(
			posts.every(
				(p) => p.method === 'POST' && /application\/json/.test(String(p.headers['content-type'])),
			),
		);
		log(`Slack got ${posts.length} messages, e.g. ${JSON.stringify(texts[0]).slice(0, 160)}`);
	});

	it('malicious-attachments-to-ticket: one ticket per malicious attachment of the last hour', async () => {
		const t = await run('malicious-attachments-to-ticket.json');
		const tickets = http.received
			.filter((r) => r.path === '/tickets.example.com/api/v1/tickets')
			.map((r) => r.json());
		const { required, allowed } = windowed(
			'ttpAttachment',
			'date',
			60 * MINUTE,
			t,
			(r) => r.result === 'malicious',
		);
		assert.ok(required.length >= 2, 'the attachments added for the test are in the window');
		assert.ok(
			tickets.length >= required.length && tickets.length <= allowed.length,
			`${tickets.length} tickets for ${required.length}..${allowed.length} attachments`,
		);
		for (const a of required) {
			const ticket = tickets.find(
				(k) => k.externalId === `${String(a.messageId)}/${String(a.fileHash)}`,
			);
			assert.ok(ticket, `a ticket for ${String(a.fileName)}`);
			assert.equal(ticket.severity, 'high');
			assert.match(ticket.title, new RegExp(escape(String(a.fileName))));
			assert.match(ticket.description, new RegExp(escape(String(a.senderAddress))));
		}
		log(
			`ticketing got ${tickets.length} tickets, e.g. ${JSON.stringify(tickets[0]).slice(0, 160)}`,
		);
	});

	it('siem-daily-export: one gzip JSON file holding the previous UTC day, each event once', async () => {
		// n8n runs with its default time zone (America/New_York) here: the example must not
		// depend on it (the export used to cover about two UTC days under a New York date).
		const t = await run('siem-daily-export.json');
		const events = t.result.items('SIEM events of yesterday (UTC)');
		const uploads = http.received.filter((r) =>
			r.path.startsWith('/storage.example.com/mimecast-siem/'),
		);
		assert.equal(uploads.length, 1, 'one file uploaded');
		assert.equal(uploads[0].method, 'PUT');
		const dayStart = Math.floor(t.before / DAY) * DAY - DAY;
		const day = new Date(dayStart).toISOString().slice(0, 10);
		assert.ok(
			uploads[0].path.endsWith(`/mimecast-siem-${day}.json.gz`),
			`${uploads[0].path} is named for ${day}`,
		);
		const exported = JSON.parse(uploads[0].gunzip()) as Array<Record<string, unknown>>;
		assert.deepEqual(
			exported.map(canonical).sort(),
			events.map(canonical).sort(),
			'the file holds exactly the events the node returned',
		);
		const ofDay = e2e.emu.data
			.batchEvents()
			.filter((e) => Number(e.timestamp) >= dayStart && Number(e.timestamp) < dayStart + DAY);
		assert.ok(ofDay.length > 0, 'the emulator holds events of that day');
		const got = exported.map((e) => canonical(siemEventOf(e))).sort();
		assert.deepEqual(
			got,
			ofDay.map(canonical).sort(),
			`every event of ${day} (UTC), each once, and nothing else`,
		);
		log(
			`file store got ${uploads[0].path} (${uploads[0].body.length} bytes, ${exported.length} events)`,
		);
	});

	it('admin-audit-email-digest: one email listing the admin changes of the last 24 hours', async () => {
		smtp.messages.splice(0);
		const t = await run('admin-audit-email-digest.json');
		const admin = new Set(['account_logs', 'user_logs', 'policy_logs']);
		const { required, allowed } = windowed('auditEvents', 'eventTime', 24 * 60 * MINUTE, t, (r) =>
			admin.has(String(r.category)),
		);
		assert.equal(smtp.messages.length, 1, 'one email');
		const mail = smtp.messages[0];
		assert.ok(mail.to.some((to) => to.includes('security-team@example.com')));
		const count = Number(/admin changes: (\d+) in the last 24 hours/.exec(mail.subject)?.[1]);
		assert.ok(
			count >= required.length && count <= allowed.length && required.length > 0,
			`subject "${mail.subject}" counts ${required.length}..${allowed.length}`,
		);
		for (const e of required) {
			assert.ok(
				mail.html.includes(String(e.eventTime)) && mail.html.includes(String(e.auditType)),
				`the digest lists ${String(e.auditType)} at ${String(e.eventTime)}; the mail was:\n${mail.data.slice(0, 3000)}`,
			);
		}
		log(`mail relay got "${mail.subject}" (${mail.html.length} bytes of HTML)`);
	});

	it('dlp-holds-to-ticket: one ticket per DLP hold of the last hour, none for notifications', async () => {
		const t = await run('dlp-holds-to-ticket.json');
		const tickets = http.received
			.filter((r) => r.path === '/tickets.example.com/api/v1/tickets')
			.map((r) => r.json());
		const { required, allowed } = windowed(
			'dlpLogs',
			'eventTime',
			60 * MINUTE,
			t,
			(r) => r.action === 'hold',
		);
		assert.ok(required.length >= 1, 'the DLP holds added for the test are in the window');
		assert.ok(
			tickets.length >= required.length && tickets.length <= allowed.length,
			`${tickets.length} tickets for ${required.length}..${allowed.length} holds`,
		);
		const notified = new Set(
			e2e.emu.data
				.records('dlpLogs')
				.filter((r) => r.action !== 'hold')
				.map((r) => String(r.messageId)),
		);
		assert.ok(
			tickets.every((k) => !notified.has(k.externalId)),
			'no ticket for a notification (the client-side Action filter)',
		);
		for (const hold of required) {
			const ticket = tickets.find((k) => k.externalId === hold.messageId);
			assert.ok(ticket, `a ticket for ${String(hold.messageId)}`);
			assert.equal(ticket.source, 'mimecast-dlp');
			assert.equal(
				ticket.title,
				`DLP hold: ${String(hold.policy)} (${String(hold.senderAddress)} to ${String(hold.recipientAddress)})`,
			);
			assert.match(ticket.description, new RegExp(escape(String(hold.subject))));
		}
		log(
			`ticketing got ${tickets.length} DLP tickets, e.g. ${JSON.stringify(tickets[0]).slice(0, 160)}`,
		);
	});

	it('admin-releases-slack-digest: one Slack digest listing the messages admins released in the last 24 hours', async () => {
		const t = await run('admin-releases-slack-digest.json');
		const posts = http.received.filter((r) =>
			r.path.startsWith('/hooks.slack.com/services/T00000000/B00000002/'),
		);
		assert.equal(posts.length, 1, 'one digest');
		const text = String(posts[0].json().text);
		const byAdmin = (r: LogRecord) => {
			const operator = (r.operator as { emailAddress: string }).emailAddress;
			return (
				r.status === 'released' &&
				!(r.to as Array<{ emailAddress: string }>).some((to) => to.emailAddress === operator)
			);
		};
		const { required, allowed } = windowed('releaseLogs', 'released', 24 * 60 * MINUTE, t, byAdmin);
		const count = Number(/released by admins, last 24 hours: (\d+)/.exec(text)?.[1]);
		assert.ok(
			required.length > 0 && count >= required.length && count <= allowed.length,
			`digest counts ${count} for ${required.length}..${allowed.length}`,
		);
		for (const r of required) {
			const operator = (r.operator as { emailAddress: string }).emailAddress;
			assert.ok(
				text.includes(`${String(r.released)} ${operator} released "${String(r.subject)}"`),
				`the digest lists the release at ${String(r.released)} by ${operator}`,
			);
		}
		const rejectedOrSelf = e2e.emu.data.records('releaseLogs').filter((r) => !byAdmin(r));
		for (const r of rejectedOrSelf)
			assert.ok(
				!text.includes(
					`${String(r.released)} ${(r.operator as { emailAddress: string }).emailAddress} released "${String(r.subject)}" from ${(r.fromEnv as { emailAddress: string }).emailAddress}`,
				),
				'no rejected or self release',
			);
		log(`Slack got a digest of ${count} releases (${text.length} characters)`);
	});

	it('threat-feed-hash-blocklist: one plain-text blocklist of the SHA-256 hashes of the last 7 days, each once', async () => {
		const t = await run('threat-feed-hash-blocklist.json');
		const puts = http.received.filter(
			(r) => r.path === '/blocklists.example.com/edl/mimecast-malware-sha256.txt',
		);
		assert.equal(puts.length, 1, 'one blocklist published');
		assert.equal(puts[0].method, 'PUT');
		assert.match(String(puts[0].headers['content-type']), /^text\/plain/);
		const lines = puts[0].text().split('\n');
		assert.equal(lines.pop(), '', 'ends with a newline');
		const sha256 = (from: number, to: number) =>
			new Set(
				e2e.emu.threatFeed
					.indicators('malware_customer')
					.filter((i) => i.kind === 'sha256' && i.t >= from && i.t <= to)
					.map((i) => String(i.sha256)),
			);
		const required = sha256(t.after - 7 * DAY, t.before - 1000);
		const allowed = sha256(t.before - 7 * DAY - 1000, t.after);
		assert.ok(required.size > 0, 'the emulator holds hashes of the last 7 days');
		assert.deepEqual(lines, [...new Set(lines)].sort(), 'sorted, each hash once');
		assert.ok(
			lines.every((h) => /^[0-9a-f]{64}$/.test(h) && allowed.has(h)),
			'only SHA-256 hashes the feed served (no MD5, no URLs)',
		);
		for (const h of required) assert.ok(lines.includes(h), `${h} is on the list`);
		log(`blocklist got ${lines.length} hashes, e.g. ${lines[0]}`);
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
