import { after, before } from 'node:test';

import { Settings } from 'luxon';

/**
 * A clock the suite moves by hand, shared by the package (all its date work goes through
 * luxon) and the emulator (its `now` option), so hours of polling run in seconds.
 */
export class FakeClock {
	constructor(public ms: number = Math.floor(Date.now() / 1000) * 1000) {}

	now = (): number => this.ms;

	advance(ms: number): number {
		this.ms += ms;
		return this.ms;
	}
}

export function useFakeClock(clock: FakeClock): void {
	const saved = Settings.now;
	before(() => {
		Settings.now = clock.now;
	});
	after(() => {
		Settings.now = saved;
	});
}
