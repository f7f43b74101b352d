/**
 * What every e2e file shares: an emulator on 127.0.0.1, a fresh n8n home with the built
 * package and both credentials, workflow builders, and the check that no secret reached
 * anything n8n printed or stored.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import type { AuthMode, N8nHome, Workflow, WorkflowNode } from '../../scripts/n8n-harness';
import {
	N8nHome as Home,
	builtNodeTypes,
	emulatorCredentials,
	mimecastCredentialRef,
} from '../../scripts/n8n-harness';
import { startEmulator } from '../emulator';
import type { Emulator, EmulatorOptions } from '../emulator/types';
import { PACKAGE } from './cases';

export const log = (line: string): void => {
	process.stderr.write(`  [e2e ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Node types built now (package.json n8n.nodes, found in dist/). */
export const BUILT = builtNodeTypes();

/**
 * Every case row's node must be built: a row whose node is missing fails the suite, naming
 * it, rather than being skipped where nobody reads the skip.
 */
export function assertBuilt(nodes: string[]): void {
	const missing = [...new Set(nodes)].filter((node) => !BUILT.includes(`${PACKAGE}.${node}`));
	assert.deepEqual(
		missing,
		[],
		`not built (not in package.json n8n.nodes or not in dist/; run npm run build): ${missing.join(', ')}`,
	);
}

export interface E2e {
	emu: Emulator;
	home: N8nHome;
	close(): Promise<void>;
}

export async function startE2e(name: string, emulator: EmulatorOptions): Promise<E2e> {
	const emu = await startEmulator({ ...emulator, port: 0 });
	const home = await Home.create({ name, log });
	log(`n8n home ${home.userFolder}, emulator ${emu.baseUrl}`);
	await home.importCredentials(emulatorCredentials(emu));
	return {
		emu,
		home,
		async close() {
			// E2E_KEEP=1 keeps the n8n home (database, logs) to look at after a failure.
			await home.dispose({ keep: process.env.E2E_KEEP === '1' });
			await emu.close();
		},
	};
}

/** A Manual Trigger feeding every given node: one `n8n execute` runs them all. */
export interface NodeSpec {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: WorkflowNode['credentials'];
	typeVersion?: number;
}

export function manualWorkflow(id: string, name: string, nodes: NodeSpec[]): Workflow {
	const trigger: WorkflowNode = {
		id: `${id}-t`,
		name: 'Run',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			trigger,
			...nodes.map(
				(n, i): WorkflowNode => ({
					...n,
					typeVersion: n.typeVersion ?? 1,
					id: `${id}-${i}`,
					position: [300, i * 160],
				}),
			),
		],
		connections: {
			Run: { main: [nodes.map((n) => ({ node: n.name, type: 'main' as const, index: 0 }))] },
		},
	};
}

export function mimecastNode(
	name: string,
	node: string,
	auth: AuthMode,
	parameters: Record<string, unknown>,
): NodeSpec {
	return {
		name,
		type: `${PACKAGE}.${node}`,
		parameters: { authentication: auth, ...parameters },
		credentials: mimecastCredentialRef(auth),
	};
}

/** Every value that must never show: keys, client secret, and what signed real requests. */
export function secretsOf(emu: Emulator): string[] {
	const secrets = new Set<string>([
		emu.keys.v1.secretKey,
		emu.keys.v1.appKey,
		emu.keys.v1.accessKey,
		emu.keys.v2.clientSecret,
	]);
	for (const request of emu.requests) {
		const auth = String(request.headers.authorization ?? '');
		const bearer = /^Bearer\s+(\S+)/i.exec(auth)?.[1];
		if (bearer) secrets.add(bearer);
		// API 1.0: "MC <accessKey>:<base64 HMAC signature>"
		const signature = /^MC\s+[^:]+:(\S+)/i.exec(auth)?.[1];
		if (signature) secrets.add(signature);
	}
	return [...secrets].filter((s) => s.length >= 8);
}

/**
 * Looks for every secret in all n8n printed, everything it saved of its executions, and every
 * file of its home (the SQLite database and its WAL byte for byte, event logs, crash journal):
 * credentials are stored encrypted, so no secret may be readable anywhere.
 */
export async function assertNoSecretLeaked(e2e: E2e): Promise<void> {
	const executions = JSON.stringify(await e2e.home.executions());
	const places: Array<[string, string]> = [
		['n8n output', e2e.home.transcript],
		['saved executions', executions],
		...homeFiles(e2e.home),
	];
	assert.ok(
		places.some(([file]) => file.endsWith('database.sqlite')),
		"n8n's database was among the files read",
	);
	assertNoSecretIn(secretsOf(e2e.emu), places);
}

/** A suite's end: checks no secret leaked, then stops n8n and the emulator whatever the check found. */
export async function closeChecked(e2e: E2e | undefined): Promise<void> {
	if (!e2e) return;
	try {
		await assertNoSecretLeaked(e2e);
	} finally {
		await e2e.close();
	}
}

/** Every file of an n8n home's .n8n folder but the installed package, as [path, bytes as latin1]. */
export function homeFiles(home: N8nHome): Array<[string, string]> {
	const places: Array<[string, string]> = [];
	const walk = (dir: string): void => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			// nodes/ is the installed package itself.
			if (entry.isDirectory() && entry.name !== 'nodes') walk(file);
			else if (entry.isFile()) places.push([file, fs.readFileSync(file).toString('latin1')]);
		}
	};
	walk(path.join(home.userFolder, '.n8n'));
	return places;
}

/** Fails, naming the place and what precedes the secret, if any secret occurs in any place. */
export function assertNoSecretIn(secrets: string[], places: Array<[string, string]>): void {
	assert.ok(secrets.length >= 4, 'the secrets to look for were collected');
	for (const [where, text] of places) {
		for (const secret of secrets) {
			const at = text.indexOf(secret);
			assert.equal(
				at,
				-1,
				`a secret (${secret.slice(0, 4)}…) appears in ${where}: …${text.slice(Math.max(0, at - 200), at)}[SECRET]…`,
			);
		}
	}
}

export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined> | T | undefined,
	{ timeoutMs = 90_000, everyMs = 2_000 } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
