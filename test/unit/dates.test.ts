import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DateTime } from 'luxon';

import { parseRecordTime, parseUserDate, toMimecastDate } from '../../nodes/Mimecast/core/dates';

describe('dates', () => {
	const cases: Array<[string, unknown, string]> = [
		['ISO with Z', '2024-05-01T08:00:00Z', '2024-05-01T08:00:00+0000'],
		['ISO with offset', '2024-05-01T10:00:00+02:00', '2024-05-01T08:00:00+0000'],
		['Mimecast colon-less offset', '2024-05-01T10:00:00+0200', '2024-05-01T08:00:00+0000'],
		['milliseconds dropped', '2024-05-01T08:00:00.999Z', '2024-05-01T08:00:00+0000'],
		['epoch ms number', Date.UTC(2024, 4, 1, 8), '2024-05-01T08:00:00+0000'],
		['JS Date', new Date(Date.UTC(2024, 4, 1, 8)), '2024-05-01T08:00:00+0000'],
		[
			'luxon DateTime',
			DateTime.fromISO('2024-05-01T09:00:00+01:00', { setZone: true }),
			'2024-05-01T08:00:00+0000',
		],
	];
	for (const [name, input, expected] of cases) {
		it(`sends ${name} in Mimecast's form`, () => {
			assert.equal(toMimecastDate(parseUserDate(input)!), expected);
		});
	}

	it("reads the date picker's zone-less value in the workflow's time zone", () => {
		assert.equal(
			toMimecastDate(parseUserDate('2024-05-01T10:00:00', 'Europe/Berlin')!),
			'2024-05-01T08:00:00+0000',
		);
		assert.equal(
			toMimecastDate(parseUserDate('2024-05-01T10:00:00', 'UTC')!),
			'2024-05-01T10:00:00+0000',
		);
	});

	it('treats empty as absent and rejects text that is no date', () => {
		assert.equal(parseUserDate(''), undefined);
		assert.equal(parseUserDate(undefined), undefined);
		assert.throws(() => parseUserDate('yesterday-ish'), /is not a date/);
		assert.throws(() => parseUserDate('2024-13-45T00:00:00Z'), /is not a date/);
	});

	it('names an invalid date value as a person would recognise it, never "[object Object]"', () => {
		const cases: Array<[unknown, RegExp]> = [
			[new Date('not a date'), /^a Date object is not a date/],
			[DateTime.invalid('unparsable'), /^a date object is not a date \(unparsable\)/],
			[{ toISO: () => null }, /^a date object is not a date \(it holds no date/],
			[{ a: 1 }, /^an object is not a date$/],
			[[1, 2], /^a list is not a date$/],
			[true, /^a boolean true is not a date$/],
			[
				'2024-13-45T00:00:00Z',
				/^"2024-13-45T00:00:00Z" is not a date \(you specified 13 .* as a month/,
			],
		];
		for (const [value, expected] of cases) {
			assert.throws(
				() => parseUserDate(value),
				(error: Error) => {
					assert.match(error.message, expected);
					assert.doesNotMatch(error.message, /\[object Object\]|parsed as HTTP/);
					return true;
				},
			);
		}
	});

	it('reads record times in every form Mimecast serves', () => {
		assert.equal(parseRecordTime('2017-01-24T13:51:47+0000'), Date.UTC(2017, 0, 24, 13, 51, 47));
		assert.equal(parseRecordTime('2017-01-24T14:51:47+0100'), Date.UTC(2017, 0, 24, 13, 51, 47));
		assert.equal(parseRecordTime(1_700_000_000_000), 1_700_000_000_000);
		assert.ok(Number.isNaN(parseRecordTime(undefined)));
	});
});
