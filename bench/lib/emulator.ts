/** Parent side of emulator-child.ts: starts the emulator in a child process and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { EmulatorOptions, SiemFileOptions } from '../../test/emulator/types.ts';
import type { ChildCommand } from './emulator-child.ts';

export interface RemoteEmulator {
	baseUrl: string;
	keys: {
		v1: { appId: string; appKey: string; accessKey: string; secretKey: string };
		v2: { clientId: string; clientSecret: string };
	};
	pid: number;
	/** With options.tls: the certificate to trust (PEM). */
	ca?: string;
	addSiemFiles(n: number, opts?: SiemFileOptions): Promise<number>;
	/** Generates the events of every held SIEM file now; returns how many there are. */
	materialiseSiem(): Promise<number>;
	/** Replay get-siem-logs answers from memory; `prefetch`: render the next chain response ahead. */
	cacheSiem(on: boolean, prefetch?: boolean): Promise<void>;
	/** Adds SIEM files until their uncompressed JSON reaches targetBytes. */
	fillSiem(
		targetBytes: number,
		eventsPerFile: number,
		distinct?: number,
	): Promise<{ files: number; events: number; bytes: number }>;
	/** Requests (by HTTP status) and TCP connections since the last call (then forgets them). */
	requestStats(): Promise<{ total: number; byStatus: Record<string, number>; connections: number }>;
	close(): Promise<void>;
}

/** `nowLagMs`: the emulator's clock runs that far behind real time (data ends in the past). */
export async function startRemoteEmulator(
	options: Omit<EmulatorOptions, 'now'>,
	heapMb = 4096,
	nowLagMs?: number,
): Promise<RemoteEmulator> {
	const child: ChildProcess = fork(join(__dirname, 'emulator-child.ts'), [], {
		execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMb}`],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let nextId = 1;
	const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	child.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
		const p = pending.get(msg.id);
		if (!p) return;
		pending.delete(msg.id);
		if (msg.ok) p.resolve(msg.result);
		else p.reject(new Error(`emulator child: ${msg.error}`));
	});
	child.on('exit', (code) => {
		for (const p of pending.values()) p.reject(new Error(`emulator child exited (${code})`));
		pending.clear();
	});
	const call = <T>(command: ChildCommand): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			child.send({ ...command, id });
		});
	const started = await call<{ baseUrl: string; keys: RemoteEmulator['keys']; ca?: string }>({
		cmd: 'start',
		options,
		nowLagMs,
	});
	return {
		...started,
		pid: child.pid!,
		addSiemFiles: async (n, opts) =>
			(await call<{ files: number }>({ cmd: 'addSiemFiles', n, opts })).files,
		materialiseSiem: async () =>
			(await call<{ events: number }>({ cmd: 'materialiseSiem' })).events,
		fillSiem: (targetBytes, eventsPerFile, distinct = 40) =>
			call({ cmd: 'fillSiem', targetBytes, eventsPerFile, distinct }),
		cacheSiem: async (on, prefetch = false) =>
			void (await call({ cmd: 'cacheSiem', on, prefetch })),
		requestStats: () => call({ cmd: 'requestStats' }),
		close: async () => {
			await call({ cmd: 'close' }).catch(() => undefined);
			await new Promise<void>((resolve) =>
				child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
			);
		},
	};
}
