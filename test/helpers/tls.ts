/**
 * Trusting the emulator's self-signed certificate (emu.ca) in this test process only.
 *
 * A client that takes a `ca` option gets emu.ca directly. n8n's HTTP helpers do not: they make
 * their own https.Agent per request and accept only `skipSslCertificateValidation` (which would
 * test nothing). Node 20 has no tls.setDefaultCACertificates (Node 22.15+), and
 * NODE_EXTRA_CA_CERTS is read once at process start (fine for a child process such as n8n,
 * too late for this one). What every https.Agent without a `secureContext` calls is
 * tls.createSecureContext(options): wrapped here, it adds emu.ca beside the system roots when
 * the caller brings no `ca` of its own. Verification stays on (chain, host name, expiry), no
 * variable like NODE_TLS_REJECT_UNAUTHORIZED is touched, and the returned function undoes it.
 */
import tls from 'node:tls';

export function trustCaInProcess(ca: string): () => void {
	const original = tls.createSecureContext;
	const roots = [...tls.rootCertificates, ca];
	const wrapped: typeof tls.createSecureContext = (options = {}) =>
		original(options.ca === undefined ? { ...options, ca: roots } : options);
	(tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = wrapped;
	return () => {
		(tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = original;
	};
}
