import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mimecastRequest } from '../../transport/request';
import type { MimecastContext, MimecastEnvelope } from '../../transport/types';
import type { Caps } from '../archive';
import { decodeUtf8, zipSteps } from '../archive';
import { SiemCapError } from '../capError';
import { SiemBoundError, SiemFileError } from '../errors';
import { parseContentDisposition, parseSiemFileName } from '../fileName';
import { parseJsonLogFile } from '../jsonFile';
import { parseKeyValueFile } from '../keyValue';
import type { V1Position } from '../resumeToken';
import { describeSiemToken } from '../token';
import type { SiemCorruptUnit, SiemFileUnit } from '../units';

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

/**
 * One log file of the chain, parsed; `content` is the file as Mimecast wrote it, decompressed.
 * Events before `firstEvent` were read by an earlier run; `before` is the position of the
 * file's first event, `after` of the first event after it.
 */
export type ChainFile = SiemFileUnit<V1Position>;

/**
 * A file (or a whole response) that could not be read; the chain goes on at `after`. With
 * `restOfZip`, the entries after it in the same damaged zip are skipped together.
 */
export type ChainCorrupt = SiemCorruptUnit<V1Position>;

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

/** A log file response of get-siem-logs. */
interface ChainResponse {
	bytes: Uint8Array;
	/** mc-siem-token: the token of the response after this one. */
	next: string;
	/** From Content-Disposition. */
	name: string | undefined;
}

/**
 * What of the first response(s) an earlier run already read: files (of a zip) and events (of
 * the first file after them); and the start time before which files are passed over.
 */
interface Resume {
	files: number;
	events: number;
	skipBefore: number | undefined;
}

/** What one response held: its file count (-1: a broken zip) and whether the chain moved. */
interface ResponseRead {
	files: number;
	progressed: boolean;
}

/**
 * Walks the get-siem-logs token chain from `start`, one response at a time, one file at a
 * time: a response is fetched only when the caller asks for more (stop iterating to stop), and
 * a zip's files are inflated one by one. Positions are exact: the caller can resume at any file
 * or event (siem/resumeToken.ts).
 */
export async function* walkChain(
	ctx: MimecastContext,
	start: V1Position,
	options: ChainOptions,
): AsyncGenerator<ChainUnit> {
	let token = start.token;
	const resume: Resume = {
		files: start.files,
		events: start.events,
		skipBefore: options.skipBefore,
	};
	const guard = new ChainGuard();
	for (;;) {
		if (options.shouldStop?.()) return;
		guard.beforeRequest();
		const response = await fetchResponse(ctx, token, options);
		if (!response) {
			yield { kind: 'end', position: { token, files: 0, events: 0 } };
			return;
		}
		guard.checkNext(token, response.next);
		const boundary: V1Position = { token: response.next, files: 0, events: 0 };
		if (olderThan(response.next, resume.skipBefore)) {
			// Every file of this response is older than the start: not even decompressed.
			yield { kind: 'skipped', after: boundary, bytes: response.bytes.length };
			resume.files = 0;
			resume.events = 0;
			guard.afterResponse(true);
		} else {
			const read = isZip(response, options)
				? readZip(token, response, boundary, resume, options)
				: readPlain(token, response, boundary, resume, options);
			const { files, progressed } = yield* read;
			const bytes = response.bytes.length;
			yield { kind: 'responseEnd', token, files, after: boundary, bytes };
			guard.afterResponse(progressed);
		}
		token = response.next;
	}
}

/** The bounds of the chain: a response cap, a run of empty responses, a token sent twice. */
class ChainGuard {
	private readonly seen = new Set<string>();
	private responses = 0;
	private emptyInARow = 0;

	beforeRequest(): void {
		if (this.responses++ >= MAX_RESPONSES) {
			throw new SiemBoundError(
				`Mimecast sent ${MAX_RESPONSES} SIEM responses in one run without saying it was caught up`,
			);
		}
		if (this.emptyInARow >= MAX_EMPTY_RESPONSES) {
			throw new SiemBoundError(
				`Mimecast sent ${MAX_EMPTY_RESPONSES} SIEM files in a row without a single event, each with a new token`,
			);
		}
	}

	checkNext(token: string, next: string): void {
		if (this.seen.has(next) || next === token) {
			throw new SiemBoundError('Mimecast sent the same mc-siem-token twice');
		}
		this.seen.add(next);
	}

	afterResponse(progressed: boolean): void {
		this.emptyInARow = progressed ? 0 : this.emptyInARow + 1;
	}
}

/** Fetches the response at `token`; undefined when Mimecast says the chain is caught up. */
async function fetchResponse(
	ctx: MimecastContext,
	token: string,
	options: ChainOptions,
): Promise<ChainResponse | undefined> {
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
	if ((response.headers['content-type'] ?? '').includes('json')) {
		// Caught up: `{"meta":{"isLastToken":true},"data":[]}` (fail[] was checked by the transport).
		const envelope = parseEnvelope(bytes);
		if (envelope?.meta?.isLastToken !== true && (envelope?.data?.length ?? 0) > 0) {
			throw protocolError(
				ctx,
				options,
				'Mimecast answered get-siem-logs with JSON data instead of a log file',
			);
		}
		return undefined;
	}
	const next = response.headers['mc-siem-token'];
	if (!next) {
		throw protocolError(
			ctx,
			options,
			'Mimecast sent a SIEM file without the mc-siem-token header that leads to the next one',
		);
	}
	const name = parseContentDisposition(response.headers['content-disposition']);
	return { bytes, next, name };
}

/** Whether the token's files were all published before the start (epoch ms). */
function olderThan(token: string, skipBefore: number | undefined): boolean {
	if (skipBefore === undefined) return false;
	const time = timeOf(describeSiemToken(token)?.createTime);
	return time !== undefined && time < skipBefore;
}

function isZip(response: ChainResponse, options: ChainOptions): boolean {
	return (
		options.compress &&
		(response.name?.toLowerCase().endsWith('.zip') === true ||
			startsWith(response.bytes, ZIP_MAGIC))
	);
}

/** A response that is one log file (`compress: false`). */
function* readPlain(
	token: string,
	response: ChainResponse,
	boundary: V1Position,
	resume: Resume,
	options: ChainOptions,
): Generator<ChainUnit, ResponseRead> {
	if (resume.files > 0) {
		// Read by an earlier run (the position was taken with compressed responses).
		resume.files--;
		return { files: 1, progressed: false };
	}
	const fileName = response.name ?? `siem_log.${options.format === 'json' ? 'json' : 'log'}`;
	const before = { token, files: 0, events: resume.events };
	const unit = readFile(fileName, response.bytes, options, before, boundary, resume.skipBefore);
	resume.events = 0;
	if (unit.kind === 'file') resume.skipBefore = undefined;
	yield unit;
	return { files: 1, progressed: isProgress(unit) };
}

/** A zip response (`compress: true`): its files one at a time, from where an earlier run stopped. */
async function* readZip(
	token: string,
	response: ChainResponse,
	boundary: V1Position,
	resume: Resume,
	options: ChainOptions,
): AsyncGenerator<ChainUnit, ResponseRead> {
	const at = (files: number, events = 0): V1Position => ({ token, files, events });
	let progressed = false;
	let count = 0;
	for await (const step of zipSteps(response.bytes, options.caps)) {
		if (step.kind === 'damage') {
			// A zip bomb or an oversized file is not skipped: the caps are the user's to raise.
			if (step.error.kind === 'tooLarge')
				throw new SiemCapError<V1Position>(
					step.error,
					at(Math.max(step.index, resume.files)),
					boundary,
				);
			const fileName = step.error.fileName ?? response.name ?? 'SIEM zip';
			const before =
				step.index < resume.files
					? at(resume.files, resume.events)
					: at(step.index, step.index === resume.files ? resume.events : 0);
			yield damagedZip(step.error, fileName, before, boundary);
			// Reading cannot tell where it is in a broken zip: the next response starts afresh.
			resume.files = 0;
			resume.events = 0;
			return { files: -1, progressed };
		}
		count = step.index + 1;
		if (step.index < resume.files) continue;
		const first = step.index === resume.files ? resume.events : 0;
		const before = at(step.index, first);
		const unit = readFile(step.name, step.data, options, before, at(count), resume.skipBefore);
		if (unit.kind === 'file') resume.skipBefore = undefined;
		progressed ||= isProgress(unit);
		yield unit;
	}
	if (count > resume.files) {
		// Reading went past the position.
		resume.files = 0;
		resume.events = 0;
	} else {
		resume.files -= count;
	}
	return { files: count, progressed };
}

function damagedZip(
	error: SiemFileError,
	fileName: string,
	before: V1Position,
	after: V1Position,
): ChainCorrupt {
	const siemType = parseSiemFileName(fileName).filePrefix;
	return { kind: 'corrupt', error, fileName, siemType, before, after, restOfZip: true };
}

/** Parses one log file; `before.events` events of it were read by an earlier run. */
function readFile(
	fileName: string,
	data: Uint8Array,
	options: ChainOptions,
	before: V1Position,
	after: V1Position,
	skipBefore: number | undefined,
): ChainFile | ChainCorrupt | ChainSkipped {
	const { filePrefix: siemType, fileTime } = parseSiemFileName(fileName);
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
		const size = data.length;
		const firstEvent = before.events;
		return {
			kind: 'file',
			fileName,
			siemType,
			content: data,
			size,
			events,
			firstEvent,
			before,
			after,
		};
	} catch (error) {
		failure = error;
	}
	if (!(failure instanceof SiemFileError)) throw failure;
	return { kind: 'corrupt', error: failure, fileName, siemType, before, after, restOfZip: false };
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
