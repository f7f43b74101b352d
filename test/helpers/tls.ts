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
 *
 * The context is built as Node builds it without `ca` (the shared, already parsed root store),
 * then emu.ca is added to it: Node copies the root store for that one context before adding
 * (so nothing process-wide changes). Passing `ca: [...tls.rootCertificates, emu.ca]` instead
 * would parse all ~140 root PEMs on every connection, about 34 ms each: n8n's helpers make a
 * new connection per request, and bench P1t billed that to the node (2.25 instead of ~1).
 */
import tls from 'node:tls';

type NativeContext = { addCACert(cert: string): void };

export function trustCaInProcess(ca: string): () => void {
	const original = tls.createSecureContext;
	const wrapped: typeof tls.createSecureContext = (options = {}) => {
		const context = original(options);
		if (options.ca === undefined) (context.context as NativeContext).addCACert(ca);
		return context;
	};
	(tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = wrapped;
	return () => {
		(tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = original;
	};
}
