/**
 * A threat intel feed answer that cannot be read as it is: a STIX bundle of the wrong shape,
 * a CSV row that does not fit its header. The message names the file and the place; the node
 * layer turns it into a NodeOperationError that says what to do.
 */
export class FeedFormatError extends Error {
	readonly fileName?: string;

	constructor(message: string, fileName?: string) {
		super(fileName === undefined ? message : `${message} (in ${JSON.stringify(fileName)})`);
		this.name = 'FeedFormatError';
		if (fileName !== undefined) this.fileName = fileName;
	}
}

/** For throw sites inside catch blocks, where n8n's lint asks that raw errors not be re-thrown. */
export function feedFormatError(message: string, fileName?: string): FeedFormatError {
	return new FeedFormatError(message, fileName);
}
