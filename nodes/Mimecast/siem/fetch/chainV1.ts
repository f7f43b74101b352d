import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mimecastRequest } from '../../transport/request';
import type { MimecastContext, MimecastEnvelope } from '../../transport/types';
import type { Caps } from '../archive';
import { decodeUtf8, unzipLogFiles } from '../archive';
import { SiemCapError } from '../capError';
import { SiemBoundError, SiemFileError } from '../errors';
import { parseContentDisposition, siemLogTypeFromFileName } from '../fileName';
import { parseJsonLogFile } from '../jsonFile';
import { parseKeyValueFile } from '../keyValue';
import type { V1Position } from '../resumeToken';
import { describeSiemToken } from '../token';

export type V1Format = 'json' | 'key_value';

export interface ChainOptions {
	path: string;
	/** `data[0].type`: MTA, the only type Mimecast serves. */
	type: string;
	format: V1Format;
	compress: boolean;
	/** key_value only: numbers and booleans as such instead of strings. */
	typed: boolean;
	caps: Caps;
	permission: string;
	operation: string;
	itemIndex?: number;
	deadline?: number;
	/**
	 * Files published before this (epoch ms) are passed over without being parsed: how a
	 * trigger that starts "now" reaches the end of the chain. Whole responses whose next token
	 * is older are not even decompressed.
	 */
	skipBefore?: number;
	/** Whether to stop before fetching another response (a cap or the poll budget). */
	shouldStop?: () => boolean;
}

/** One log file of the chain, parsed. Events before `firstEvent` were read by an earlier run. */
export interface ChainFile {
	kind: 'file';
	fileName: string;
	logType: string;
	/** Decompressed bytes of the file as Mimecast wrote it. */
	data: Uint8Array;
	events: IDataObject[];
	firstEvent: number;
	/** Position of this file's first event, and of the first event after it. */
	before: V1Position;
	after: V1Position;
}

/** A file (or a whole response) that could not be read; the chain goes on after it. */
export interface ChainCorrupt {
	kind: 'corrupt';
	error: SiemFileError;
	fileName: string;
	logType: string;
	/** Where the unreadable part starts (fetches it again) and where reading goes on. */
	before: V1Position;
	after: V1Position;
	/** A damaged zip: this entry and those after it in the same zip are skipped together. */
	restOfZip: boolean;
}

/** Files passed over because they are older than `skipBefore`. */
export interface ChainSkipped {
	kind: 'skipped';
	after: V1Position;
	bytes: number;
}

/**
 * The end of one response: `after` is Mimecast's own token for the position after its
 * `files` files, which the walker could only write as `<token>:<files>.0` before it knew.
 */
export interface ChainResponseEnd {
	kind: 'responseEnd';
	token: string;
	files: number;
	after: V1Position;
	/** Compressed bytes downloaded. */
	bytes: number;
}

/** Mimecast answered isLastToken: nothing more to read for now. */
export interface ChainEnd {
	kind: 'end';
	position: V1Position;
}

export type ChainUnit = ChainFile | ChainCorrupt | ChainSkipped | ChainResponseEnd | ChainEnd;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Responses one run may fetch: far more than a run's event caps need. */
const MAX_RESPONSES = 50_000;
/** Responses in a row without a single event (each with a fresh token) before reading stops. */
const MAX_EMPTY_RESPONSES = 100;

/**
 * Walks the get-siem-logs token chain from `start`, one response at a time, one file at a
 * time: a response is fetched only when the caller asks for more (stop iterating to stop), and
 * a zip's files are inflated one by one. Positions are exact: the caller can resume at any file
 * or event (siem/resumeToken.ts).
 */
// Long: the token chain and its zip loop in one generator; the zip loop is to move to siem/archive.ts with the SIEM control flow (issue 11).
export async function* walkChain(
	ctx: MimecastContext,
	start: V1Position,
	options: ChainOptions,
): AsyncGenerator<ChainUnit> {
	let token = start.token;
	let skipFiles = start.files;
	let skipEvents = start.events;
	let skipBefore = options.skipBefore;
	const seen = new Set<string>();
	let responses = 0;
	let emptyInARow = 0;
	for (;;) {
		if (options.shouldStop?.()) return;
		if (responses++ >= MAX_RESPONSES) {
			throw new SiemBoundError(
				`Mimecast sent ${MAX_RESPONSES} SIEM responses in one run without saying it was caught up`,
			);
		}
		if (emptyInARow >= MAX_EMPTY_RESPONSES) {
			throw new SiemBoundError(
				`Mimecast sent ${MAX_EMPTY_RESPONSES} SIEM files in a row without a single event, each with a new token`,
			);
		}
		let progressed = false;
		const item: IDataObject = { type: options.type };
		if (token) item.token = token;
		item.fileFormat = options.format;
		item.compress = options.compress;
		const response = await mimecastRequest<Uint8Array>(ctx, 'apiKeys', {
			binary: true,
			path: options.path,
			body: { data: [item] },
			permission: options.permission,
			operation: options.operation,
			itemIndex: options.itemIndex,
			deadline: options.deadline,
		});
		const bytes = response.body;
		const contentType = response.headers['content-type'] ?? '';
		if (contentType.includes('json')) {
			// Caught up: `{"meta":{"isLastToken":true},"data":[]}` (fail[] was checked by the transport).
			const envelope = parseEnvelope(bytes);
			if (envelope?.meta?.isLastToken !== true && (envelope?.data?.length ?? 0) > 0) {
				throw protocolError(
					ctx,
					options,
					'Mimecast answered get-siem-logs with JSON data instead of a log file',
				);
			}
			yield { kind: 'end', position: { token, files: 0, events: 0 } };
			return;
		}
		const next = response.headers['mc-siem-token'];
		if (!next) {
			throw protocolError(
				ctx,
				options,
				'Mimecast sent a SIEM file without the mc-siem-token header that leads to the next one',
			);
		}
		if (seen.has(next) || next === token) {
			throw new SiemBoundError('Mimecast sent the same mc-siem-token twice');
		}
		seen.add(next);
		const boundary: V1Position = { token: next, files: 0, events: 0 };
		const at = (files: number, events = 0): V1Position => ({ token, files, events });

		const nextTime = timeOf(describeSiemToken(next)?.createTime);
		if (skipBefore !== undefined && nextTime !== undefined && nextTime < skipBefore) {
			// Every file of this response is older than the start: not even decompressed.
			yield { kind: 'skipped', after: boundary, bytes: bytes.length };
			emptyInARow = 0;
			token = next;
			skipFiles = 0;
			skipEvents = 0;
			continue;
		}

		const responseName = parseContentDisposition(response.headers['content-disposition']);
		const isZip =
			options.compress &&
			(responseName?.toLowerCase().endsWith('.zip') === true || startsWith(bytes, ZIP_MAGIC));
		let zipFiles = 0;
		if (!isZip) {
			const fileName = responseName ?? `siem_log.${options.format === 'json' ? 'json' : 'log'}`;
			if (skipFiles > 0) {
				// Read by an earlier run (the position was taken with compressed responses).
				skipFiles--;
			} else {
				const unit = readFile(
					fileName,
					bytes,
					options,
					skipEvents,
					at(0, skipEvents),
					boundary,
					skipBefore,
				);
				skipEvents = 0;
				if (unit.kind === 'file') skipBefore = undefined;
				progressed = isProgress(unit);
				yield unit;
			}
		} else {
			const files = unzipLogFiles(bytes, options.caps);
			let index = 0;
			let broken = false;
			for (;;) {
				let entry: IteratorResult<{ name: string; data: Uint8Array }> | undefined;
				let failure: unknown;
				try {
					entry = await files.next();
				} catch (error) {
					failure = error;
				}
				if (!entry) {
					// A zip bomb or an oversized file is not skipped: the caps are the user's to raise.
					if (failure instanceof SiemFileError && failure.kind === 'tooLarge')
						throw new SiemCapError<V1Position>(failure, at(Math.max(index, skipFiles)), boundary);
					if (!(failure instanceof SiemFileError)) throw failure;
					const error = failure;
					const fileName = error.fileName ?? responseName ?? 'SIEM zip';
					broken = true;
					yield {
						kind: 'corrupt',
						error,
						fileName,
						logType: siemLogTypeFromFileName(fileName).logType,
						before:
							index < skipFiles
								? at(skipFiles, skipEvents)
								: at(index, index === skipFiles ? skipEvents : 0),
						after: boundary,
						restOfZip: true,
					};
					break;
				}
				if (entry.done) break;
				const position = index++;
				if (position < skipFiles) continue;
				const first = position === skipFiles ? skipEvents : 0;
				const unit = readFile(
					entry.value.name,
					entry.value.data,
					options,
					first,
					at(position, first),
					at(position + 1),
					skipBefore,
				);
				if (unit.kind === 'file') skipBefore = undefined;
				progressed ||= isProgress(unit);
				yield unit;
			}
			zipFiles = broken ? -1 : index;
			if (broken || index > skipFiles) {
				// Reading went past the position (or cannot tell where it is in a broken zip).
				skipFiles = 0;
				skipEvents = 0;
			} else {
				skipFiles -= index;
			}
		}
		yield {
			kind: 'responseEnd',
			token,
			files: isZip ? zipFiles : 1,
			after: boundary,
			bytes: bytes.length,
		};
		emptyInARow = progressed ? 0 : emptyInARow + 1;
		token = next;
	}
}

function readFile(
	fileName: string,
	data: Uint8Array,
	options: ChainOptions,
	firstEvent: number,
	before: V1Position,
	after: V1Position,
	skipBefore: number | undefined,
): ChainFile | ChainCorrupt | ChainSkipped {
	const { logType, fileTime } = siemLogTypeFromFileName(fileName);
	const time = timeOf(fileTime);
	if (skipBefore !== undefined && time !== undefined && time < skipBefore) {
		return { kind: 'skipped', after, bytes: 0 };
	}
	if (data.length > options.caps.maxFileBytes) {
		const error = new SiemFileError(
			'tooLarge',
			`SIEM file ${JSON.stringify(fileName)} is ${data.length} bytes, over the per-file limit of ${options.caps.maxFileBytes} bytes`,
			{ fileName },
		);
		throw new SiemCapError<V1Position>(error, before, after);
	}
	let failure: unknown;
	try {
		const text = decodeUtf8(data);
		const events = (
			options.format === 'json'
				? parseJsonLogFile(text, fileName)
				: parseKeyValueFile(text, { typed: options.typed })
		) as IDataObject[];
		return { kind: 'file', fileName, logType, data, events, firstEvent, before, after };
	} catch (error) {
		failure = error;
	}
	if (!(failure instanceof SiemFileError)) throw failure;
	return { kind: 'corrupt', error: failure, fileName, logType, before, after, restOfZip: false };
}

/** A file with events, or files passed over as older than the start: the chain is moving. */
function isProgress(unit: ChainFile | ChainCorrupt | ChainSkipped): boolean {
	return unit.kind === 'skipped' || (unit.kind === 'file' && unit.events.length > 0);
}

function protocolError(
	ctx: MimecastContext,
	options: ChainOptions,
	message: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, {
		description:
			'This is not how get-siem-logs answers. Run the node again; if it persists, report it to Mimecast support with the time of the run.',
		itemIndex: options.itemIndex,
	});
}

function parseEnvelope(bytes: Uint8Array): MimecastEnvelope | undefined {
	try {
		return JSON.parse(decodeUtf8(bytes)) as MimecastEnvelope;
	} catch {
		return undefined;
	}
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
	return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function timeOf(iso: string | undefined): number | undefined {
	if (!iso) return undefined;
	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms : undefined;
}
