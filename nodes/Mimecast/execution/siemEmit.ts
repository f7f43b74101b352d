import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { nowMs } from '../core/dates';
import { eventJson, fileJson, mimeTypeOf, warningJson } from '../siem/items';
import type { SiemCorruptUnit, SiemFileUnit, SiemUnit } from '../siem/units';
import type { MimecastContext } from '../transport/types';
import type { CollectOptions, StopReason } from './siemCollect';

type Context = IExecuteFunctions | IPollFunctions;

/** How the emit step writes and moves an API's positions. */
export interface PositionMoves<P> {
	/** The Start Token of a position, as items carry it. */
	token(position: P): string;
	/** The position of event `event` of the file that starts at `before`. */
	eventAt(before: P, event: number): P;
	/** The read has reached `position` (everything before it is emitted). */
	moveTo(position: P): void;
}

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
 * The one step both APIs share: turns a unit into items (events, a file, or a warning for a
 * corrupt file), counting against the limit and caps, and moves the position only past what
 * became an item. Both collectors and so both SIEM nodes go through it.
 */
export class SiemEmitter<P> {
	readonly items: INodeExecutionData[] = [];
	readonly meter: Meter;
	stoppedBy: StopReason | undefined;
	/** The JSON of the last event or file item: API 1.0 rewrites its token at a response's end. */
	last: IDataObject | undefined;

	constructor(
		private readonly ctx: Context,
		private readonly options: CollectOptions,
		private readonly moves: PositionMoves<P>,
	) {
		this.meter = new Meter(options);
	}

	/** Whether a limit, cap or the budget says stop (and records which). */
	stop(): boolean {
		return (this.stoppedBy = this.meter.reason()) !== undefined;
	}

	/** Emits what is left of a unit; false when a limit stopped it before its end. */
	async emit(unit: SiemUnit<P>): Promise<boolean> {
		if (this.stop()) return false;
		if (unit.kind === 'corrupt') {
			this.warn(unit);
			return true;
		}
		this.meter.bytes += unit.size;
		if (this.options.settings.output === 'files') {
			await this.emitFile(unit);
			return true;
		}
		return this.emitEvents(unit);
	}

	private warn(unit: SiemCorruptUnit<P>): void {
		const retryToken = this.moves.token(unit.before);
		const resumeToken = this.moves.token(unit.after);
		if (this.options.settings.onCorruptFile === 'error')
			throw corruptFileError(this.ctx, unit, retryToken, resumeToken, this.options.itemIndex);
		const { error, fileName, siemType, restOfZip } = unit;
		this.push(warningJson(error, fileName, siemType, retryToken, resumeToken, restOfZip));
		this.last = undefined;
		this.moves.moveTo(unit.after);
	}

	private async emitFile(unit: SiemFileUnit<P>): Promise<void> {
		const { siemType, fileName, events, size, content } = unit;
		const json = fileJson(siemType, fileName, this.moves.token(unit.after), events.length, size);
		const binary = await this.ctx.helpers.prepareBinaryData(
			Buffer.from(content.buffer, content.byteOffset, content.byteLength),
			fileName,
			mimeTypeOf(fileName),
		);
		this.items.push({ ...this.item(json), binary: { data: binary } });
		this.last = json;
		this.meter.count++;
		this.meter.events += events.length;
		this.moves.moveTo(unit.after);
	}

	private emitEvents(unit: SiemFileUnit<P>): boolean {
		const { events, before } = unit;
		for (let j = unit.firstEvent; j < events.length; j++) {
			if (this.stop()) return false;
			const after = j + 1 < events.length ? this.moves.eventAt(before, j + 1) : unit.after;
			this.push(eventJson(unit.siemType, unit.fileName, this.moves.token(after), events[j]));
			this.meter.count++;
			this.meter.events++;
			this.moves.moveTo(after);
		}
		if (unit.firstEvent >= events.length) this.moves.moveTo(unit.after);
		return true;
	}

	private push(json: IDataObject): void {
		this.items.push(this.item(json));
		this.last = json;
	}

	private item(json: IDataObject): INodeExecutionData {
		const { itemIndex } = this.options;
		return itemIndex === undefined ? { json } : { json, pairedItem: { item: itemIndex } };
	}
}

function corruptFileError(
	ctx: MimecastContext,
	unit: SiemCorruptUnit<unknown>,
	retryToken: string,
	resumeToken: string,
	itemIndex?: number,
): NodeOperationError {
	const failure = new NodeOperationError(
		ctx.getNode(),
		`Could not read SIEM file ${JSON.stringify(unit.fileName)}: ${unit.error.message}`,
		{
			description: `Set Options > On Corrupt File to 'Skip With a Warning' to go on past unreadable files. To skip just this one, use Start Token ${resumeToken}; to fetch it again, ${retryToken || '(empty)'}.`,
			itemIndex,
		},
	);
	failure.context.retryToken = retryToken;
	failure.context.resumeToken = resumeToken;
	return failure;
}
