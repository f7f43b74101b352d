/** A bare API 1.0 get-siem-logs chain walk: signed fetch, the mc-siem-token header, isLastToken. */
import { signRequest } from '../../nodes/Mimecast/core/signing.ts';

const PATH = '/api/audit/get-siem-logs';

export async function fetchSiemChain(
	baseUrl: string,
	keys: { appId: string; appKey: string; accessKey: string; secretKey: string },
	format: 'json' | 'key_value',
	/** Filled with the mc-siem-token sent for each zip ('' for the first). */
	sentTokens: string[] = [],
): Promise<Buffer[]> {
	const zips: Buffer[] = [];
	let token: string | undefined;
	for (;;) {
		const item: Record<string, unknown> = { type: 'MTA' };
		if (token) item.token = token;
		item.fileFormat = format;
		item.compress = true;
		const res = await fetch(`${baseUrl}${PATH}`, {
			method: 'POST',
			headers: { ...signRequest(keys, PATH), 'content-type': 'application/json' },
			body: JSON.stringify({ data: [item] }),
		});
		const body = Buffer.from(await res.arrayBuffer());
		if (res.status !== 200) throw new Error(`get-siem-logs: HTTP ${res.status}`);
		if ((res.headers.get('content-type') ?? '').includes('json')) return zips;
		zips.push(body);
		sentTokens.push(token ?? '');
		token = res.headers.get('mc-siem-token') ?? undefined;
		if (!token) throw new Error('get-siem-logs: no mc-siem-token');
	}
}
