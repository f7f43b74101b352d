import type { IDataObject } from 'n8n-workflow';

import type { SiemFileError } from './errors';

/**
 * A log file read by either API, as the emit step sees it. `P` is the API's position type;
 * `before` is where the file's first event is, `after` where the next file starts.
 */
export interface SiemFileUnit<P> {
	kind: 'file';
	/** The SIEM log type as Mimecast names it (API 1.0: from the file name; 2.0: the batch type). */
	siemType: string;
	fileName: string;
	/** What Output Files attaches: the log file (1.0) or the gzip as downloaded (2.0). */
	content: Uint8Array;
	/** Decompressed bytes, counted against Max Size per Run. */
	size: number;
	events: IDataObject[];
	/** Events before this one were emitted by an earlier run. */
	firstEvent: number;
	before: P;
	after: P;
}

/** A file that could not be read; reading goes on at `after`. */
export interface SiemCorruptUnit<P> {
	kind: 'corrupt';
	siemType: string;
	fileName: string;
	error: SiemFileError;
	before: P;
	after: P;
	/** API 1.0: a damaged zip, this entry and the rest of the zip are skipped together. */
	restOfZip?: boolean;
}

export type SiemUnit<P> = SiemFileUnit<P> | SiemCorruptUnit<P>;
