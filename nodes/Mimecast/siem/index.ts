export { SiemFileError } from './errors';
export type { SiemFileErrorKind, SiemFileErrorOptions } from './errors';
export {
	parseKeyValueLine,
	parseKeyValueFile,
	iterateKeyValueLines,
	serializeKeyValue,
	UNPARSED_FIELD,
} from './keyValue';
export type { KeyValueOptions } from './keyValue';
export { parseJsonLogFile, parseNdjson, iterateNdjson } from './jsonFile';
export { unzipLogFiles, gunzip, decodeUtf8, isUnsafeEntryName } from './archive';
export type { Caps, LogFileEntry } from './archive';
export { siemLogTypeFromFileName, parseContentDisposition, SIEM_LOG_TYPES } from './fileName';
export type { SiemFileNameInfo } from './fileName';
export { describeSiemToken } from './token';
export type { SiemTokenInfo } from './token';
