/**
 * The local Mimecast emulator: API 1.0 (HMAC) and API 2.0 (OAuth 2.0) on one 127.0.0.1 port,
 * with a seeded tenant and fault injection. See README.md.
 *
 *   const emu = await startEmulator({ tenant: 'small' });
 *   // ... point a client at emu.baseUrl with emu.keys ...
 *   await emu.close();
 */
import { EmulatorServer } from './server';
import type { Emulator, EmulatorOptions } from './types';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return new EmulatorServer(options).listen();
}

export { REGIONS } from './server';
export type * from './types';
