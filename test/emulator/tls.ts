/**
 * A self-signed certificate for 127.0.0.1 / localhost, made at start with node:crypto alone.
 *
 * node:crypto makes keys and signatures but no X.509 certificate (X509Certificate only
 * parses), and neither an openssl binary nor a certificate package can be assumed on every
 * machine: the certificate's DER is written here by hand (about 40 lines of ASN.1), signed
 * with an ECDSA P-256 key, and checked by parsing it back with X509Certificate. The
 * certificate is its own CA: a client trusts it by passing it as `ca`, nothing process-wide.
 */
import {
	createPrivateKey,
	generateKeyPairSync,
	randomBytes,
	sign,
	X509Certificate,
} from 'node:crypto';

export interface SelfSigned {
	/** PEM of the private key (PKCS#8). */
	key: string;
	/** PEM of the certificate; also the CA to trust. */
	cert: string;
}

// ---- DER, just what a certificate needs --------------------------------------------------

function length(n: number): Buffer {
	if (n < 0x80) return Buffer.from([n]);
	const bytes: number[] = [];
	for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]) => {
	const body = Buffer.concat(content);
	return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);

function oid(dotted: string): Buffer {
	const [a, b, ...rest] = dotted.split('.').map(Number);
	const out = [40 * a + b];
	for (const part of rest) {
		const chunk = [part & 0x7f];
		for (let v = part >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
		out.push(...chunk);
	}
	return tlv(0x06, Buffer.from(out));
}

function integer(b: Buffer): Buffer {
	return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/** UTCTime, valid for dates 1950–2049: YYMMDDHHMMSSZ. */
function utcTime(date: Date): Buffer {
	return tlv(0x17, Buffer.from(date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** A fresh key and certificate, valid from an hour ago for `days` days. */
export function selfSignedCertificate({
	commonName = 'Mimecast emulator (test only)',
	days = 7,
} = {}): SelfSigned {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const spki = publicKey.export({ type: 'spki', format: 'der' });
	const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
	const now = Date.now();
	const serial = randomBytes(16);
	serial[0] &= 0x7f;
	const extension = (id: string, critical: boolean, value: Buffer) =>
		seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
	const subjectAltName = seq(
		tlv(0x87, Buffer.from([127, 0, 0, 1])),
		tlv(0x82, Buffer.from('localhost')),
	);
	const tbs = seq(
		explicit(0, integer(Buffer.from([2]))), // v3
		integer(serial),
		ECDSA_WITH_SHA256,
		name,
		seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + days * 86_400_000))),
		name,
		spki,
		explicit(
			3,
			seq(
				extension('2.5.29.19', true, seq(bool(true))), // basicConstraints: CA (it is its own issuer)
				extension('2.5.29.15', true, bits(Buffer.from([0x84]))), // keyUsage: digitalSignature, keyCertSign
				extension('2.5.29.17', false, subjectAltName),
			),
		),
	);
	const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
	const der = seq(tbs, ECDSA_WITH_SHA256, bits(signature));
	const cert = `-----BEGIN CERTIFICATE-----\n${der
		.toString('base64')
		.match(/.{1,64}/g)!
		.join('\n')}\n-----END CERTIFICATE-----\n`;
	// Parsing it back catches a malformed encoding here rather than in a TLS handshake.
	const parsed = new X509Certificate(cert);
	if (!parsed.verify(publicKey) || !parsed.checkIP('127.0.0.1'))
		throw new Error('the generated certificate does not verify');
	const key = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })).export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	return { key, cert };
}
