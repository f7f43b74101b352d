import type { IDataObject } from 'n8n-workflow';

import type { SiemFileError } from './errors';

/**
 * The items both SIEM nodes return. Every item carries `resumeToken`: the Start Token that
 * continues right after it (siem/resumeToken.ts), so a workflow can store the last item's
 * token and pass it back next run.
 *
 * Output "Events" (default), one item per event:
 *   { logType, fileName, resumeToken, event }
 *   - logType (in code: siemType): API 1.0 the file-name prefix (receipt, process, delivery, av, spameventthread,
 *     internal, impersonation, ttp_url, ttp_ap, iep, jrnl); API 2.0 the batch type as Mimecast
 *     names it (receipt, …, 'internal email protect', 'url protect', …, journal)
 *   - fileName: the log file the event came from
 *   - event: the event as Mimecast wrote it (json), or parsed from its key_value line
 *
 * Output "Files", one item per log file, its bytes in binary property `data`:
 *   { logType, fileName, resumeToken, eventCount, size }
 *   - API 1.0: the log file (.json or .log) as Mimecast wrote it, unzipped
 *   - API 2.0: the gzip file as downloaded (.json.gz, NDJSON inside); size is decompressed
 *
 * A file that cannot be read (truncated JSON, a broken zip or gzip, zip entries with paths)
 * is skipped, and in its place comes, with either output:
 *   { warning, fileName, logType, retryToken, resumeToken }
 *   - retryToken: the Start Token that fetches that file again
 */
export interface SiemEventJson extends IDataObject {
	logType: string;
	fileName: string;
	resumeToken: string;
	event: IDataObject;
}

export interface SiemFileJson extends IDataObject {
	logType: string;
	fileName: string;
	resumeToken: string;
	eventCount: number;
	size: number;
}

export interface SiemWarningJson extends IDataObject {
	warning: string;
	fileName: string;
	logType: string;
	retryToken: string;
	resumeToken: string;
}

export function eventJson(
	siemType: string,
	fileName: string,
	resumeToken: string,
	event: IDataObject,
): SiemEventJson {
	return { logType: siemType, fileName, resumeToken, event };
}

export function fileJson(
	siemType: string,
	fileName: string,
	resumeToken: string,
	eventCount: number,
	size: number,
): SiemFileJson {
	return { logType: siemType, fileName, resumeToken, eventCount, size };
}

export function warningJson(
	error: SiemFileError,
	fileName: string,
	siemType: string,
	retryToken: string,
	resumeToken: string,
	restOfZip = false,
): SiemWarningJson {
	const rest = restOfZip
		? ' It and any files after it in the same zip were skipped'
		: ' It was skipped';
	return {
		warning: `Could not read SIEM file ${JSON.stringify(fileName)}: ${error.message}.${rest}; reading went on with the next file. Its retryToken as Start Token fetches it again.`,
		fileName,
		logType: siemType,
		retryToken,
		resumeToken,
	};
}

export function mimeTypeOf(fileName: string): string {
	const lower = fileName.toLowerCase();
	if (lower.endsWith('.gz')) return 'application/gzip';
	if (lower.endsWith('.json')) return 'application/json';
	return 'text/plain';
}
