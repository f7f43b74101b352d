import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DateTime } from 'luxon';

import * as validate from '../../nodes/Mimecast/actions/validate';
import { InvalidInput } from '../../nodes/Mimecast/actions/validate';

/** Asserts `fn` throws InvalidInput whose message matches `pattern` (it names the field). */
function refuses(fn: () => unknown, pattern: RegExp) {
	assert.throws(fn, (error: unknown) => {
		assert.ok(error instanceof InvalidInput, String(error));
		assert.match(error.message, pattern);
		assert.ok(error.hint.length > 0, 'says how to fix it');
		return true;
	});
}

describe('action input validation', () => {
	it('accepts email addresses, trimmed, and refuses display names, brackets and bare names', () => {
		assert.equal(
			validate.email('Sender', '  alice.o+tag@mail.example.com '),
			'alice.o+tag@mail.example.com',
		);
		for (const bad of [
			'Alice <alice@example.com>',
			'alice',
			'alice@',
			'@example.com',
			'alice@example',
			'a b@example.com',
			'alice@@example.com',
			'alice..b@example.com',
		]) {
			refuses(() => validate.email('Sender', bad), /^Sender is not an email address/);
		}
		refuses(() => validate.email('Recipient', ''), /^Recipient is empty/);
		refuses(
			() => validate.email('Recipient', ['a@example.com']),
			/^Recipient must be text, not a list/,
		);
	});

	it('accepts domains (lower-cased) and refuses URLs, addresses and single labels', () => {
		assert.equal(validate.domain('Domain', 'Mail.Example.COM'), 'mail.example.com');
		for (const bad of [
			'https://example.com',
			'alice@example.com',
			'example',
			'exa mple.com',
			'-bad.example.com',
			'example.com/path',
		]) {
			refuses(() => validate.domain('Domain', bad), /^Domain is not a domain name/);
		}
	});

	it('requires a URL scheme and refuses a fragment', () => {
		assert.equal(validate.url('URL', 'https://evil.test/login?a=1'), 'https://evil.test/login?a=1');
		assert.equal(validate.url('URL', 'http://evil.test'), 'http://evil.test');
		refuses(() => validate.url('URL', 'evil.test/login'), /^URL is not a full URL/);
		refuses(() => validate.url('URL', 'ftp://evil.test/'), /^URL is not a full URL/);
		refuses(() => validate.url('URL', 'javascript:alert(1)'), /^URL is not a full URL/);
		refuses(() => validate.url('URL', 'https://evil.test/#top'), /^URL has a #fragment/);
	});

	it('accepts MD5, SHA-1 and SHA-256 hex (lower-cased) and nothing else', () => {
		for (const length of [32, 40, 64])
			assert.equal(validate.hash('Hash', 'AB'.repeat(length / 2)), 'ab'.repeat(length / 2));
		for (const bad of [
			'ab'.repeat(15),
			'ab'.repeat(24),
			'zz'.repeat(16),
			`${'a'.repeat(31)} `.trim() + 'g',
		]) {
			refuses(() => validate.hash('Hash', bad), /^Hash is not an MD5, SHA-1 or SHA-256 hash/);
		}
	});

	it('adds the angle brackets a Message-ID needs, and refuses spaces', () => {
		assert.equal(
			validate.messageId('Message-ID', 'abc@mail.example.com'),
			'<abc@mail.example.com>',
		);
		assert.equal(
			validate.messageId('Message-ID', '<abc@mail.example.com>'),
			'<abc@mail.example.com>',
		);
		refuses(() => validate.messageId('Message-ID', 'abc def@x'), /^Message-ID is not a Message-ID/);
		refuses(() => validate.messageId('Message-ID', '<>'), /^Message-ID is not a Message-ID/);
	});

	it('accepts only the listed values', () => {
		assert.equal(validate.oneOf('Match Type', 'domain', ['explicit', 'domain']), 'domain');
		refuses(
			() => validate.oneOf('Match Type', 'Domain', ['explicit', 'domain']),
			/^Match Type has an unknown value "Domain"/,
		);
	});

	it('requires exactly one of a set of fields', () => {
		assert.equal(
			validate.exactlyOneOf({ 'Email Address': 'a@example.com', Domain: '' }),
			'Email Address',
		);
		refuses(
			() => validate.exactlyOneOf({ 'Email Address': '', Domain: undefined }),
			/^Set Email Address or Domain/,
		);
		refuses(
			() => validate.exactlyOneOf({ 'Email Address': 'a@example.com', Domain: 'example.com' }),
			/^Set only one of Email Address or Domain/,
		);
	});

	it('reads a window in Mimecast format, End defaulting to now, and refuses a reversed one', () => {
		const now = DateTime.fromISO('2024-05-02T10:00:00Z');
		const fields = { start: 'Start', end: 'End' };
		assert.deepEqual(validate.window(fields, { start: '2024-05-01T08:00:00Z', end: '' }, { now }), {
			start: '2024-05-01T08:00:00+0000',
			end: '2024-05-02T10:00:00+0000',
		});
		assert.deepEqual(
			validate.window(fields, { start: '', end: '' }, { now, defaultStart: now.minus({ days: 1 }) })
				.start,
			'2024-05-01T10:00:00+0000',
		);
		refuses(() => validate.window(fields, { start: '', end: '' }, { now }), /^Start is empty/);
		refuses(
			() => validate.window(fields, { start: 'yesterday', end: '' }, { now }),
			/^Start "yesterday" is not a date/,
		);
		refuses(
			() =>
				validate.window(
					fields,
					{ start: '2024-05-03T00:00:00Z', end: '2024-05-02T00:00:00Z' },
					{ now },
				),
			/^Start is not before End/,
		);
	});
});
