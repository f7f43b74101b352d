// A local HTTP server that stands in for Slack, a ticketing system or a file store: it keeps
// every request and answers 200, so the examples run headless and the tests assert exactly
// what n8n sent out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface SinkRequest {
	method: string;
	/** Path and query as received. */
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text(): string;
	json(): any;
	/** The body gunzipped, as text. */
	gunzip(): string;
}

export interface HttpSink {
	url: string;
	received: SinkRequest[];
	clear(): void;
	close(): Promise<void>;
}

export async function startHttpSink({ host = '127.0.0.1', port = 0 } = {}): Promise<HttpSink> {
	const received: SinkRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			received.push({
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body,
				text: () => body.toString('utf8'),
				json: () => JSON.parse(body.toString('utf8')),
				gunzip: () => zlib.gunzipSync(body).toString('utf8'),
			});
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const { port: bound } = server.address() as AddressInfo;
	return {
		url: `http://${host}:${bound}`,
		received,
		clear: () => void received.splice(0),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
