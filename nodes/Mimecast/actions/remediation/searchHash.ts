import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toTokenList } from '../../core/values';
import { firstRecord, sendAction, unexpectedAnswer } from '../send';
import type { ActionEndpoint, ActionOperation } from '../types';
import { hash, InvalidInput } from '../validate';

const ENDPOINT: ActionEndpoint = {
	path: '/api/ttp/remediation/search-hash',
	permission: 'Monitoring | Threat Remediation | Read',
	label: 'Search Hashes',
	repeat: 'read',
};

/** Mimecast takes at most 100 hashes per call (XSOAR's documentation of search-hash). */
const MAX_HASHES = 100;

export const searchHash: ActionOperation = {
	name: 'Search Hash',
	action: 'Search file hashes',
	description: 'Whether files with these hashes were seen in messages (before remediating by hash)',
	repeat: ENDPOINT.repeat,
	properties: [
		{
			displayName: 'Hashes',
			name: 'hashes',
			type: 'string',
			default: '',
			required: true,
			placeholder:
				'e.g. 44d88612fea8a8f36de82e1278abb02f, 3395856ce81f2b7382dee72602f798b642f14140',
			description: `MD5, SHA-1 or SHA-256 hashes, separated by commas, spaces or new lines (at most ${MAX_HASHES}); an expression may also give a list`,
		},
	],
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const hashes = readHashes(this.getNodeParameter('hashes', itemIndex, ''));
		const body = await sendAction(this, itemIndex, ENDPOINT, [{ hashes }]);
		const record = firstRecord(this, itemIndex, ENDPOINT, body);
		const status = record.hashStatus ?? [];
		const failed = record.failedHashes ?? [];
		if (!Array.isArray(status) || !Array.isArray(failed))
			throw unexpectedAnswer(this, itemIndex, ENDPOINT, 'no hashStatus list');
		// One item per hash asked, in the order asked, whatever order Mimecast answers in.
		const byHash = new Map<string, IDataObject>();
		for (const entry of status as IDataObject[]) {
			byHash.set(String(entry?.hash).toLowerCase(), {
				hash: String(entry?.hash).toLowerCase(),
				detected: entry?.detected === true,
				failed: false,
			});
		}
		for (const entry of failed as unknown[]) {
			const { hash: h, reason } = failedHash(entry);
			byHash.set(h.toLowerCase(), {
				hash: h.toLowerCase(),
				detected: null,
				failed: true,
				...(reason ? { reason } : {}),
			});
		}
		return hashes.map(
			(h) =>
				byHash.get(h) ?? {
					hash: h,
					detected: null,
					failed: true,
					reason: 'Mimecast did not answer for this hash',
				},
		);
	},
};

/** The Hashes parameter: text with separators, or a list from an expression; each checked. */
export function readHashes(value: unknown): string[] {
	const given = toTokenList(value);
	if (given.length === 0)
		throw new InvalidInput('Hashes is empty', 'Set at least one MD5, SHA-1 or SHA-256 hash.');
	const hashes = [
		...new Set(
			given.map((h, i) => hash(given.length > 1 ? `Hashes (entry ${i + 1})` : 'Hashes', h)),
		),
	];
	if (hashes.length > MAX_HASHES) {
		throw new InvalidInput(
			`Hashes holds ${hashes.length} hashes, more than the ${MAX_HASHES} Mimecast takes`,
			`Split them over several items of at most ${MAX_HASHES}.`,
		);
	}
	return hashes;
}

/** Mimecast's failedHashes entries: a bare hash, or an object with the hash and why. */
function failedHash(entry: unknown): { hash: string; reason?: string } {
	if (typeof entry === 'string') return { hash: entry };
	const e = (entry ?? {}) as IDataObject;
	const errors = Array.isArray(e.errors) ? (e.errors as IDataObject[]) : [];
	const reason = e.message ?? e.code ?? errors[0]?.message ?? errors[0]?.code;
	return { hash: String(e.hash ?? ''), reason: reason === undefined ? undefined : String(reason) };
}
