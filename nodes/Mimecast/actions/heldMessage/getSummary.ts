import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sendAction, unexpectedAnswer } from '../send';
import type { ActionOperation } from '../types';
import { SUMMARY } from './shared';

export const getSummary: ActionOperation = {
	name: 'Get Summary',
	action: 'Get a held message summary',
	description: 'Count the held messages per hold policy',
	repeat: SUMMARY.repeat,
	properties: [],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const body = await sendAction(this, itemIndex, SUMMARY, []);
		return (body.data ?? []).map((row) => {
			if (!row || typeof row !== 'object' || typeof row.numberOfItems !== 'number') {
				throw unexpectedAnswer(this, itemIndex, SUMMARY, 'a row without numberOfItems');
			}
			return { policy: row.policyInfo, count: row.numberOfItems };
		});
	},
};
