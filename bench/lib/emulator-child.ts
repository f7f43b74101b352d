/**
 * Bench-only launcher: runs the emulator in its own process, so the process a figure measures
 * holds only the package (and its baseline), and the emulator's own CPU and memory (it keeps
 * every generated event) stay out of the measured process. Driven over IPC by emulator.ts.
 *
 * `cacheSiem` memoises get-siem-logs answers by request (token, format, compress): the emulator
 * renders a SIEM file (JSON.stringify + deflate) on every call, which would otherwise be counted
 * as the package's time in throughput figures. A cached answer is the byte-identical reply the
 * emulator gave the first time for the same request; only the request signature is not checked
 * again (its cost is on the emulator side, not in the measured process).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

import { signRequest } from '../../nodes/Mimecast/core/signing.ts';
import { startEmulator } from '../../test/emulator/index.ts';
import { renderSiemFile } from '../../test/emulator/siem-v1.ts';
import type {
	Emulator,
	EmulatorOptions,
	SiemFile,
	SiemFileOptions,
} from '../../test/emulator/types.ts';

export type ChildCommand =
	| { cmd: 'start'; options: EmulatorOptions; nowLagMs?: number }
	| { cmd: 'addSiemFiles'; n: number; opts?: SiemFileOptions }
	| { cmd: 'materialiseSiem' }
	| { cmd: 'fillSiem'; targetBytes: number; eventsPerFile: number; distinct: number }
	| { cmd: 'cacheSiem'; on: boolean; prefetch?: boolean }
	| { cmd: 'requestStats' }
	| { cmd: 'close' };

interface Cached {
	status: number;
	headers: Record<string, string | number | string[]>;
	body: Buffer;
}

const SIEM_PATH = '/api/audit/get-siem-logs';
const PREFETCH_HEADER = 'x-bench-prefetch';

let emu: Emulator | undefined;
let connections = 0;
let cacheOn = false;
let prefetchOn = false;
const cache = new Map<string, Cached>();
const inflight = new Map<string, Promise<void>>();

function siemKey(token: unknown, format: unknown, compress: unknown): string {
	return JSON.stringify([
		token ?? '',
		String(format ?? 'key_value').toLowerCase(),
		compress === true,
	]);
}

function keyOfBody(body: Buffer): { key: string; format: unknown; compress: unknown } | undefined {
	try {
		const item =
			(JSON.parse(body.toString('utf8')) as { data?: Array<Record<string, unknown>> }).data?.[0] ??
			{};
		return {
			key: siemKey(item.token, item.fileFormat, item.compress),
			format: item.fileFormat,
			compress: item.compress,
		};
	} catch {
		return undefined;
	}
}

function send(res: ServerResponse, hit: Cached): void {
	res.writeHead(hit.status, hit.headers);
	res.end(hit.body);
}

/**
 * With prefetch on, serving one chain response asks the emulator (through its own HTTP
 * pipeline, signed like any client) for the next one right away, so it is rendered while the
 * client is still busy with this one: one response of look-ahead, on the emulator's core.
 */
function prefetchAfter(served: Cached, format: unknown, compress: unknown): void {
	if (!prefetchOn || String(served.headers['content-type'] ?? '').includes('json')) return;
	const next = served.headers['mc-siem-token'];
	if (typeof next !== 'string') return;
	const key = siemKey(next, format, compress);
	if (cache.has(key) || inflight.has(key)) return;
	const body = JSON.stringify({
		data: [{ type: 'MTA', token: next, fileFormat: format, compress }],
	});
	const done = fetch(`${emu!.baseUrl}${SIEM_PATH}`, {
		method: 'POST',
		headers: {
			...signRequest(emu!.keys.v1, SIEM_PATH),
			'content-type': 'application/json',
			[PREFETCH_HEADER]: '1',
		},
		body,
	})
		.then((r) => r.arrayBuffer())
		.then(
			() => undefined,
			() => undefined,
		)
		.finally(() => inflight.delete(key));
	inflight.set(key, done);
}

/** Runs the emulator's own handler on an already-read body; keeps a 200 answer in the cache. */
function renderThrough(
	original: (req: IncomingMessage, res: ServerResponse) => void,
	req: IncomingMessage,
	res: ServerResponse,
	body: Buffer,
	key: string | undefined,
	onCached: (c: Cached) => void,
): void {
	const replay = Object.assign(Readable.from([body]), {
		method: req.method,
		url: req.url,
		headers: req.headers,
		socket: req.socket,
		httpVersion: req.httpVersion,
	}) as unknown as IncomingMessage;
	let status = 200;
	let headers: Record<string, string | number | string[]> = {};
	const writeHead = res.writeHead.bind(res);
	res.writeHead = ((s: number, h?: Record<string, string | number | string[]>) => {
		status = s;
		headers = { ...(h ?? {}) };
		return writeHead(s, h);
	}) as typeof res.writeHead;
	const end = res.end.bind(res);
	res.end = ((data?: Buffer | string) => {
		if (key !== undefined && status === 200 && data !== undefined) {
			const c = { status, headers, body: Buffer.isBuffer(data) ? data : Buffer.from(data) };
			cache.set(key, c);
			onCached(c);
		}
		return end(data);
	}) as typeof res.end;
	original(replay, res);
}

/** Wraps the emulator's request listener: get-siem-logs answers are replayed when cached. */
function installSiemCache(server: Server): void {
	const [original] = server.listeners('request') as Array<
		(req: IncomingMessage, res: ServerResponse) => void
	>;
	server.removeAllListeners('request');
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		if (!cacheOn || req.method !== 'POST' || !(req.url ?? '').endsWith(SIEM_PATH))
			return original(req, res);
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const parsed = keyOfBody(body);
			const isPrefetch = req.headers[PREFETCH_HEADER] === '1';
			const serve = (): void => {
				const hit = parsed === undefined ? undefined : cache.get(parsed.key);
				if (hit && !isPrefetch) {
					send(res, hit);
					prefetchAfter(hit, parsed!.format, parsed!.compress);
					return;
				}
				renderThrough(original, req, res, body, parsed?.key, (c) => {
					if (!isPrefetch && parsed) prefetchAfter(c, parsed.format, parsed.compress);
				});
			};
			const pending = parsed && !isPrefetch ? inflight.get(parsed.key) : undefined;
			if (pending) void pending.then(serve);
			else serve();
		});
	});
}

async function handle(msg: ChildCommand): Promise<unknown> {
	switch (msg.cmd) {
		case 'start': {
			// Functions do not cross IPC: a clock running `nowLagMs` behind real time is built here.
			const lag = msg.nowLagMs;
			emu = await startEmulator(
				lag ? { ...msg.options, now: () => Date.now() - lag } : msg.options,
			);
			const server = (emu as unknown as { server: Server }).server;
			server.on('connection', () => connections++);
			installSiemCache(server);
			return { baseUrl: emu.baseUrl, keys: emu.keys, ca: emu.ca };
		}
		case 'addSiemFiles': {
			const files = emu!.data.addSiemFiles(msg.n, msg.opts);
			return { files: files.length };
		}
		case 'materialiseSiem': {
			// Generates every held file's events now (they are lazy), so generation does not
			// happen while a figure is being measured.
			let events = 0;
			for (const f of emu!.data.siemFiles()) events += f.events.length;
			return { events };
		}
		case 'fillSiem': {
			// Adds files until their JSON renderings (what get-siem-logs serves, uncompressed)
			// reach targetBytes. The first `distinct` files get events from the emulator's
			// generators; later files reuse the events of the distinct file of the same log type.
			// Each file is still rendered and compressed on its own, so what the client receives
			// is the same as with all-new events, and a 1 GiB backlog is ready in seconds instead
			// of a minute, without the emulator holding gigabytes of event objects.
			const distinct = Math.max(10, Math.ceil(msg.distinct / 10) * 10);
			const pool: Array<{ events: SiemFile['events']; bytes: number }> = [];
			let bytes = 0;
			let files = 0;
			let events = 0;
			while (bytes < msg.targetBytes) {
				const [file] = emu!.data.addSiemFiles(1, { events: msg.eventsPerFile });
				if (files < distinct) {
					pool.push({ events: file.events, bytes: renderSiemFile(file, 'json').length });
				} else {
					// Log types come round-robin in tens, so index % distinct has this file's type.
					Object.defineProperty(file, 'events', {
						value: pool[files % distinct].events,
						enumerable: true,
					});
				}
				bytes += pool[files % distinct].bytes;
				events += file.events.length;
				files++;
			}
			return { files, events, bytes };
		}
		case 'cacheSiem':
			cacheOn = msg.on;
			prefetchOn = msg.on && msg.prefetch === true;
			if (!msg.on) cache.clear();
			return { cached: cache.size };
		case 'requestStats': {
			const byStatus: Record<string, number> = {};
			for (const r of emu!.requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
			const total = emu!.requests.length;
			emu!.clearRequests();
			const opened = connections;
			connections = 0;
			return { total, byStatus, connections: opened };
		}
		case 'close':
			await emu?.close();
			setImmediate(() => process.exit(0));
			return {};
	}
}

process.on('message', (msg: ChildCommand & { id: number }) => {
	handle(msg).then(
		(result) => process.send!({ id: msg.id, ok: true, result }),
		(error: unknown) =>
			process.send!({
				id: msg.id,
				ok: false,
				error: error instanceof Error ? error.stack : String(error),
			}),
	);
});
process.on('disconnect', () => process.exit(0));
