import type { INodeProperties } from 'n8n-workflow';

import type { Retention } from '../execution/triggerSettings';
import { MAX_RECORDS_PER_POLL } from '../execution/triggerSettings';
import type { PagedLogDefinition } from '../logTypes/types';
import {
	authenticationProperty,
	filtersProperty,
	optionsProperty,
	simplifyProperties,
} from './common';

/** Trigger options shared by every log type; each is read by execution/triggerSettings.ts. */
export function triggerOptions(definition: Retention): INodeProperties[] {
	const retention = definition.retentionDays
		? ` At most ${definition.retentionDays * 24} (Mimecast keeps ${definition.retentionDays} days).`
		: '';
	return [
		{
			displayName: 'Backfill (Hours)',
			name: 'backfillHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: `How many hours before activation the first poll starts; 0 starts at activation.${retention}`,
		},
		{
			displayName: 'Max Records per Poll',
			name: 'maxRecordsPerPoll',
			type: 'number',
			// Read again on every poll (triggerSettings.ts), so a saved value above it is refused too.
			typeOptions: { minValue: 1, maxValue: MAX_RECORDS_PER_POLL },
			default: 5000,
			description: 'A larger backlog is emitted over several polls, oldest first. At most 50,000.',
		},
		{
			displayName: 'Settle Delay (Seconds)',
			name: 'settleSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600 },
			default: 60,
			description:
				'Each poll reads up to this long before now, so records Mimecast indexes late are not skipped',
		},
	];
}

/**
 * The polling trigger's parameters: the action's minus the time window and limit, which
 * the cursor replaces. Filters are the same collection as the action node's.
 */
export function triggerProperties(definition: PagedLogDefinition): INodeProperties[] {
	return [
		authenticationProperty,
		...(definition.variant ? [definition.variant.parameter] : []),
		...simplifyProperties(definition),
		...filtersProperty(definition),
		...optionsProperty({ ...definition, options: [] }, triggerOptions(definition)),
	];
}
