// `npm run demo`: the package in a real n8n against a local Mimecast emulator, in one command.
//
// Builds the package, installs n8n 2.x once (outside the repo), starts the emulator with a
// realistic, growing tenant and local sinks standing in for Slack, a ticketing system, a file
// store and a mail relay, imports both credentials and the example workflows, runs them once
// headless and prints what happened, then keeps n8n running at http://127.0.0.1:5678.
//
//   npm run demo                 run once, then keep n8n, the emulator and the sinks running
//   npm run demo -- --headless   run once, print the summary, stop everything, exit 0
//   npm run demo -- --port 5679  another port for n8n's editor
import { execFileSync, execSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { startEmulator } from '../test/emulator';
import { LOG_KINDS } from '../test/emulator/data/kinds';
import { LOG_CASES } from '../test/helpers/logCases';
import type { Emulator } from '../test/emulator/types';
import { countResponses, describeResponses, seedHeldMessages } from './demo-responses';
import { loadExamples, missingNodes, pointAtSinks, smtpSinkCredential } from './examples';
import { startHttpSink } from './http-sink';
import type { Workflow } from './n8n-harness';
import {
	builtNodeTypes,
	emulatorCredentials,
	ensureN8n,
	mimecastCredentialRef,
	N8nHome,
	REPO_DIR,
} from './n8n-harness';
import { startSmtpSink } from './smtp-sink';

const OWNER = { email: 'demo@example.com', password: 'Mimecast-demo-1' };
const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => process.stdout.write(`\n▸ ${line}\n`);

/** The overview the summary counts: one action node per log type, last 24 hours, all pages. */
function overviewWorkflow(built: string[]): {
	workflow: Workflow;
	rows: Array<{ node: string; label: string }>;
} {
	const day = {
		start: '={{ $now.minus({ days: 1 }).toISO() }}',
		end: '={{ $now.toISO() }}',
		returnAll: true,
		simplify: true,
	};
	// One row per paged log of the case table, so a new log type shows up here by itself.
	const rows = [
		...LOG_CASES.map((c) => ({ node: c.node, label: c.name, params: { ...day, ...c.params } })),
		// API 2.0 SIEM batches are read by whole UTC days: yesterday and today.
		{
			node: 'mimecastSiemLogs',
			label: 'SIEM events (UTC yesterday+today)',
			params: { start: day.start, end: day.end, returnAll: true, output: 'events' },
		},
		{
			node: 'mimecastThreatIntelFeed',
			label: 'Threat intel indicators (customer)',
			params: { ...day, feedType: 'malwareCustomer' },
		},
	].filter((r) => built.includes(`n8n-nodes-mimecast.${r.node}`));
	const workflow: Workflow = {
		id: 'demoOverview',
		name: 'Mimecast demo: last 24 hours per log type',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'demo-run',
				name: 'Run now',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			...rows.map((r, i) => ({
				id: `demo-${i}`,
				name: r.label,
				type: `n8n-nodes-mimecast.${r.node}`,
				typeVersion: 1,
				position: [300, i * 160] as [number, number],
				parameters: { authentication: 'oAuth2', ...r.params },
				credentials: mimecastCredentialRef('oAuth2'),
			})),
		],
		connections: {
			'Run now': { main: [rows.map((r) => ({ node: r.label, type: 'main' as const, index: 0 }))] },
		},
	};
	return { workflow, rows };
}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** n8n wants the demo owner's password as a bcrypt hash: made with n8n's own bcryptjs. */
function bcryptHash(nodeBin: string, n8nDir: string, password: string): string {
	const script = `const r=require('node:module').createRequire(${JSON.stringify(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'))});process.stdout.write(r('bcryptjs').hashSync(process.argv[1],10))`;
	return execFileSync(nodeBin, ['-e', script, password], { encoding: 'utf8' });
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			headless: { type: 'boolean', default: false },
			port: { type: 'string', default: '5678' },
		},
	});
	const headless = values.headless === true;
	const started = Date.now();
	const port = Number(values.port);
	if (!headless && !(await portIsFree(port))) {
		throw new Error(
			`port ${port} is in use (another n8n?): stop it, or run npm run demo -- --port ${port + 1}`,
		);
	}

	step('Building the package (npm run build)');
	try {
		execSync('npm run build', { cwd: REPO_DIR, stdio: 'pipe' });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
		throw new Error(`npm run build failed:\n${String(stdout ?? '')}${String(stderr ?? '')}`);
	}
	const built = builtNodeTypes();
	say(`  ${built.length} nodes: ${built.map((t) => t.split('.')[1]).join(', ')}`);

	step(
		'n8n 2.x with Node 24, in a cache folder outside the repo (installed once, minutes the first time)',
	);
	const paths = ensureN8n();
	say(`  n8n ${paths.n8nVersion} at ${paths.dir}`);

	step(
		'Local Mimecast emulator (realistic tenant, growing) and sinks for Slack, tickets, files and mail',
	);
	const emu: Emulator = await startEmulator({ seed: 1, tenant: 'realistic' });
	// New records keep arriving, so reruns and triggers activated in the editor see fresh data.
	emu.data.startGrowth({ everyMs: 10_000, perTick: 2, kinds: [...LOG_KINDS, 'batchFiles'] });
	emu.threatFeed.startGrowth({ everyMs: 10_000, perTick: 1 });
	// A few fresh threats, so the alert examples have something to say right away.
	const clicks = emu.data.add('ttpUrl', 3, { malicious: true, at: Date.now() - 4 * 60_000 });
	emu.data.add('ttpAttachment', 2, { malicious: true, at: Date.now() - 10 * 60_000 });
	// DLP events of the last minutes, so the DLP-holds example has holds to ticket (about 40% are holds).
	emu.data.add('dlpLogs', 20, { at: Date.now() - 10 * 60_000 });
	// Held messages from the sender the held-message triage example looks at.
	seedHeldMessages(emu);
	const http = await startHttpSink();
	const smtp = await startSmtpSink();
	say(`  emulator ${emu.baseUrl}, HTTP sink ${http.url}, SMTP sink ${smtp.host}:${smtp.port}`);

	let home: N8nHome | undefined;
	const stopAll = async () => {
		await home?.dispose().catch(() => {});
		emu.data.stopGrowth();
		await Promise.allSettled([emu.close(), http.close(), smtp.close()]);
	};
	// `on`, not `once`: under npm and tsx one Ctrl-C arrives more than once, and a second
	// delivery must not end the process halfway through the cleanup.
	let stopping = false;
	process.on('SIGINT', () => {
		if (stopping) return;
		stopping = true;
		say('\n  Ctrl-C: stopping n8n, the emulator and the sinks');
		void stopAll().finally(() => {
			say('  stopped');
			process.exit(130);
		});
	});

	step('A fresh n8n home with the package, both Mimecast credentials and the examples');
	home = await N8nHome.create({
		name: 'demo',
		port,
		log: (line) => say(`  ${line}`),
		env: {
			// The editor opens logged-in-able at once: the owner comes from the environment.
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(paths.nodeBin, paths.dir, OWNER.password),
			N8N_INSTANCE_OWNER_FIRST_NAME: 'Demo',
			N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
		},
	});
	await home.importCredentials([...emulatorCredentials(emu), smtpSinkCredential(smtp)]);
	const examples = loadExamples();
	const runnable = examples.filter((e) => !missingNodes(e, built));
	for (const e of examples.filter((x) => missingNodes(x, built)))
		say(`  skipping examples/${e.file}: ${missingNodes(e, built)}`);
	const overview = overviewWorkflow(built);
	await home.importWorkflows([
		overview.workflow,
		...runnable.map((e) => pointAtSinks(e.workflow, http.url)),
	]);

	step('Running the workflows once, headless (n8n execute)');
	const responsesBefore = countResponses(emu);
	const failures: string[] = [];
	const running = Date.now();
	const runOverview = await home.execute(overview.workflow.id);
	if (runOverview.error) failures.push(`${overview.workflow.name}: ${runOverview.error.message}`);
	for (const e of runnable) {
		const r = await home.execute(e.workflow.id);
		if (r.error)
			failures.push(`${e.workflow.name}: ${r.error.message} ${r.error.description ?? ''}`);
	}

	step('Summary');
	say('  Records n8n read, last 24 hours (API 2.0):');
	for (const row of overview.rows)
		say(`    ${row.label.padEnd(36)} ${String(runOverview.items(row.label).length).padStart(6)}`);
	const urlRow = LOG_CASES.find((c) => c.kind === 'ttpUrl')!.name;
	const malicious = runOverview.items(urlRow).filter((c) => c.scanResult === 'malicious');
	say(
		`  Malicious URL clicks in the last 24 hours: ${malicious.length}${malicious.length > 8 ? ' (newest 8)' : ''}`,
	);
	for (const c of malicious.slice(0, 8))
		say(
			`    ${String(c.date)}  ${String(c.userEmailAddress).padEnd(36)} ${String(c.url)}  [${String(c.action)}]`,
		);
	say('  What the example workflows sent:');
	const count = (prefix: string, keep: (body: { source?: string }) => boolean = () => true) =>
		http.received.filter((r) => r.path.startsWith(prefix) && keep(r.json())).length;
	const dlpTicket = (body: { source?: string }) => body.source === 'mimecast-dlp';
	say(
		`    Slack messages (malicious clicks, last 15 min)   ${count('/hooks.slack.com/services/T00000000/B00000000/')}`,
	);
	say(
		`    Slack digests (admin releases, last 24 h)        ${count('/hooks.slack.com/services/T00000000/B00000002/')}`,
	);
	say(
		`    Tickets (malicious attachments, last hour)       ${count('/tickets.example.com/', (b) => !dlpTicket(b))}`,
	);
	say(
		`    Tickets (DLP holds, last hour)                   ${count('/tickets.example.com/', dlpTicket)}`,
	);
	const upload = http.received.find((r) => r.path.startsWith('/storage.example.com/'));
	say(
		`    SIEM export file                                 ${upload ? `${path.basename(upload.path)} (${upload.body.length} bytes gzip)` : 'none'}`,
	);
	const blocklist = http.received.find((r) => r.path.startsWith('/blocklists.example.com/'));
	const hashes = blocklist ? blocklist.text().split('\n').filter(Boolean).length : 0;
	say(
		`    Blocklist (threat feed SHA-256, last 7 days)     ${blocklist ? `${hashes} hashes in ${path.basename(blocklist.path)}` : 'none'}`,
	);
	if (!blocklist) failures.push('the threat feed example published no blocklist');
	say(
		`    Emails (admin changes digest)                    ${smtp.messages.length}${smtp.messages[0] ? `: "${smtp.messages[0].subject}"` : ''}`,
	);
	say("  What the response examples did in Mimecast (the emulator's tenant state):");
	for (const line of describeResponses(emu, responsesBefore)) say(`    ${line}`);
	if (clicks.length && count('/hooks.slack.com/services/T00000000/B00000000/') === 0)
		failures.push('no Slack message for the malicious clicks added a few minutes ago');
	const executions = await home.executions();
	const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);
	const succeeded = executions.filter((x) => x.status === 'success').length;
	say(
		`  n8n saved ${executions.length} executions (${succeeded} succeeded); running them took ${seconds(running)} s, the whole demo ${seconds(started)} s`,
	);
	for (const f of failures) say(`  FAILED: ${f}`);

	if (headless) {
		await stopAll();
		if (failures.length) process.exitCode = 1;
		return;
	}

	step('Starting n8n (n8n start)');
	await home.start();
	say('');
	say(`  n8n is running at ${home.url}  (log in as ${OWNER.email} / ${OWNER.password})`);
	say(
		`  Workflows: the examples and "${overview.workflow.name}"; credentials point at the emulator ${emu.baseUrl}.`,
	);
	say(
		'  The emulator adds records every 10 seconds. Press Ctrl-C to stop n8n, the emulator and the sinks.',
	);
	// Stay up until Ctrl-C; n8n ending on its own ends the demo too.
	await new Promise<void>((resolve) => {
		process.once('SIGTERM', resolve);
		const timer = setInterval(() => {
			if (!home?.running) {
				clearInterval(timer);
				resolve();
			}
		}, 1000);
	});
	await stopAll();
}

main().catch((error: unknown) => {
	process.stderr.write(
		`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
