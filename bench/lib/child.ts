/** Runs a bench script in a fresh node process and returns the JSON object it printed last. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function runScript(
	script: string,
	env: Record<string, string> = {},
	nodeArgs: string[] = [],
): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', '--expose-gc', ...nodeArgs, join(__dirname, '..', script)],
			{
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => {
			const last = out.trim().split('\n').pop() ?? '';
			try {
				const parsed = JSON.parse(last) as Record<string, unknown>;
				if (code !== 0) throw new Error(`exit ${code}`);
				resolve(parsed);
			} catch {
				reject(new Error(`${script} failed (exit ${code}): ${out.slice(-2000)}`));
			}
		});
	});
}
