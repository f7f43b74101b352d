/** The SIEM parsers in one import, for the tests (not shipped: dist/ has no barrel). */
export { SiemFileError } from '../../nodes/Mimecast/siem/errors';
export type { SiemFileErrorKind, SiemFileErrorOptions } from '../../nodes/Mimecast/siem/errors';
export {
	parseKeyValueLine,
	parseKeyValueFile,
	UNPARSED_FIELD,
} from '../../nodes/Mimecast/siem/keyValue';
export type { KeyValueOptions } from '../../nodes/Mimecast/siem/keyValue';
export { parseJsonLogFile, parseNdjson } from '../../nodes/Mimecast/siem/jsonFile';
export {
	unzipLogFiles,
	gunzip,
	decodeUtf8,
	isUnsafeEntryName,
} from '../../nodes/Mimecast/siem/archive';
export type { Caps, LogFileEntry } from '../../nodes/Mimecast/siem/archive';
export {
	parseSiemFileName,
	parseContentDisposition,
	SIEM_FILE_PREFIXES,
} from '../../nodes/Mimecast/siem/fileName';
export type { SiemFileNameInfo } from '../../nodes/Mimecast/siem/fileName';
export { describeSiemToken } from '../../nodes/Mimecast/siem/token';
export type { SiemTokenInfo } from '../../nodes/Mimecast/siem/token';
export { serializeKeyValue } from './keyValueWriter';
