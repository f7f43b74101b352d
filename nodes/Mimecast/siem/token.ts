import { Unzlib } from '../vendor/fflate';

export interface SiemTokenInfo {
	/** When the file the token points at was created, ISO 8601. */
	createTime?: string;
	/** `siemlogtype` when the token carries it as text. */
	filePrefix?: string;
	/**
	 * `siemlogtype` when the token carries it as a number (the sample token has 0); the mapping
	 * from numbers to log types is not published, so it is passed on as it is.
	 */
	filePrefixCode?: number;
}

// Real tokens are a few hundred characters; anything far longer is not one.
const MAX_TOKEN_LENGTH = 8192;
const MAX_DECODED_BYTES = 65536;

function base64UrlToBytes(token: string): Uint8Array | undefined {
	let b64 = token.replace(/-/g, '+').replace(/_/g, '/');
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
	b64 = b64.replace(/=+$/, '');
	if (b64.length % 4 === 1) return undefined;
	b64 += '='.repeat((4 - (b64.length % 4)) % 4);
	const binary = atob(b64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

function inflateBounded(bytes: Uint8Array): Uint8Array | undefined {
	const chunks: Uint8Array[] = [];
	let total = 0;
	let overflow = false;
	const unzlib = new Unzlib((chunk) => {
		total += chunk.length;
		if (total > MAX_DECODED_BYTES) overflow = true;
		else chunks.push(chunk);
	});
	// Small pushes: deflate expands at most ~1032:1, so no step allocates much past the limit.
	for (let p = 0; p < bytes.length && !overflow; p += 64) {
		const end = Math.min(bytes.length, p + 64);
		unzlib.push(bytes.subarray(p, end), end === bytes.length);
	}
	if (overflow) return undefined;
	const out = new Uint8Array(total);
	let p = 0;
	for (const chunk of chunks) {
		out.set(chunk, p);
		p += chunk.length;
	}
	return out;
}

/**
 * What an `mc-siem-token` says about the file it points at, for showing how far behind a
 * reader is. The token is undocumented (seen: URL-safe base64 of zlib-compressed JSON with
 * `createTime` in epoch ms and `siemlogtype`), so this never throws: anything that does not
 * decode that way gives undefined.
 */
export function describeSiemToken(token: string): SiemTokenInfo | undefined {
	try {
		const trimmed = token.trim();
		if (trimmed.length === 0 || trimmed.length > MAX_TOKEN_LENGTH) return undefined;
		const bytes = base64UrlToBytes(trimmed);
		// zlib header: CMF 0x78 (deflate, 32K window) and a header checksum.
		if (
			bytes === undefined ||
			bytes.length < 6 ||
			bytes[0] !== 0x78 ||
			((bytes[0] << 8) | bytes[1]) % 31 !== 0
		) {
			return undefined;
		}
		const json = inflateBounded(bytes);
		if (json === undefined) return undefined;
		const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
		const fields = parsed as Record<string, unknown>;
		const info: SiemTokenInfo = {};
		const createTime =
			typeof fields.createTime === 'string' && /^\d+$/.test(fields.createTime)
				? Number(fields.createTime)
				: fields.createTime;
		if (typeof createTime === 'number' && Number.isFinite(createTime)) {
			const date = new Date(createTime);
			if (!Number.isNaN(date.getTime())) info.createTime = date.toISOString();
		}
		const type = fields.siemlogtype;
		if (typeof type === 'string' && type.length > 0) info.filePrefix = type;
		else if (typeof type === 'number' && Number.isFinite(type)) info.filePrefixCode = type;
		return info;
	} catch {
		return undefined;
	}
}
