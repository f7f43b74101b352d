import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actionHarness, sentData } from '../helpers/actions';
import { AUTH_MODES } from '../helpers/credentials';

const PATH = '/api/ttp/url/decode-url';

describe('Mimecast node: URL', () => {
	const h = actionHarness();
	const decode = (url: string) => ({ resource: 'url', operation: 'decode', url });

	for (const auth of AUTH_MODES) {
		describe(auth, () => {
			it('decodes a rewritten link: the exact request and the original URL', async () => {
				const original = 'http://northwind-payroll.test/login/';
				const link = h.emu.actions.rewrite(original);
				const items = await h.run(auth, decode(link));
				assert.deepEqual(sentData(h.calls(PATH)[0]), [{ url: link }]);
				assert.deepEqual(items, [
					{ json: { url: link, decodedUrl: original }, pairedItem: { item: 0 } },
				]);
			});

			it('names the URL when Mimecast cannot decode it', async () => {
				await h.rejects(
					h.run(auth, decode('https://www.partner-portal.example/login')),
					/could not decode https:\/\/www\.partner-portal\.example\/login.*rewrote/s,
				);
				assert.equal(h.calls(PATH).length, 1);
			});

			it('refuses a link without a scheme before anything is sent', async () => {
				await h.rejects(
					h.run(auth, decode('protect-eu.mimecast.com/s/abc')),
					/URL is not a full URL/,
				);
				assert.equal(h.emu.requests.length, 0);
			});

			it('retries a reset and a 429 (a read), and names the permission on a 403', async () => {
				const link = h.emu.actions.rewrite('https://updates.n0rthwind.test/');
				h.emu.faults.inject({ kind: 'reset', path: PATH });
				h.emu.faults.inject({ kind: '429', path: PATH, resetMs: 10 });
				const [item] = await h.run(auth, decode(link));
				assert.equal(item.json.decodedUrl, 'https://updates.n0rthwind.test/');
				assert.deepEqual(
					h.calls(PATH).map((r) => r.status),
					[0, 429, 200],
				);
				h.emu.faults.inject({ kind: '403', path: PATH });
				await h.rejects(
					h.run(auth, decode(link)),
					/Decode URL.*Monitoring \| URL Protection \| Read/s,
				);
			});
		});
	}
});
