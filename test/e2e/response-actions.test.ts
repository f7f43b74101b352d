/**
 * The response actions in a real n8n: the two response examples run end to end as a user
 * imports them (Slack replaced by the local HTTP sink) and the emulator's tenant state shows
 * exactly their effects; and the Mimecast node loads with the AI tool variant n8n derives
 * from `usableAsTool`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { seedHeldMessages, TRIAGED_SENDER } from '../../scripts/demo-responses';
import { missingNodes, pointAtSinks } from '../../scripts/examples';
import type { HttpSink } from '../../scripts/http-sink';
import { startHttpSink } from '../../scripts/http-sink';
import type { LogRecord } from '../emulator/types';
import { recordTime } from './cases';
import type { E2e } from './setup';
import { example, runExample } from './examples-support';
import { BUILT, closeChecked, log, startE2e, waitFor } from './setup';

const MINUTE = 60_000;
const CLICKS = 'malicious-click-response.json';
const TRIAGE = 'held-message-triage.json';

const skipReason = (file: string) => missingNodes(example(file), BUILT) ?? false;

describe('response actions in a real n8n: the examples and the AI tool variant', () => {
	let e2e: E2e;
	let http: HttpSink;

	before(async () => {
		e2e = await startE2e('responses', {
			seed: 2613,
			tenant: { ttpUrl: 200, ttpAttachment: 50, days: 2 },
		});
		http = await startHttpSink();
		const runnable = [CLICKS, TRIAGE].map(example).filter((e) => !missingNodes(e, BUILT));
		if (runnable.length)
			await e2e.home.importWorkflows(runnable.map((e) => pointAtSinks(e.workflow, http.url)));
	});

	after(async () => {
		await http?.close();
		await closeChecked(e2e);
	});

	const run = (file: string) => runExample(e2e, http, file);

	it(
		'malicious-click-response: a Slack message, then the sender blocked, the URL blocked and the message remediated, per click',
		{ skip: skipReason(CLICKS) },
		async () => {
			const { actions } = e2e.emu;
			const added = e2e.emu.data.add('ttpUrl', 6, { malicious: true, at: Date.now() - 2 * MINUTE });
			const incidentsBefore = actions.remediations.incidents.length;
			const t = await run(CLICKS);

			const inbound = (r: LogRecord) => r.scanResult === 'malicious' && r.route === 'inbound';
			const all = e2e.emu.data.records('ttpUrl').filter(inbound);
			const at = (r: LogRecord) => recordTime(r, 'date');
			const required = all.filter(
				(r) => at(r) >= t.after - 15 * MINUTE && at(r) <= t.before - 1000,
			);
			const allowed = all.filter((r) => at(r) >= t.before - 15 * MINUTE - 1000 && at(r) <= t.after);
			assert.ok(
				required.length >= 1 && added.filter(inbound).every((c) => required.includes(c)),
				'the inbound clicks added for the test are in the window',
			);

			const posts = http.received.filter((r) => r.path.startsWith('/hooks.slack.com/services/'));
			assert.ok(
				posts.length >= required.length && posts.length <= allowed.length,
				`${posts.length} Slack messages for ${required.length}..${allowed.length} clicks`,
			);
			const texts = posts.map((p) => String(p.json().text));
			const incidents = actions.remediations.incidents.slice(incidentsBefore);
			assert.equal(incidents.length, posts.length, 'one remediation per click');
			for (const click of required) {
				const [url, sender, user, messageId] = [
					click.url,
					click.fromUserEmailAddress,
					click.userEmailAddress,
					click.messageId,
				].map(String);
				assert.ok(
					texts.some((text) => text.includes(url) && text.includes(user) && text.includes(sender)),
					`a Slack message names ${user}, ${sender} and ${url}`,
				);
				assert.equal(
					actions.managedSenders.get(actions.senderKey(sender, user))?.type,
					'Block',
					`${sender} is blocked for ${user}`,
				);
				const host = new URL(url).hostname;
				assert.ok(
					actions.managedUrls.some((m) => m.domain === host && m.action === 'block'),
					`${url} is a blocked managed URL`,
				);
				const incident = incidents.find((i) => i.searchCriteria.messageId === messageId);
				assert.ok(incident, `an incident remediates ${messageId}`);
				const message = actions.mailbox.all().find((m) => m.messageId === messageId);
				assert.ok(message?.remediatedBy, `the message ${messageId} was removed from the mailboxes`);
			}
			const removed = incidents.reduce((sum, i) => sum + i.successful, 0);
			log(
				`Slack got ${posts.length} messages; ${incidents.length} incidents removed ${removed} mailbox copies; e.g. ${JSON.stringify(texts[0]).slice(0, 140)}`,
			);
		},
	);

	it(
		"held-message-triage: the partner's messages held as spam are released, the others rejected; no other message touched",
		{ skip: skipReason(TRIAGE) },
		async () => {
			const { actions } = e2e.emu;
			const seeded = seedHeldMessages(e2e.emu);
			const others = actions.heldMessages
				.filter((h) => h.from.emailAddress !== TRIAGED_SENDER)
				.map((h) => h.id);
			const logsBefore = actions.releaseLogs.length;

			await run(TRIAGE);

			const held = new Set(actions.heldMessages.map((h) => h.id));
			for (const id of [...seeded.release, ...seeded.reject])
				assert.ok(!held.has(id), `${id} left the hold queue`);
			assert.deepEqual(
				others.filter((id) => !held.has(id)),
				[],
				'no message of another sender was touched',
			);
			const logs = actions.releaseLogs.slice(logsBefore);
			assert.deepEqual(
				logs
					.filter((l) => l.status === 'released')
					.map((l) => l.id)
					.sort(),
				[...seeded.release].sort(),
			);
			assert.deepEqual(
				logs.filter((l) => l.status === 'rejected').map((l) => l.id),
				seeded.reject,
			);
			log(
				`released ${seeded.release.length} and rejected ${seeded.reject.length} held messages from ${TRIAGED_SENDER}`,
			);
		},
	);

	it(
		'the Mimecast node loads in n8n with its AI tool variant (n8n-nodes-mimecast.mimecastTool)',
		{
			skip: BUILT.includes('n8n-nodes-mimecast.mimecast')
				? false
				: 'the Mimecast node is not built',
		},
		async () => {
			// n8n writes the node types the editor and AI agents can use when it starts, before it
			// serves the editor: read them as soon as they are there (a loaded machine starts slowly).
			const file = path.join(e2e.home.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
			const starting = e2e.home.start({ timeoutMs: 600_000 }).catch((error: unknown) => error);
			try {
				const types = await waitFor('n8n to write its node types', () => readTypes(file), {
					timeoutMs: 600_000,
				});
				const ours = types
					.filter((t) => t.name.startsWith('n8n-nodes-mimecast.mimecast'))
					.map((t) => t.name);
				assert.ok(
					ours.includes('n8n-nodes-mimecast.mimecast'),
					`the Mimecast node is listed (${ours.join(', ')})`,
				);
				const tool = types.find((t) => t.name === 'n8n-nodes-mimecast.mimecastTool');
				assert.ok(tool, `the tool variant is listed among ${ours.join(', ')}`);
				assert.equal(tool.displayName, 'Mimecast Tool');
				log(
					`n8n lists ${tool.name} ("${tool.displayName}", ${JSON.stringify(tool.codex?.categories ?? [])})`,
				);
			} finally {
				await e2e.home.stop();
				await starting;
			}
		},
	);
});

interface NodeTypeEntry {
	name: string;
	displayName: string;
	codex?: { categories?: string[] };
}

/** n8n's node type list, once it is completely written and holds this package's nodes. */
function readTypes(file: string): NodeTypeEntry[] | undefined {
	try {
		const types = JSON.parse(fs.readFileSync(file, 'utf8')) as NodeTypeEntry[];
		return types.some((t) => t.name.startsWith('n8n-nodes-mimecast.')) ? types : undefined;
	} catch {
		return undefined;
	}
}
