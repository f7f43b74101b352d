// Runs a real, headless n8n with this package installed, for the e2e suite and the demo.
//
// What works headless in n8n 2.41 (checked; see test/e2e/README.md):
// - the package is found in $N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-*; n8n puts its
//   own node_modules on NODE_PATH, so n8n-workflow and luxon resolve to n8n's copies (the
//   package has no runtime dependencies: fflate is bundled into dist at build time);
// - `import:credentials` encrypts credential data given as a plain object;
// - `execute --id=… --rawOutput` prints the run as pretty JSON after its log lines; a failed
//   run logs the same JSON after "Execution error:" and still exits 0: read the JSON, never
//   the exit code;
// - poll triggers run only under `n8n start` once the workflow is published;
// - executions are read from n8n's SQLite database with n8n's own sqlite3 build and `flatted`
//   (the format n8n stores run data in), in a Node 24 child process: no API key or owner
//   account is needed, and it works while n8n runs.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { postgresExecutions } from './n8n-postgres';

export const REPO_DIR = path.resolve(__dirname, '..');
/** Fixed so that credentials stay readable across restarts of one n8n home. Not a secret. */
export const ENCRYPTION_KEY = 'n8n-nodes-mimecast-local-key-not-secret';
/** Credential ids the examples and the e2e workflows point at. */
export const CREDENTIAL_IDS = {
	oAuth2: 'mimecastOAuth2Local',
	apiKeys: 'mimecastApiLocal',
	smtp: 'smtpLocal',
} as const;
export const CREDENTIAL_NAMES = {
	oAuth2: 'Mimecast API 2.0',
	apiKeys: 'Mimecast API 1.0',
	smtp: 'SMTP',
} as const;
export type AuthMode = 'oAuth2' | 'apiKeys';

export interface N8nPaths {
	dir: string;
	nodeBin: string;
	nodeBinDir: string;
	n8nBin: string;
	n8nVersion: string;
}

export interface EmulatorLike {
	baseUrl: string;
	keys: {
		v1: { appId: string; appKey: string; accessKey: string; secretKey: string };
		v2: { clientId: string; clientSecret: string };
	};
}

export interface Credential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** An n8n workflow as import:workflow reads it. */
export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

/** The parts of n8n's IRun the callers read. */
export interface Run {
	status?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: {
						main?: Array<Array<{
							json: Record<string, unknown>;
							binary?: Record<string, unknown>;
						}> | null>;
					};
					error?: unknown;
				}>
			>;
			error?: {
				message?: string;
				description?: string;
				name?: string;
				node?: { name?: string };
				[key: string]: unknown;
			};
			lastNodeExecuted?: string;
		};
	};
}

export interface Execution {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt: string;
	data?: Run['data'];
}

type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------
// Child processes: each runs in its own process group and is killed with its group when this
// process exits, fails or is interrupted, so no n8n or task runner is left behind.
const children = new Set<ChildProcess>();
/** Temporary n8n homes to remove when interrupted (dispose() removes them otherwise). */
const homesToRemove = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	process.on('exit', killAllChildren);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			killAllChildren();
			// A program with its own handler (the demo) decides when to exit; otherwise leave now.
			if (process.listenerCount(signal) > 1) return;
			for (const dir of homesToRemove) fs.rmSync(dir, { recursive: true, force: true });
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is gone already.
	}
}

export function killAllChildren(): void {
	for (const child of children) killGroup(child);
	children.clear();
}

export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
	installCleanup();
	const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: true });
	children.add(child);
	child.on('exit', () => {
		// The group may hold a task runner that outlived n8n: end it with its parent.
		killGroup(child);
		children.delete(child);
	});
	return child;
}

/** A temp folder to remove if this process is interrupted (its owner removes it otherwise). */
export function removeOnInterrupt(dir: string): void {
	installCleanup();
	homesToRemove.add(dir);
}

/** Resolves when a child's output matches `ready`; rejects when it exits or times out first. */
export async function waitForOutput(
	child: ChildProcess,
	output: () => string,
	ready: RegExp,
	timeoutMs: number,
	what: string,
): Promise<void> {
	const started = Date.now();
	let exited: unknown;
	child.once('exit', (code, signal) => (exited = code ?? signal ?? 'exit'));
	while (!ready.test(output())) {
		if (exited !== undefined || child.exitCode !== null)
			throw new Error(
				`${what} exited (${String(exited ?? child.exitCode)}) before it was ready:\n${output().slice(-4000)}`,
			);
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`${what} was not ready after ${timeoutMs / 1000} s:\n${output().slice(-4000)}`,
			);
		await new Promise((r) => setTimeout(r, 200));
	}
}

// ---------------------------------------------------------------------------------------

/**
 * Installs n8n when needed (progress on stderr) and returns its paths, through the install
 * script's CLI: that script is plain Node so it also runs before any dependency is installed.
 */
export function ensureN8n(): N8nPaths {
	const out = execFileSync(process.execPath, [path.join(REPO_DIR, 'scripts', 'n8n-install.mjs')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	return JSON.parse(out) as N8nPaths;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

function readPackage(dir: string): PackageJson {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Copies the built package where and how n8n's community-node loader reads it. */
export function installPackage(nodesDir: string, repoDir = REPO_DIR): string {
	const pkg = readPackage(repoDir);
	if (!fs.existsSync(path.join(repoDir, 'dist')))
		throw new Error(`${repoDir}/dist is missing: run npm run build first`);
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(repoDir, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(repoDir, 'dist'), path.join(target, 'dist'), {
		recursive: true,
		filter: (src) => !src.endsWith('.tsbuildinfo') && !src.endsWith('.map'),
	});
	// n8n Cloud's rules allow no runtime dependencies, so nothing is installed beside dist/.
	const dependencies = Object.keys(pkg.dependencies ?? {});
	if (dependencies.length)
		throw new Error(
			`the package must have no runtime dependencies, found: ${dependencies.join(', ')}`,
		);
	// What n8n itself keeps next to community packages it installed.
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
			null,
			2,
		),
	);
	return target;
}

/** Node types (`n8n-nodes-mimecast.<name>`) registered in package.json and built into dist/. */
export function builtNodeTypes(repoDir = REPO_DIR): string[] {
	const pkg = readPackage(repoDir);
	return (pkg.n8n?.nodes ?? [])
		.filter((file) => fs.existsSync(path.join(repoDir, file)))
		.map((file) => {
			const base = path.basename(file).replace(/\.node\.js$/, '');
			return `${pkg.name}.${base.charAt(0).toLowerCase()}${base.slice(1)}`;
		});
}

/** Credentials for both Mimecast APIs pointing at an emulator (region 'custom'). */
export function emulatorCredentials(emu: EmulatorLike): Credential[] {
	return [
		{
			id: CREDENTIAL_IDS.oAuth2,
			name: CREDENTIAL_NAMES.oAuth2,
			type: 'mimecastOAuth2Api',
			data: {
				grantType: 'clientCredentials',
				region: 'custom',
				baseUrl: emu.baseUrl,
				clientId: emu.keys.v2.clientId,
				clientSecret: emu.keys.v2.clientSecret,
				authentication: 'body',
			},
		},
		{
			id: CREDENTIAL_IDS.apiKeys,
			name: CREDENTIAL_NAMES.apiKeys,
			type: 'mimecastApi',
			data: {
				region: 'custom',
				baseUrl: emu.baseUrl,
				appId: emu.keys.v1.appId,
				appKey: emu.keys.v1.appKey,
				accessKey: emu.keys.v1.accessKey,
				secretKey: emu.keys.v1.secretKey,
			},
		},
	];
}

/** The `credentials` entry of a Mimecast node for an authentication mode. */
export function mimecastCredentialRef(
	auth: AuthMode,
): Record<string, { id: string; name: string }> {
	return auth === 'oAuth2'
		? { mimecastOAuth2Api: { id: CREDENTIAL_IDS.oAuth2, name: CREDENTIAL_NAMES.oAuth2 } }
		: { mimecastApi: { id: CREDENTIAL_IDS.apiKeys, name: CREDENTIAL_NAMES.apiKeys } };
}

/** The first complete JSON object in text that starts at a line beginning with "{". */
export function extractJson(text: string): unknown {
	const start = text.search(/^\{/m);
	if (start === -1) return undefined;
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return JSON.parse(text.slice(start, i + 1));
		}
	}
	return undefined;
}

/** The JSON of a node's output items in a run: first output, all runs of the node. */
export function nodeItems(
	data: Run['data'] | undefined,
	nodeName: string,
): Array<Record<string, unknown>> {
	const runs = data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((r) => r?.data?.main?.[0] ?? []).map((item) => item.json);
}

/**
 * One n8n home (user folder, SQLite database, installed package) and the commands that drive
 * it. `transcript` keeps everything n8n printed, for the checks that look for leaked secrets.
 */
export class N8nHome {
	transcript = '';
	readonly env: NodeJS.ProcessEnv;
	private server: ChildProcess | undefined;
	private serverExited: Promise<unknown> | undefined;

	static async create(
		opts: {
			name?: string;
			repoDir?: string;
			log?: Log;
			port?: number;
			env?: NodeJS.ProcessEnv;
		} = {},
	): Promise<N8nHome> {
		const paths = ensureN8n();
		installCleanup();
		const userFolder = fs.mkdtempSync(
			path.join(os.tmpdir(), `n8n-mimecast-${opts.name ?? 'e2e'}-`),
		);
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		installPackage(nodesDir, opts.repoDir ?? REPO_DIR);
		homesToRemove.add(userFolder);
		return new N8nHome(
			paths,
			userFolder,
			opts.port ?? (await freePort()),
			await freePort(),
			opts.log ?? (() => {}),
			opts.env ?? {},
		);
	}

	private constructor(
		readonly paths: N8nPaths,
		readonly userFolder: string,
		readonly port: number,
		brokerPort: number,
		private readonly log: Log,
		env: NodeJS.ProcessEnv,
	) {
		this.env = {
			...process.env,
			PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			// The task runner broker has a fixed default port: two n8n at once would collide.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			// Failed test executions must not switch a trigger workflow off behind our back.
			N8N_WORKFLOW_AUTODEACTIVATION_ENABLED: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_PRUNE: 'false',
			N8N_LOG_LEVEL: 'info',
			NODE_ENV: 'production',
			...env,
		};
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get dbPath(): string {
		return path.join(this.userFolder, '.n8n', 'database.sqlite');
	}

	get running(): boolean {
		return this.server !== undefined;
	}

	/**
	 * Runs one n8n CLI command to its end and returns what it printed. Output goes to files,
	 * not pipes: n8n calls process.exit() right after printing, which cuts a large JSON short
	 * on a pipe (writes to a file are synchronous in Node).
	 */
	async cli(
		args: string[],
		{ timeoutMs = 180_000 } = {},
	): Promise<{ code: unknown; stdout: string; stderr: string; output: string }> {
		const started = Date.now();
		const dir = fs.mkdtempSync(path.join(this.userFolder, 'cli-'));
		const outFile = path.join(dir, 'stdout');
		const errFile = path.join(dir, 'stderr');
		const out = fs.openSync(outFile, 'w');
		const err = fs.openSync(errFile, 'w');
		let code: unknown;
		try {
			const child = spawnTracked(this.paths.nodeBin, [this.paths.n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.env,
				stdio: ['ignore', out, err],
			});
			const timer = setTimeout(() => killGroup(child), timeoutMs);
			code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? signal)));
			clearTimeout(timer);
		} finally {
			fs.closeSync(out);
			fs.closeSync(err);
		}
		const stdout = fs.readFileSync(outFile, 'utf8');
		const stderr = fs.readFileSync(errFile, 'utf8');
		fs.rmSync(dir, { recursive: true, force: true });
		this.transcript += `\n$ n8n ${args.join(' ')}\n${stdout}\n${stderr}`;
		this.log(`n8n ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		return { code, stdout, stderr, output: `${stdout}\n${stderr}` };
	}

	private async importFile(kind: 'credentials' | 'workflow', list: unknown[]) {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${kind}-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(list, null, 2), { mode: 0o600 });
		try {
			const result = await this.cli([`import:${kind}`, `--input=${file}`]);
			if (!/Successfully imported/i.test(result.output))
				throw new Error(`n8n import:${kind} failed:\n${result.output.slice(-4000)}`);
			return result;
		} finally {
			// Credentials are in clear text until imported: do not leave them on disk.
			fs.rmSync(file, { force: true });
		}
	}

	importCredentials(credentials: Credential[]) {
		return this.importFile('credentials', credentials);
	}

	importWorkflows(workflows: Workflow[]) {
		return this.importFile('workflow', workflows);
	}

	/**
	 * `n8n execute --id=… --rawOutput`: the run n8n printed, its error when the workflow
	 * failed, and the raw output. Throws only when n8n printed no run at all.
	 */
	async execute(workflowId: string, { timeoutMs = 300_000 } = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
		let run: Run | undefined;
		try {
			run = (extractJson(result.stdout) ?? extractJson(result.output)) as Run | undefined;
		} catch (error) {
			throw new Error(
				`n8n execute --id=${workflowId}: unreadable JSON (${(error as Error).message}):\n${result.output.slice(-4000)}`,
			);
		}
		if (!run?.data?.resultData)
			throw new Error(
				`n8n execute --id=${workflowId} printed no run:\n${result.output.slice(-4000)}`,
			);
		return {
			...result,
			run,
			error: run.data.resultData.error,
			items: (node: string) => nodeItems(run.data, node),
		};
	}

	async publish(workflowId: string) {
		const result = await this.cli(['publish:workflow', `--id=${workflowId}`]);
		// Success prints "Publishing workflow with ID: …"; failures print an error and exit 0 too.
		if (
			!/Publishing workflow/i.test(result.output) ||
			/error|not found|failed/i.test(result.output)
		) {
			throw new Error(
				`n8n publish:workflow --id=${workflowId} failed:\n${result.output.slice(-4000)}`,
			);
		}
		return result;
	}

	/**
	 * `n8n start`, resolved once the editor answers; echo=true shows n8n's log as it runs.
	 * worker=true runs `n8n worker` instead (queue mode), ready when it says so.
	 */
	async start({ timeoutMs = 180_000, echo = false, worker = false } = {}): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		const started = Date.now();
		const args = worker ? ['worker', '--concurrency=5'] : ['start'];
		const child = spawnTracked(this.paths.nodeBin, [this.paths.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env,
		});
		this.server = child;
		const from = this.transcript.length;
		const append = (c: Buffer) => {
			this.transcript += c.toString();
			if (echo) process.stderr.write(c);
		};
		child.stdout?.on('data', append);
		child.stderr?.on('data', append);
		this.serverExited = new Promise((resolve) =>
			child.on('exit', (code, signal) => {
				if (this.server === child) this.server = undefined;
				resolve(code ?? signal);
			}),
		);
		const exited = this.serverExited.then((code) => ({ code }));
		while (Date.now() - started < timeoutMs) {
			const done = await Promise.race([
				exited,
				new Promise<undefined>((r) => setTimeout(() => r(undefined), 500)),
			]);
			if (done) {
				this.server = undefined;
				throw new Error(
					`n8n start exited (${String(done.code)}) before it was ready:\n${this.transcript.slice(from).slice(-4000)}`,
				);
			}
			if (
				worker
					? /n8n worker is now ready/.test(this.transcript.slice(from))
					: /Editor is now accessible via/.test(this.transcript.slice(from)) &&
						(await this.healthy())
			) {
				this.log(
					`n8n ${args[0]} ready${worker ? '' : ` at ${this.url}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
				);
				return;
			}
		}
		await this.stop();
		throw new Error(
			`n8n start was not ready after ${timeoutMs / 1000} s:\n${this.transcript.slice(from).slice(-4000)}`,
		);
	}

	private async healthy(): Promise<boolean> {
		try {
			return (await fetch(`${this.url}/healthz/readiness`)).ok;
		} catch {
			return false;
		}
	}

	/** Stops `n8n start`, gracefully first so it shuts down as on a real restart. */
	async stop({ graceMs = 15_000 } = {}): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child), graceMs);
		await this.serverExited;
		clearTimeout(timer);
		this.log('n8n stopped');
	}

	/** Kills the running n8n (and its task runner) at once, as a crash or an OOM kill would. */
	async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		const child = this.server;
		if (!child) return;
		killGroup(child, signal);
		await this.serverExited;
		this.log(`n8n killed (${signal})`);
	}

	/** Executions saved in n8n's database, oldest first, with their run data. */
	async executions({ workflowId }: { workflowId?: string } = {}): Promise<Execution[]> {
		if (this.env.DB_TYPE === 'postgresdb')
			return await postgresExecutions(this.paths.dir, this.env, workflowId);
		const script = `
			const { createRequire } = require('node:module');
			const req = createRequire(${JSON.stringify(path.join(this.paths.dir, 'node_modules', 'n8n', 'package.json'))});
			const sqlite3 = req('sqlite3');
			const { parse } = req('flatted');
			const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY);
			const where = process.argv[2] ? 'WHERE e.workflowId = ?' : '';
			db.all(
				'SELECT e.id, e.workflowId, e.status, e.mode, e.startedAt, e.stoppedAt, d.data ' +
				'FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ' + where + ' ORDER BY e.id',
				process.argv[2] ? [process.argv[2]] : [],
				(err, rows) => {
					if (err) { console.error(err.message); process.exit(2); }
					process.stdout.write(JSON.stringify(rows.map((r) => ({ ...r, data: r.data ? parse(r.data) : undefined }))));
					db.close();
				},
			);`;
		const child = spawnTracked(this.paths.nodeBin, ['-e', script, this.dbPath, workflowId ?? ''], {
			cwd: this.userFolder,
			env: this.env,
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
		const code = await new Promise((resolve) => child.on('close', resolve));
		if (code !== 0) throw new Error(`reading executions from ${this.dbPath} failed: ${stderr}`);
		return JSON.parse(stdout) as Execution[];
	}

	/** Stops n8n and removes the home unless asked to keep it (to look at after a failure). */
	async dispose({ keep = false } = {}): Promise<void> {
		await this.stop();
		homesToRemove.delete(this.userFolder);
		if (keep) this.log(`kept the n8n home at ${this.userFolder}`);
		else fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}
