import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	computeSignature,
	formatMimecastHeaderDate,
	signRequest,
	validateApiKeys,
} from '../../nodes/Mimecast/core/signing';

// Computed with Python's hmac/hashlib exactly as the seed pages' sample code does, not with
// this package's code: base64(HMAC-SHA1(b64decode(secret), "date:reqId:uri:appKey")).
const VECTOR = {
	secretKey: 'bjhuLW5vZGVzLW1pbWVjYXN0IHRlc3Qgc2VjcmV0IGtleSAwMTIzNDU2Nzg5',
	date: 'Tue, 24 Nov 2015 12:50:11 UTC',
	requestId: '8578FCFC-A305-4D9A-99CB-F4D5ECEFE297',
	path: '/api/audit/get-audit-events',
	appKey: '0b8a1f5e-aaaa-bbbb-cccc-1234567890ab',
	signature: 'nJhigCa6z+p5Nm3WKKfTjfU5tS8=',
};

describe('API 1.0 signing', () => {
	it('matches an independently computed HMAC-SHA1 vector', () => {
		const data = `${VECTOR.date}:${VECTOR.requestId}:${VECTOR.path}:${VECTOR.appKey}`;
		assert.equal(computeSignature(VECTOR.secretKey, data), VECTOR.signature);
	});

	it('formats x-mc-date as RFC 1123 with UTC', () => {
		assert.equal(formatMimecastHeaderDate(Date.UTC(2015, 10, 24, 12, 50, 11)), VECTOR.date);
		assert.equal(
			formatMimecastHeaderDate(Date.UTC(2026, 0, 5, 3, 4, 5)),
			'Mon, 05 Jan 2026 03:04:05 UTC',
		);
	});

	it('builds the four headers the seed pages require', () => {
		const keys = {
			appId: 'app-id',
			appKey: VECTOR.appKey,
			accessKey: 'access-key',
			secretKey: VECTOR.secretKey,
		};
		const headers = signRequest(
			keys,
			VECTOR.path,
			Date.UTC(2015, 10, 24, 12, 50, 11),
			VECTOR.requestId,
		);
		assert.deepEqual(headers, {
			'x-mc-date': VECTOR.date,
			'x-mc-req-id': VECTOR.requestId,
			'x-mc-app-id': 'app-id',
			Authorization: `MC access-key:${VECTOR.signature}`,
		});
	});

	it('uses a fresh request id each time', () => {
		const keys = { appId: 'a', appKey: 'b', accessKey: 'c', secretKey: VECTOR.secretKey };
		assert.notEqual(signRequest(keys, '/x')['x-mc-req-id'], signRequest(keys, '/x')['x-mc-req-id']);
	});

	it('refuses a secret key that is not base64, without echoing it', () => {
		const secret = 'not base64 at all!!';
		assert.throws(
			() => validateApiKeys({ appId: 'a', appKey: 'b', accessKey: 'c', secretKey: secret }),
			(error: Error) =>
				/Secret Key is not valid base64/.test(error.message) && !error.message.includes(secret),
		);
	});

	it('names the empty field', () => {
		assert.throws(
			() =>
				validateApiKeys({ appId: 'a', appKey: '', accessKey: 'c', secretKey: VECTOR.secretKey }),
			/Application Key is empty/,
		);
		assert.throws(
			() =>
				validateApiKeys({ appId: ' ', appKey: 'b', accessKey: 'c', secretKey: VECTOR.secretKey }),
			/Application ID is empty/,
		);
	});

	it('accepts a secret pasted with a line break', () => {
		const keys = validateApiKeys({
			appId: 'a',
			appKey: 'b',
			accessKey: 'c',
			secretKey: `${VECTOR.secretKey.slice(0, 20)}\n${VECTOR.secretKey.slice(20)}`,
		});
		assert.equal(keys.secretKey, VECTOR.secretKey);
	});
});
