import type { IDataObject } from 'n8n-workflow';

import type { Caps } from '../siem/archive';
import { decodeUtf8, unzipLogFiles } from '../siem/archive';
import { parsePipeCsv } from './csv';
import { feedFormatError } from './errors';
import { indicatorsFromBundle } from './stix';

export type FeedFileType = 'stix' | 'csv';

/**
 * Records of one feed answer. Uncompressed, the body is the STIX bundle (JSON) or the CSV
 * text; with `compress` it is a zip of such files (mimecast-api-more.md §4), read with the
 * package's bounded zip reader. Each file is read by its content, whatever the request asked:
 * a zip may mix names, and a misread would be silent.
 */
export async function feedRecords(
	bytes: Uint8Array,
	fileType: FeedFileType,
	caps: Caps,
): Promise<IDataObject[]> {
	if (!isZip(bytes)) return fileRecords(bytes, fileType);
	const records: IDataObject[] = [];
	for await (const file of unzipLogFiles(bytes, caps)) {
		for (const record of fileRecords(file.data, fileType, file.name)) records.push(record);
	}
	return records;
}

function fileRecords(bytes: Uint8Array, fileType: FeedFileType, fileName?: string): IDataObject[] {
	const text = decodeUtf8(bytes);
	const start = text.search(/\S/);
	if (start === -1) return [];
	const looksJson = text[start] === '{';
	if (!looksJson && fileType === 'stix' && !/\.csv$/i.test(fileName ?? '')) {
		throw feedFormatError(
			'Mimecast sent text that is not a STIX bundle where STIX was asked for',
			fileName,
		);
	}
	if (!looksJson) return parsePipeCsv(text, fileName);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw feedFormatError(
			`The STIX answer is not complete JSON (${(error as Error).message}); it may be cut off`,
			fileName,
		);
	}
	return indicatorsFromBundle(json, fileName);
}

/** The local file header signature of a zip, `PK\x03\x04` (or an empty zip's `PK\x05\x06`). */
function isZip(bytes: Uint8Array): boolean {
	return (
		bytes.length >= 4 &&
		bytes[0] === 0x50 &&
		bytes[1] === 0x4b &&
		(bytes[2] === 3 || bytes[2] === 5) &&
		bytes[3] === bytes[2] + 1
	);
}
