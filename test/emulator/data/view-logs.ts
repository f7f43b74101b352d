/** `/api/archive/get-view-logs` records (look-alikes of samples/xsoar/get_view_logs_response). */
import { DAY, formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { internalUser, mail } from './vocab';

const SOURCES = ['Message Tracking', 'Archive Search', 'Case Review', 'Saved Search', 'Mailbox'];

export const viewLogGenerator: LogGenerator = {
	timeField: 'viewed',
	generate(rng, { at }): LogRecord {
		const m = mail(rng);
		return {
			viewer: internalUser(rng),
			source: rng.pick(SOURCES),
			viewed: formatMcDate(at),
			from: m.sender,
			to: m.recipient,
			subject: m.subject,
			messageDate: formatMcDate(
				at - rng.int(60, 90 * 86_400) * 1000 - (rng.chance(0.1) ? 400 * DAY : 0),
			),
			contentViewed: rng.chance(0.3),
			discoveryCase: rng.chance(0.1),
		};
	},
};
