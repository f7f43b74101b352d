/**
 * `npm run emulator [-- --port 8787 --seed 1 --grow]`: a realistic tenant to point n8n at.
 * The keys printed are the emulator's own (derived from the seed), not secrets.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import { LOG_KINDS } from './data/kinds';

const USAGE = `Usage: npm run emulator -- [--port 8787] [--seed 1] [--grow] [--tenant small|realistic|empty] [--quiet]`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			seed: { type: 'string', default: '1' },
			tenant: { type: 'string', default: 'realistic' },
			grow: { type: 'boolean', default: false },
			quiet: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const port = Number(values.port);
	const seed = Number(values.seed);
	const tenant = values.tenant;
	if (!Number.isInteger(port) || !Number.isInteger(seed) || !['small', 'realistic', 'empty'].includes(tenant ?? '')) {
		process.stderr.write(`${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	const emu = await startEmulator({
		port,
		seed,
		tenant: tenant as 'small' | 'realistic' | 'empty',
		logRequests: !values.quiet,
	});
	if (values.grow)
		emu.data.startGrowth({
			everyMs: 5000,
			perTick: 3,
			kinds: [...LOG_KINDS, 'siemFiles', 'batchFiles'],
		});

	const { v1, v2 } = emu.keys;
	process.stdout.write(
		[
			`Mimecast emulator listening on ${emu.baseUrl} (tenant ${tenant}, seed ${seed}${values.grow ? ', growing' : ''})`,
			'',
			'API 1.0 credentials (Mimecast API):',
			`  Base URL        ${emu.baseUrl}          (region grids: ${emu.regionBaseUrl('eu')}, ...; keys belong to eu)`,
			`  Application ID  ${v1.appId}`,
			`  Application Key ${v1.appKey}`,
			`  Access Key      ${v1.accessKey}`,
			`  Secret Key      ${v1.secretKey}`,
			'',
			'API 2.0 credentials (Mimecast OAuth2 API):',
			`  Base URL        ${emu.baseUrl}`,
			`  Token URL       ${emu.baseUrl}/oauth/token`,
			`  Client ID       ${v2.clientId}`,
			`  Client Secret   ${v2.clientSecret}`,
			'',
			'Ctrl-C to stop.',
			'',
		].join('\n'),
	);

	let closing = false;
	const stop = (): void => {
		if (closing) return;
		closing = true;
		emu.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
	process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
	process.exit(1);
});
