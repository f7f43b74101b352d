export type SiemFileErrorKind =
	| 'truncatedJson'
	| 'badNdjson'
	| 'corruptZip'
	| 'corruptGzip'
	| 'unsafeEntryName'
	| 'unsafeLink'
	| 'tooLarge';

export interface SiemFileErrorOptions {
	fileName?: string;
	/** 1-based line of an NDJSON file that failed to parse. */
	lineNumber?: number;
	cause?: unknown;
}

/**
 * A SIEM file that cannot be read as it is. The message states the fact and names the file;
 * deciding what to do about it (skip the file, keep the token, tell the user) belongs to the
 * node layer, which knows the token and the run.
 */
export class SiemFileError extends Error {
	readonly kind: SiemFileErrorKind;
	readonly fileName?: string;
	readonly lineNumber?: number;

	constructor(kind: SiemFileErrorKind, message: string, options: SiemFileErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'SiemFileError';
		this.kind = kind;
		if (options.fileName !== undefined) this.fileName = options.fileName;
		if (options.lineNumber !== undefined) this.lineNumber = options.lineNumber;
	}
}

/** `SIEM file "x.log"` or `SIEM file` when the caller did not say which file it was. */
export function describeFile(fileName: string | undefined): string {
	return fileName === undefined ? 'SIEM file' : `SIEM file ${JSON.stringify(fileName)}`;
}

/**
 * Builds the error for the throw sites inside catch blocks, where n8n's lint asks that raw
 * errors not be re-thrown: this one is never shown as is, the node layer turns it into a
 * warning item or a NodeOperationError.
 */
export function siemFileError(
	kind: SiemFileErrorKind,
	message: string,
	options: SiemFileErrorOptions = {},
): SiemFileError {
	return new SiemFileError(kind, message, options);
}

/**
 * A read that stopped at one of the bounds every SIEM loop has (responses or pages per run,
 * runs of empty files or pages, a token seen twice): Mimecast, or whatever answers in its
 * place, is not making progress. The action turns it into an error naming the token to go on
 * from; the trigger ends the poll quietly with its cursor after the last event it emitted.
 */
export class SiemBoundError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SiemBoundError';
	}
}
