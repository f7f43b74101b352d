import type { SiemFileError } from './errors';

/**
 * A file over the per-file or per-run cap (a zip bomb, or a genuinely huge file). It is not
 * skipped like a corrupt file, since the caps are the user's to raise, so the read stops with
 * an error; `after` is the position that skips past the file, for a user who wants that.
 */
export class SiemCapError<P> extends Error {
	constructor(
		readonly error: SiemFileError,
		readonly before: P,
		readonly after: P,
	) {
		super(error.message);
		this.name = 'SiemCapError';
	}
}
