/**
 * Opaque, tamper-evident tokens (page tokens, 2.0 nextPage). They look like Mimecast's
 * (zlib-compressed JSON, URL-safe base64: "eNo…") and carry an HMAC so a client cannot edit or
 * reuse them across queries without the server noticing.
 */
import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export class TokenCodec {
	constructor(private readonly secret: Buffer) {}

	mac(text: string, length = 22): string {
		return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, length);
	}

	seal(payload: Record<string, unknown>): string {
		const body = JSON.stringify(payload);
		return deflateSync(JSON.stringify({ ...payload, mac: this.mac(body) }), { level: 9 }).toString(
			'base64url',
		);
	}

	open<T extends Record<string, unknown>>(token: unknown): T | undefined {
		if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
		try {
			const parsed = JSON.parse(
				inflateSync(Buffer.from(token, 'base64url')).toString('utf8'),
			) as Record<string, unknown>;
			const { mac, ...payload } = parsed;
			return mac === this.mac(JSON.stringify(payload)) ? (payload as T) : undefined;
		} catch {
			return undefined;
		}
	}
}
