import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { TimedRecord } from '../../nodes/Mimecast/execution/cursor';
import {
	admit,
	advance,
	initialCursor,
	loadCursor,
	streamKey,
} from '../../nodes/Mimecast/execution/cursor';
import { canonicalJson, fingerprint } from '../../nodes/Mimecast/core/fingerprint';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const rec = (id: string, offsetSeconds: number): TimedRecord<string> => ({
	record: id,
	id,
	time: T0 + offsetSeconds * 1000,
});

describe('paged trigger cursor', () => {
	it('starts at a whole second and resets when the stream (filters, log type) changes', () => {
		const cursor = initialCursor('s1', T0 + 1234);
		assert.equal(cursor.since, T0 + 1000);
		assert.deepEqual(loadCursor(JSON.parse(JSON.stringify(cursor)), 's1'), cursor);
		assert.equal(loadCursor(cursor, 's2'), undefined);
		assert.equal(loadCursor(undefined, 's1'), undefined);
		assert.notEqual(streamKey({ route: 'all' }), streamKey({ route: 'inbound' }));
		assert.equal(streamKey({ a: 1, b: 2 }), streamKey({ b: 2, a: 1 }));
	});

	it('emits oldest first and drops records already emitted at the boundary second', () => {
		let cursor = initialCursor('s', T0);
		const first = admit(cursor, [rec('c', 5), rec('a', 1), rec('b', 5)]);
		assert.deepEqual(
			first.map((e) => e.id),
			['a', 'c', 'b'],
		);
		cursor = advance(cursor, first, T0 + 5000, true);
		assert.equal(cursor.since, T0 + 4000);
		// The next window starts at the boundary again: b and c come back, d is new.
		const second = admit(cursor, [rec('b', 5), rec('d', 5), rec('c', 5), rec('e', 9)]);
		assert.deepEqual(
			second.map((e) => e.id),
			['d', 'e'],
		);
	});

	it('keeps the boundary set small: only records at or after the new since', () => {
		let cursor = initialCursor('s', T0);
		const batch = Array.from({ length: 100 }, (_, i) => rec(`r${i}`, i));
		cursor = advance(cursor, admit(cursor, batch), T0 + 100_000, true);
		assert.ok(Object.keys(cursor.boundary).length <= 2, JSON.stringify(cursor.boundary));
	});

	it('advances only to the newest emitted record when the window was not read whole', () => {
		let cursor = initialCursor('s', T0);
		const emitted = admit(cursor, [rec('a', 1), rec('b', 2), rec('c', 2)]);
		cursor = advance(cursor, emitted, T0 + 60_000, false);
		assert.equal(cursor.since, T0 + 1000);
		assert.deepEqual(
			admit(cursor, [rec('b', 2), rec('c', 2), rec('x', 2), rec('y', 30)]).map((e) => e.id),
			['x', 'y'],
		);
	});

	it('does not move when nothing was read (a failed or rate-limited poll)', () => {
		const cursor = { ...initialCursor('s', T0), boundary: { a: T0 } };
		const next = advance(cursor, [], cursor.since, false);
		assert.equal(next.since, cursor.since);
		assert.deepEqual(next.boundary, cursor.boundary);
	});

	it('never moves backwards', () => {
		const cursor = initialCursor('s', T0 + 10_000);
		assert.equal(advance(cursor, [], T0, true).since, T0 + 10_000);
	});

	it('loads a cursor stored before the records-per-second hint, and drops a damaged hint', () => {
		// As stored by 0.2.0: no recordsPerSecond. It loads unchanged, so the poll probes as before.
		const stored = { version: 1, stream: 's', since: T0, boundary: { x: T0 } };
		assert.deepEqual(loadCursor(JSON.parse(JSON.stringify(stored)), 's'), stored);
		const hinted = { ...stored, recordsPerSecond: 0.5 };
		assert.deepEqual(loadCursor(JSON.parse(JSON.stringify(hinted)), 's'), hinted);
		for (const bad of ['fast', -1, null, 1e400, { n: 1 }]) {
			const loaded = loadCursor({ ...stored, recordsPerSecond: bad }, 's');
			assert.deepEqual(loaded, stored, `hint ${JSON.stringify(bad)} dropped`);
		}
	});

	it('ignores records older than the window that Mimecast still returned', () => {
		const cursor = initialCursor('s', T0 + 10_000);
		assert.deepEqual(
			admit(cursor, [rec('old', 1), rec('new', 11)]).map((e) => e.id),
			['new'],
		);
	});

	it('drops a record served twice in one batch', () => {
		const cursor = initialCursor('s', T0);
		assert.deepEqual(
			admit(cursor, [rec('a', 1), rec('a', 1)]).map((e) => e.id),
			['a'],
		);
	});

	it('never moves past the window read, whatever time a record claims', () => {
		const cursor = initialCursor('s', T0);
		const future = rec('future', 400 * 86_400);
		const next = advance(cursor, admit(cursor, [rec('a', 3), future]), T0 + 10_000, false);
		assert.equal(next.since, T0 + 9_000);
		assert.equal(next.boundary.future, T0 + 10_000, 'kept as at the window end');
		assert.deepEqual(
			admit(next, [future, rec('b', 12)]).map((e) => e.id),
			['b'],
			'not emitted again',
		);
		assert.equal(advance(cursor, [future], T0 + 10_000, true).since, T0 + 9_000);
	});
});

describe('record fingerprints', () => {
	it('ignore key order and undefined members, and tell values apart', () => {
		assert.equal(
			fingerprint({ a: 1, b: { c: [1, { d: 2, e: 'x' }] } }),
			fingerprint({ b: { c: [1, { e: 'x', d: 2 }] }, a: 1, z: undefined }),
		);
		assert.notEqual(fingerprint({ a: [1, 2] }), fingerprint({ a: [2, 1] }));
		assert.equal(
			canonicalJson({ b: [null, 'q"'], a: { y: 1, x: true } }),
			'{"a":{"x":true,"y":1},"b":[null,"q\\""]}',
		);
	});

	it('work on records nested far deeper than the call stack allows recursion', () => {
		let deep: unknown = { leaf: 1 };
		for (let i = 0; i < 100_000; i++) deep = { level: deep, n: [i] };
		assert.match(fingerprint(deep), /^[A-Za-z0-9+/]{27}$/);
	});
});
