import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SiemBatchType, SiemLogDefinition } from '../logTypes/types';
import type { BatchOptions } from '../siem/fetch/batchV2';
import { walkBatch } from '../siem/fetch/batchV2';
import { SiemCapError } from '../siem/capError';
import type { ChainOptions, ChainResponseEnd } from '../siem/fetch/chainV1';
import { walkChain } from '../siem/fetch/chainV1';
import { SiemBoundError } from '../siem/errors';
import type { V1Position, V2Position, V2TypePosition } from '../siem/resumeToken';
import { formatV1Position, formatV2Position } from '../siem/resumeToken';
import { retryAfterOf } from '../transport/errors';
import type { MimecastContext } from '../transport/types';
import { SiemEmitter } from './siemEmit';
import type { SiemSettings } from './siemParams';

export type StopReason = 'limit' | 'maxEvents' | 'maxBytes' | 'deadline' | 'rateLimit' | 'bound';

export interface CollectOptions {
	definition: SiemLogDefinition;
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

export interface SiemRead<P> {
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

function readOutcome<U, P>(emitter: SiemEmitter<U>, position: P, caughtUp: boolean): SiemRead<P> {
	return {
		items: emitter.items,
		position,
		caughtUp,
		stoppedBy: emitter.stoppedBy,
		events: emitter.meter.events,
		bytes: emitter.meter.bytes,
	};
}

/**
 * API 1.0: reads the token chain from `start` into items until the limit, a cap, the budget
 * or the end of the chain. `skipBefore` passes over files published before it (trigger start).
 */
export async function collectV1(
	ctx: Context,
	start: V1Position,
	options: CollectOptions,
	skipBefore?: number,
): Promise<SiemRead<V1Position> & { seekDone: boolean }> {
	const { settings, definition } = options;
	let position = start;
	let caughtUp = false;
	let seekDone = skipBefore === undefined;
	const emitter = new SiemEmitter<V1Position>(ctx, options, {
		token: formatV1Position,
		eventAt: (before, events) => ({ token: before.token, files: before.files, events }),
		moveTo: (p) => (position = p),
	});
	const chain: ChainOptions = {
		path: definition.v1.path,
		type: definition.v1.type,
		format: settings.format,
		compress: settings.compress,
		typed: settings.typed,
		caps: settings.caps,
		permission: definition.permission,
		operation: `Mimecast ${definition.displayName}`,
		itemIndex: options.itemIndex,
		deadline: options.deadline,
		skipBefore,
		shouldStop: () => emitter.stop(),
	};
	let retryAfterMs: number | undefined;
	try {
		for await (const unit of walkChain(ctx, start, chain)) {
			if (unit.kind === 'end') {
				[position, caughtUp, seekDone] = [unit.position, true, true];
				break;
			}
			if (unit.kind === 'responseEnd') {
				position = atResponseEnd(emitter, position, unit);
				continue;
			}
			if (emitter.stop()) break;
			if (unit.kind === 'skipped') {
				emitter.meter.bytes += unit.bytes;
				position = unit.after;
				continue;
			}
			if (unit.kind === 'file') seekDone = true;
			if (!(await emitter.emit(unit))) break;
		}
	} catch (error) {
		const quiet = quietStop(ctx, error, options, formatV1Position(position));
		if (!quiet) throw translate(ctx, error, options, (p) => formatV1Position(p as V1Position));
		({ stoppedBy: emitter.stoppedBy, retryAfterMs } = quiet);
	}
	return { ...readOutcome(emitter, position, caughtUp), retryAfterMs, seekDone };
}

/**
 * `<token>:<n>.0` after the last file of a zip is Mimecast's next token: when the read stands
 * exactly there, it (and the last item's resumeToken) take Mimecast's own token.
 */
function atResponseEnd(
	emitter: SiemEmitter<V1Position>,
	position: V1Position,
	end: ChainResponseEnd,
): V1Position {
	if (position.token !== end.token || position.files !== end.files || position.events !== 0)
		return position;
	const last = emitter.last;
	if (last && last.resumeToken === formatV1Position(position))
		last.resumeToken = formatV1Position(end.after);
	return end.after;
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
export async function collectV2(
	ctx: Context,
	start: V2Position,
	options: V2CollectOptions,
): Promise<SiemRead<V2Position>> {
	const positions: Record<string, V2TypePosition> = { ...start.types };
	let current = '';
	const tokenWith = (p: V2TypePosition | undefined): string => {
		const types = { ...positions };
		if (p) types[current] = p;
		else delete types[current];
		return formatV2Position({ types });
	};
	const emitter = new SiemEmitter<V2TypePosition>(ctx, options, {
		token: tokenWith,
		eventAt: (before, event) => ({ ...before, event }),
		moveTo: (p) => (positions[current] = p),
	});
	let caughtUpTypes = 0;
	let retryAfterMs: number | undefined;
	try {
		for (const type of options.types) {
			current = type.value;
			if (emitter.stop()) break;
			const end = await readBatchType(ctx, emitter, positions[current], type, options);
			if (end === false) break;
			if (end) positions[current] = end;
			caughtUpTypes++;
		}
	} catch (error) {
		const quiet = quietStop(ctx, error, options, formatV2Position({ types: positions }));
		if (!quiet) throw translate(ctx, error, options, (p) => tokenWith(p as V2TypePosition));
		({ stoppedBy: emitter.stoppedBy, retryAfterMs } = quiet);
	}
	const caughtUp = caughtUpTypes === options.types.length;
	return { ...readOutcome(emitter, { types: positions }, caughtUp), retryAfterMs };
}

/**
 * Emits one batch type's files from `start`. Returns where the type is caught up (undefined:
 * nothing listed yet), or false when a limit, cap or the budget stopped it first.
 */
async function readBatchType(
	ctx: Context,
	emitter: SiemEmitter<V2TypePosition>,
	start: V2TypePosition | undefined,
	type: SiemBatchType,
	options: V2CollectOptions,
): Promise<V2TypePosition | undefined | false> {
	const { settings, definition } = options;
	const batch: BatchOptions = {
		path: settings.batch.path,
		pageSize: definition.v2.pageSize,
		type,
		startDay: options.startDay,
		endDay: options.endDay,
		caps: settings.caps,
		permission: definition.permission,
		operation: `Mimecast ${definition.displayName}`,
		itemIndex: options.itemIndex,
		deadline: options.deadline,
		shouldStop: () => emitter.stop(),
		concurrency: settings.downloadConcurrency,
	};
	for await (const unit of walkBatch(ctx, start, batch)) {
		if (unit.kind === 'end') return unit.position;
		const emitted =
			unit.kind === 'corrupt'
				? await emitter.emit({ ...unit, siemType: type.api })
				: await emitter.emit({ ...unit, siemType: type.api, content: unit.raw });
		if (!emitted) return false;
	}
	// walkBatch ends without an end unit only when shouldStop said so.
	return false;
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
