// A minimal local SMTP server that accepts every message and keeps it, so the email example
// runs with n8n's real Send Email node (nodemailer) and the tests read the mail it sent.
// Plain SMTP without TLS or AUTH: enough for nodemailer with `secure: false` and no user.
import net from 'node:net';

export interface SinkMail {
	from: string;
	to: string[];
	/** The message as sent (headers and MIME parts). */
	data: string;
	subject: string;
	html: string;
}

export interface SmtpSink {
	host: string;
	port: number;
	messages: SinkMail[];
	close(): Promise<void>;
}

export async function startSmtpSink({ host = '127.0.0.1', port = 0 } = {}): Promise<SmtpSink> {
	const messages: SinkMail[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		let buffer = '';
		let mail: { from: string; to: string[] } = { from: '', to: [] };
		let inData = false;
		let data = '';
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 localhost n8n-nodes-mimecast SMTP sink');
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end === -1) return;
					data += buffer.slice(0, end);
					buffer = buffer.slice(end + 5);
					inData = false;
					data = data.replace(/\r\n\.\./g, '\r\n.');
					messages.push({ ...mail, data, ...decode(data) });
					mail = { from: '', to: [] };
					data = '';
					reply('250 OK: queued');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol === -1) return;
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					reply('250-localhost');
					reply('250 8BITMIME');
				} else if (verb === 'HELO') reply('250 localhost');
				else if (verb === 'MAIL') {
					mail.from = line.replace(/^MAIL FROM:\s*/i, '');
					reply('250 OK');
				} else if (verb === 'RCPT') {
					mail.to.push(line.replace(/^RCPT TO:\s*/i, ''));
					reply('250 OK');
				} else if (verb === 'DATA') {
					inData = true;
					data = '';
					reply('354 End data with <CR><LF>.<CR><LF>');
					// The terminator check needs the CRLF that ended the DATA line.
					buffer = `\r\n${buffer}`;
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
				else reply('502 Command not implemented');
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	return {
		host,
		port: (server.address() as net.AddressInfo).port,
		messages,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

/** Subject and the HTML body, undoing the MIME structure and transfer encodings nodemailer uses. */
function decode(raw: string): { subject: string; html: string } {
	const { headers, body } = splitPart(raw);
	const subject = (headers.get('subject') ?? '').replace(
		/=\?utf-8\?([BQ])\?(.*?)\?=\s?/gi,
		(_: string, enc: string, text: string) =>
			enc.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: quotedPrintable(text.replace(/_/g, ' ')),
	);
	return { subject, html: findHtml(headers, body) };
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
	const text = raw.replace(/^\r\n/, '');
	const blank = text.indexOf('\r\n\r\n');
	const head = blank === -1 ? text : text.slice(0, blank);
	const headers = new Map<string, string>();
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return { headers, body: blank === -1 ? '' : text.slice(blank + 4) };
}

function findHtml(headers: Map<string, string>, body: string): string {
	const type = headers.get('content-type') ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
	if (/^multipart\//i.test(type) && boundary) {
		for (const part of body.split(`--${boundary}`).slice(1)) {
			const html = findHtml(...(Object.values(splitPart(part)) as [Map<string, string>, string]));
			if (html) return html;
		}
		return '';
	}
	if (!/^text\/html/i.test(type)) return '';
	const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
	if (encoding === 'base64')
		return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') return quotedPrintable(body);
	return body;
}

function quotedPrintable(text: string): string {
	const bytes: number[] = [];
	const s = text.replace(/=\r?\n/g, '');
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
			bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else bytes.push(...Buffer.from(s[i], 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}
