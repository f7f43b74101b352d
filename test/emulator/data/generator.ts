import type { Rng } from '../prng';
import type { LogRecord } from '../types';

export interface RecordContext {
	/** Event time, whole seconds. */
	at: number;
	/** Force a malicious record (TTP kinds); otherwise the generator draws it at its own rate. */
	malicious?: boolean;
}

/** One per paged log kind: the record shape and where its event time lives. */
export interface LogGenerator {
	timeField: string;
	generate(rng: Rng, ctx: RecordContext): LogRecord;
}
