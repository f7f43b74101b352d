import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** Recorded third-party payloads, with their sources and licences (see its README). */
export const SAMPLES_DIR = resolve(__dirname, '../fixtures/samples');

export function readSample(path: string): string {
	return readFileSync(resolve(SAMPLES_DIR, path), 'utf8');
}

/** One JSON value per line; lines that are whole envelopes (an upstream quirk) are skipped. */
export function sampleRecords(path: string): Array<Record<string, unknown>> {
	return readSample(path)
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as Record<string, unknown>)
		.filter((value) => !('meta' in value && 'data' in value));
}

/**
 * Serves fixed Mimecast envelopes on loopback: how the nodes meet payloads written by
 * Mimecast (via third parties' fixtures) rather than by our emulator.
 */
export async function serveEnvelopes(
	envelopes: Record<string, unknown>,
): Promise<{ baseUrl: string; close: () => Promise<void> }> {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const body = envelopes[req.url ?? ''];
			res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify(
					body ?? {
						meta: { status: 404 },
						data: [],
						fail: [{ errors: [{ code: 'err_not_found', message: 'no sample' }] }],
					},
				),
			);
		});
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		close: () => new Promise((done) => server.close(() => done())),
	};
}
