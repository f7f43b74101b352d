import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import type { SiemBatchType, SiemLogType } from '../logTypes/types';
import type { BatchOptions } from '../siem/fetch/batchV2';
import { walkBatch } from '../siem/fetch/batchV2';
import { SiemCapError } from '../siem/capError';
import type { ChainOptions } from '../siem/fetch/chainV1';
import { walkChain } from '../siem/fetch/chainV1';
import type { SiemFileError } from '../siem/errors';
import { SiemBoundError } from '../siem/errors';
import { eventJson, fileJson, mimeTypeOf, warningJson } from '../siem/items';
import type { V1Position, V2Position, V2TypePosition } from '../siem/resumeToken';
import { formatV1Position, formatV2Position } from '../siem/resumeToken';
import { retryAfterOf } from '../transport/errors';
import type { MimecastContext } from '../transport/types';
import type { SiemSettings } from './siemParams';

export type StopReason = 'limit' | 'maxEvents' | 'maxBytes' | 'deadline' | 'rateLimit' | 'bound';

export interface CollectOptions {
	logType: SiemLogType;
	settings: SiemSettings;
	/** Items wanted: events, or files with output Files. */
	maxItems: number;
	deadline?: number;
	/** The input item (action node). */
	itemIndex?: number;
	/**
	 * Trigger: a 429 that outlasts the poll, or a loop bound (SiemBoundError), ends the read
	 * with what it has instead of failing.
	 */
	endQuietly?: boolean;
}

export interface Collected<P> {
	items: INodeExecutionData[];
	/** Where the next read starts: the resume token after the last item. */
	position: P;
	/** Mimecast said there is nothing more for now. */
	caughtUp: boolean;
	stoppedBy?: StopReason;
	retryAfterMs?: number;
	/** Events emitted, decompressed bytes read. */
	events: number;
	bytes: number;
}

type Context = IExecuteFunctions | IPollFunctions;

/** Counts against the limit and the caps; says why to stop, if it is time to. */
class Meter {
	count = 0;
	events = 0;
	bytes = 0;
	constructor(private readonly options: CollectOptions) {}

	reason(): StopReason | undefined {
		const { settings, maxItems, deadline } = this.options;
		if (this.count >= maxItems) return 'limit';
		if (this.events >= settings.maxEvents) return 'maxEvents';
		if (this.bytes >= settings.maxBytes) return 'maxBytes';
		if (deadline !== undefined && nowMs() >= deadline) return 'deadline';
		return undefined;
	}
}

/**
 * API 1.0: reads the token chain from `start` into items until the limit, a cap, the budget
 * or the end of the chain. `skipBefore` passes over files published before it (trigger start).
 */
// Long: not split yet (issue 11, SIEM control flow): collectV1, collectV2 and the trigger's poll share one emit-a-unit step that is still to be extracted.
export async function collectV1(
	ctx: Context,
	start: V1Position,
	options: CollectOptions,
	skipBefore?: number,
): Promise<Collected<V1Position> & { seekDone: boolean }> {
	const { settings, logType } = options;
	const meter = new Meter(options);
	const items: INodeExecutionData[] = [];
	let position = start;
	let last: IDataObject | undefined;
	let caughtUp = false;
	let seekDone = skipBefore === undefined;
	let stoppedBy: StopReason | undefined;
	let retryAfterMs: number | undefined;
	const chain: ChainOptions = {
		path: logType.v1.path,
		type: logType.v1.type,
		format: settings.format,
		compress: settings.compress,
		typed: settings.typed,
		caps: settings.caps,
		permission: logType.permission,
		operation: `Mimecast ${logType.displayName}`,
		itemIndex: options.itemIndex,
		deadline: options.deadline,
		skipBefore,
		shouldStop: () => (stoppedBy = meter.reason()) !== undefined,
	};
	try {
		walk: for await (const unit of walkChain(ctx, start, chain)) {
			if (unit.kind === 'end') {
				position = unit.position;
				caughtUp = true;
				seekDone = true;
				break;
			}
			if (unit.kind === 'responseEnd') {
				// `<token>:<n>.0` after the last file of a zip is Mimecast's next token.
				if (
					position.token === unit.token &&
					position.files === unit.files &&
					position.events === 0
				) {
					if (last && last.resumeToken === formatV1Position(position))
						last.resumeToken = formatV1Position(unit.after);
					position = unit.after;
				}
				continue;
			}
			if ((stoppedBy = meter.reason()) !== undefined) break;
			if (unit.kind === 'skipped') {
				meter.bytes += unit.bytes;
				position = unit.after;
				continue;
			}
			if (unit.kind === 'corrupt') {
				const retryToken = formatV1Position(unit.before);
				const resumeToken = formatV1Position(unit.after);
				if (settings.onCorruptFile === 'error')
					throw corruptFileError(
						ctx,
						unit.error,
						unit.fileName,
						retryToken,
						resumeToken,
						options.itemIndex,
					);
				items.push(
					item(
						warningJson(
							unit.error,
							unit.fileName,
							unit.logType,
							retryToken,
							resumeToken,
							unit.restOfZip,
						),
						options,
					),
				);
				last = undefined;
				position = unit.after;
				continue;
			}
			seekDone = true;
			meter.bytes += unit.data.length;
			if (settings.output === 'files') {
				const json = fileJson(
					unit.logType,
					unit.fileName,
					formatV1Position(unit.after),
					unit.events.length,
					unit.data.length,
				);
				items.push(await binaryItem(ctx, json, unit.data, unit.fileName, options));
				last = json;
				meter.count++;
				meter.events += unit.events.length;
				position = unit.after;
				continue;
			}
			const { events } = unit;
			for (let j = unit.firstEvent; j < events.length; j++) {
				if ((stoppedBy = meter.reason()) !== undefined) break walk;
				const after: V1Position =
					j + 1 < events.length
						? { token: unit.before.token, files: unit.before.files, events: j + 1 }
						: unit.after;
				const json = eventJson(unit.logType, unit.fileName, formatV1Position(after), events[j]);
				items.push(item(json, options));
				last = json;
				meter.count++;
				meter.events++;
				position = after;
			}
			if (unit.firstEvent >= events.length) position = unit.after;
		}
	} catch (error) {
		const quiet = quietStop(ctx, error, options, formatV1Position(position));
		if (!quiet) throw translate(ctx, error, options, (p) => formatV1Position(p as V1Position));
		({ stoppedBy, retryAfterMs } = quiet);
	}
	return {
		items,
		position,
		caughtUp,
		stoppedBy,
		retryAfterMs,
		events: meter.events,
		bytes: meter.bytes,
		seekDone,
	};
}

export interface V2CollectOptions extends CollectOptions {
	/** The types to read, in this order. */
	types: SiemBatchType[];
	startDay: string;
	endDay?: string;
}

/**
 * API 2.0: reads each type's batch files from its position, one type after the other, into
 * items until the limit, a cap, the budget or every type is caught up.
 */
// Long: not split yet (issue 11, SIEM control flow): collectV1, collectV2 and the trigger's poll share one emit-a-unit step that is still to be extracted.
export async function collectV2(
	ctx: Context,
	start: V2Position,
	options: V2CollectOptions,
): Promise<Collected<V2Position>> {
	const { settings, logType } = options;
	const meter = new Meter(options);
	const items: INodeExecutionData[] = [];
	const positions: Record<string, V2TypePosition> = { ...start.types };
	const tokenWith = (type: string, p: V2TypePosition | undefined): string => {
		const types = { ...positions };
		if (p) types[type] = p;
		else delete types[type];
		return formatV2Position({ types });
	};
	let caughtUpTypes = 0;
	let stoppedBy: StopReason | undefined;
	let retryAfterMs: number | undefined;
	let current = '';
	try {
		types: for (const type of options.types) {
			current = type.value;
			if ((stoppedBy = meter.reason()) !== undefined) break;
			const batch: BatchOptions = {
				path: settings.batch.path,
				pageSize: logType.v2.pageSize,
				type,
				startDay: options.startDay,
				endDay: options.endDay,
				caps: settings.caps,
				permission: logType.permission,
				operation: `Mimecast ${logType.displayName}`,
				itemIndex: options.itemIndex,
				deadline: options.deadline,
				shouldStop: () => (stoppedBy = meter.reason()) !== undefined,
				concurrency: settings.downloadConcurrency,
			};
			for await (const unit of walkBatch(ctx, positions[type.value], batch)) {
				if (unit.kind === 'end') {
					if (unit.position) positions[type.value] = unit.position;
					caughtUpTypes++;
					break;
				}
				if ((stoppedBy = meter.reason()) !== undefined) break types;
				if (unit.kind === 'corrupt') {
					const retryToken = tokenWith(type.value, unit.before);
					const resumeToken = tokenWith(type.value, unit.after);
					if (settings.onCorruptFile === 'error')
						throw corruptFileError(
							ctx,
							unit.error,
							unit.fileName,
							retryToken,
							resumeToken,
							options.itemIndex,
						);
					items.push(
						item(
							warningJson(unit.error, unit.fileName, type.api, retryToken, resumeToken),
							options,
						),
					);
					positions[type.value] = unit.after;
					continue;
				}
				meter.bytes += unit.size;
				if (settings.output === 'files') {
					positions[type.value] = unit.after;
					const json = fileJson(
						type.api,
						unit.fileName,
						tokenWith(type.value, unit.after),
						unit.events.length,
						unit.size,
					);
					items.push(await binaryItem(ctx, json, unit.raw, unit.fileName, options));
					meter.count++;
					meter.events += unit.events.length;
					continue;
				}
				const { events } = unit;
				for (let j = unit.firstEvent; j < events.length; j++) {
					if ((stoppedBy = meter.reason()) !== undefined) break types;
					const after: V2TypePosition =
						j + 1 < events.length ? { ...unit.before, event: j + 1 } : unit.after;
					positions[type.value] = after;
					items.push(
						item(
							eventJson(type.api, unit.fileName, tokenWith(type.value, after), events[j]),
							options,
						),
					);
					meter.count++;
					meter.events++;
				}
				if (unit.firstEvent >= events.length) positions[type.value] = unit.after;
			}
			if (stoppedBy !== undefined) break;
		}
	} catch (error) {
		const quiet = quietStop(ctx, error, options, formatV2Position({ types: positions }));
		if (!quiet)
			throw translate(ctx, error, options, (p) => tokenWith(current, p as V2TypePosition));
		({ stoppedBy, retryAfterMs } = quiet);
	}
	return {
		items,
		position: { types: positions },
		caughtUp: caughtUpTypes === options.types.length,
		stoppedBy,
		retryAfterMs,
		events: meter.events,
		bytes: meter.bytes,
	};
}

function item(json: IDataObject, options: CollectOptions): INodeExecutionData {
	return options.itemIndex === undefined
		? { json }
		: { json, pairedItem: { item: options.itemIndex } };
}

async function binaryItem(
	ctx: Context,
	json: IDataObject,
	data: Uint8Array,
	fileName: string,
	options: CollectOptions,
): Promise<INodeExecutionData> {
	const binary = await ctx.helpers.prepareBinaryData(
		Buffer.from(data.buffer, data.byteOffset, data.byteLength),
		fileName,
		mimeTypeOf(fileName),
	);
	return { ...item(json, options), binary: { data: binary } };
}

/**
 * How a read that failed ends: in a trigger, a 429 that outlasts the poll or a loop bound end
 * the poll with what was read (undefined: it is an error). In the action a bound is an error
 * naming the token that goes on after the last item.
 */
function quietStop(
	ctx: MimecastContext,
	error: unknown,
	options: CollectOptions,
	resumeToken: string,
): { stoppedBy: StopReason; retryAfterMs?: number } | undefined {
	if (error instanceof SiemBoundError) {
		if (!options.endQuietly) throw boundError(ctx, error, resumeToken, options.itemIndex);
		ctx.logger?.warn?.(
			`Mimecast SIEM trigger: ${error.message}; the poll ended here and the next one goes on from the last event emitted`,
		);
		return { stoppedBy: 'bound' };
	}
	const wait = retryAfterOf(error);
	if (!options.endQuietly || wait === undefined) return undefined;
	return { stoppedBy: 'rateLimit', retryAfterMs: wait };
}

function boundError(
	ctx: MimecastContext,
	error: SiemBoundError,
	resumeToken: string,
	itemIndex?: number,
): NodeOperationError {
	const failure = new NodeOperationError(
		ctx.getNode(),
		`${error.message}; reading stopped to avoid an endless loop`,
		{
			description: `This is not how Mimecast answers when it is working. To go on from the last item read, use Start Token ${resumeToken || '(empty)'}; if it happens again, report it to Mimecast support with the time of the run.`,
			itemIndex,
		},
	);
	failure.context.resumeToken = resumeToken;
	return failure;
}

function corruptFileError(
	ctx: MimecastContext,
	error: SiemFileError,
	fileName: string,
	retryToken: string,
	resumeToken: string,
	itemIndex?: number,
): NodeOperationError {
	const failure = new NodeOperationError(
		ctx.getNode(),
		`Could not read SIEM file ${JSON.stringify(fileName)}: ${error.message}`,
		{
			description: `Set Options > On Corrupt File to 'Skip With a Warning' to go on past unreadable files. To skip just this one, use Start Token ${resumeToken}; to fetch it again, ${retryToken || '(empty)'}.`,
			itemIndex,
		},
	);
	failure.context.retryToken = retryToken;
	failure.context.resumeToken = resumeToken;
	return failure;
}

/** A cap error names the file, the cap and the way past; Mimecast's 401/403 also name Enhanced Logging. */
function translate(
	ctx: MimecastContext,
	error: unknown,
	options: CollectOptions,
	token: (position: unknown) => string,
): unknown {
	if (error instanceof SiemCapError) {
		const failure = new NodeOperationError(ctx.getNode(), `Refused SIEM file: ${error.message}`, {
			description: `A file this large is most likely a zip bomb. If it is genuine, raise Options > Max File Size (MB) or Max Size per Run (MB). To skip it, use Start Token ${token(error.after)}.`,
			itemIndex: options.itemIndex,
		});
		failure.context.resumeToken = token(error.after);
		return failure;
	}
	const api = error as {
		httpCode?: string | null;
		description?: string | null;
		context?: IDataObject;
	};
	if (
		(api?.httpCode === '401' || api?.httpCode === '403') &&
		api.context?.fileLinkExpired !== true
	) {
		api.description =
			`${api.description ?? ''} SIEM logs also need Enhanced Logging: in the Administration Console, Administration | Account | Account Settings | Enhanced Logging, enable the log types to collect.`.trim();
	}
	return error;
}
