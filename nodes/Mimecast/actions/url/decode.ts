import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { firstRecord, sendAction, unexpectedAnswer } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { url as validUrl } from '../validate';

const DECODE: ActionEndpoint = {
	path: '/api/ttp/url/decode-url',
	permission: 'Monitoring | URL Protection | Read',
	label: 'Decode URL',
	repeat: 'read',
};

export const decode: ActionOperation = {
	name: 'Decode',
	action: 'Decode a rewritten URL',
	description: 'Get the original URL behind a link Mimecast URL Protect rewrote',
	repeat: DECODE.repeat,
	properties: [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://protect-eu.mimecast.com/s/AbCdEfGh?domain=example.com',
			default: '',
			required: true,
			description: 'The rewritten link as it appears in the message',
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const url = validUrl('URL', this.getNodeParameter('url', itemIndex));
		const record = firstRecord(
			this,
			itemIndex,
			DECODE,
			await sendAction(this, itemIndex, DECODE, [{ url }]),
		);
		// Mimecast answers HTTP 200 with success:false for a link it cannot decode (api-more §9).
		if (record.success !== true) {
			const message = `Mimecast could not decode ${url}`;
			throw new NodeApiError(
				this.getNode(),
				{ message, code: 'decode_failed' },
				{
					message,
					description:
						'Only links Mimecast URL Protect rewrote (https://protect-….mimecast.com/s/…) can be decoded. Check that the whole link was passed, including its query.',
					itemIndex,
				},
			);
		}
		if (typeof record.url !== 'string' || record.url === '')
			throw unexpectedAnswer(this, itemIndex, DECODE, 'no decoded URL');
		return [{ url, decodedUrl: record.url }];
	},
};
