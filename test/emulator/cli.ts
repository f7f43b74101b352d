/**
 * `npm run emulator [-- --port 8787 --seed 1 --grow]`: a realistic tenant to point n8n at.
 * The keys printed are the emulator's own (derived from the seed), not secrets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import { LOG_KINDS } from './data/kinds';

const USAGE = `Usage: npm run emulator -- [--port 8787] [--seed 1] [--grow] [--tenant small|realistic|empty] [--quiet]
       [--latency MS] [--jitter MS] [--tls]   (per-response delay, seeded jitter; HTTPS with a fresh self-signed certificate)`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			seed: { type: 'string', default: '1' },
			tenant: { type: 'string', default: 'realistic' },
			grow: { type: 'boolean', default: false },
			quiet: { type: 'boolean', default: false },
			latency: { type: 'string', default: '0' },
			jitter: { type: 'string', default: '0' },
			tls: { type: 'boolean', default: false },
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
	const latency = Number(values.latency);
	const jitter = Number(values.jitter);
	if (!(latency >= 0) || !(jitter >= 0)) {
		process.stderr.write(`--latency and --jitter take milliseconds (0 or more)\n${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	if (
		!Number.isInteger(port) ||
		!Number.isInteger(seed) ||
		!['small', 'realistic', 'empty'].includes(tenant ?? '')
	) {
		process.stderr.write(`${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	const emu = await startEmulator({
		port,
		seed,
		tenant: tenant as 'small' | 'realistic' | 'empty',
		logRequests: !values.quiet,
		latency: { ms: latency, jitterMs: jitter },
		tls: values.tls,
	});
	let caNote: string[] = [];
	if (emu.ca) {
		// The CA is not a secret (its key stays in this process); a file lets n8n trust it.
		const caFile = path.join(os.tmpdir(), `mimecast-emulator-ca-${process.pid}.pem`);
		fs.writeFileSync(caFile, emu.ca);
		process.on('exit', () => fs.rmSync(caFile, { force: true }));
		caNote = [
			`TLS: self-signed certificate for 127.0.0.1 in ${caFile}`,
			`  start n8n with NODE_EXTRA_CA_CERTS=${caFile} to trust it (that n8n process only)`,
		];
	}
	if (values.grow)
		emu.data.startGrowth({
			everyMs: 5000,
			perTick: 3,
			kinds: [...LOG_KINDS, 'siemFiles', 'batchFiles'],
		});
	if (values.grow) emu.threatFeed.startGrowth({ everyMs: 5000, perTick: 1 });

	const { v1, v2 } = emu.keys;
	process.stdout.write(
		[
			`Mimecast emulator listening on ${emu.baseUrl} (tenant ${tenant}, seed ${seed}${values.grow ? ', growing' : ''})`,
			'',
			// Labels as n8n shows them, so the values can be typed field by field.
			'n8n credential "Mimecast API 1.0 Access Key API":',
			'  Region          Custom',
			`  Base URL        ${emu.baseUrl}`,
			`  Application ID  ${v1.appId}`,
			`  Application Key ${v1.appKey}`,
			`  Access Key      ${v1.accessKey}`,
			`  Secret Key      ${v1.secretKey}`,
			`  (Like Mimecast, the emulator also serves one URL per region, e.g. ${emu.regionBaseUrl('eu')};`,
			'   these keys belong to the eu region, so another region answers err_audit_log_incorrect_region.)',
			'',
			'n8n credential "Mimecast API 2.0 OAuth2 API":',
			'  Region          Custom',
			`  Base URL        ${emu.baseUrl}`,
			`  Client ID       ${v2.clientId}`,
			`  Client Secret   ${v2.clientSecret}`,
			`  (n8n fetches tokens from ${emu.baseUrl}/oauth/token by itself: there is no field for it.)`,
			'',
			...caNote,
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
