import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	parseKeyValueFile,
	parseKeyValueLine,
	serializeKeyValue,
	UNPARSED_FIELD,
} from '../helpers/siemParsers';
import { readSample } from '../helpers/samples';
import { mulberry32 as prng } from '../emulator/prng';

describe('key_value lines from the public samples', () => {
	test('the ECS receipt line reads into the fields Mimecast documents', () => {
		const lines = readSample('other/mimecast_receipt_key_value.log')
			.split('\n')
			.filter((l) => l.trim() !== '');
		assert.equal(lines.length, 1);
		assert.deepEqual(parseKeyValueLine(lines[0]), {
			datetime: '2017-05-26T16:47:41+0100',
			aCode: '7O7I7MvGP1mj8plHRDuHEA',
			acc: 'C0A0',
			SpamLimit: '0',
			IP: '123.123.123.123',
			Dir: 'Internal',
			MsgId: '<81ce15$8r2j59@mail01.example.com>',
			Subject: 'message subject',
			headerFrom: 'from@mimecast.com',
			Sender: 'from@mimecast.com',
			Rcpt: 'auser@mimecast.com',
			// The json format sends "[]" as a string; in key_value it sits inline, so it is JSON.
			SpamInfo: [],
			Act: 'Acc',
			TlsVer: 'TLSv1',
			Cphr: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
			SpamProcessingDetail: {
				spf: { info: 'SPF_FAIL', allow: true },
				dkim: { info: 'DKIM_UNKNOWN', allow: true },
			},
			SpamScore: '1',
		});
	});

	test('a recorded key_value file', () => {
		const text = readSample('other/mimecast_receipt_key_value.log');
		const records = parseKeyValueFile(text);
		assert.equal(records.length, 1);
		assert.equal(records[0].Subject, 'message subject');
	});

	/**
	 * One key_value line per log type, written the way Mimecast writes them, for the events of
	 * Mimecast's "Understanding SIEM logs" page that Elastic keeps as JSON
	 * (test-siem-docs-logs.log, same order). Each line must read into that event, scalars as
	 * the strings key_value carries.
	 */
	const docsLines = [
		'datetime=2017-05-26T16:47:41+0100|aCode=7O7I7MvGP1mj8plHRDuHEA|acc=C0A0|SpamLimit=0|IP=81.2.69.144|Dir=Internal|MsgId=<messageId@messageId>|Subject=\\message subject\\|headerFrom=from@mimecast.com|Sender=from@mimecast.com|Rcpt=auser@mimecast.com|SpamInfo=[]|Act=Acc|TlsVer=TLSv1|Cphr=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA|SpamProcessingDetail={"spf":{"info":"SPF_FAIL","allow":true},"dkim":{"info":"DKIM_UNKNOWN","allow":true}}|SpamScore=1',
		'datetime=2017-05-26T19:36:48+0100|aCode=BY81J52RPjSmp7MrubnlZg|acc=C0A0|Act=Acc|AttCnt=2|AttNames=\\"filename.docx", "filename2.xlsx"\\|AttSize=1267|MsgId=messageId@mssageId|MsgSize=2116',
		'datetime=2017-05-26T19:36:48+0100|aCode=BY81J52RPjSmp7MrubnlZg|acc=C0A0|Act=Acc|AttCnt=0|AttNames=|AttSize=0|MsgId=messageId@mssageId|MsgSize=2116',
		'datetime=2017-05-26T19:24:18+0100|aCode=015vTYvNN-Wn30v7M5MzNw|acc=C0A0|Act=Hld|AttCnt=0|AttNames=|AttSize=0|Hld=Spm|IPInternalName=false|IPNewDomain=false|IPReplyMismatch=false|IPSimilarDomain=false|IPThreadDict=false|MsgId=messageId@mssageId|MsgSize=56442',
		'datetime=2017-05-26T19:40:33+0100|aCode=9q_HeIHHPYejZTBsnipWmQ|acc=C0A0|Delivered=true|IP=81.2.69.144|AttCnt=0|Dir=Inbound|ReceiptAck=\\250 2.6.0 messageId@mssageId [InternalId=25473608] Queued mail for delivery\\|MsgId=messageId@mssageId|Subject=\\Auto Reply\\|Latency=5618|Sender=from@domain.com|Rcpt=auser@mimecast.com|AttSize=0|Attempt=1|TlsVer=TLSv1|Cphr=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA|Snt=28237|UseTls=Yes|Route=\\Mimecast Exchange Rout\\',
		'datetime=2021-03-05T16:25:17+0000|acc=C0A0|Virus=Anomali:Phishing|Sender=8jy0xzfjymioyjfjrajc@senderdomain.tld|Recipient=recipient@recipientdomain.tld|SenderDomain=senderdomain.tld|SenderDomainInternal=false|Route=Inbound|Subject=\\Invoice Attached for payment\\|MsgId=<85485.121030516250700527@mta.uk.somewhere.tld>|IP=0.0.0.0|CustomerIP=true|MimecastIP=false|fileName=\\Invoice Attached for payment\\|fileExt=xlsm|fileMime=application/vnd.ms-excel.sheet.macroEnabled.12|Size=1648832|md5=4dbe9dbfb53438d9ce410535355cd973|sha1=816b013c8be6e5708690645964b5d442c085041e|sha256=efe51c2453821310c7a34dca3054021d0f6d453b7133c381d75e3140901efd12',
		'datetime=2021-03-05T18:18:39+0000|aCode=azYwczFKNga_v1sYBuJOvA|acc=C0A0|Sender=sender@domain.tld|Recipient=recipient@adomain.tld|SenderDomain=bdomain.tld|SourceIP=0.0.0.0|Route=Inbound|Subject=\\Opportunity to become VP\\|MsgId=<ABCDEF@domain-GHIK>|headerFrom=sender@adomain',
		'datetime=2021-03-04T21:31:08+0000|aCode=vit87EEXMPaEyl22Lrb92A|acc=C46A75|Sender=sender@domain.tld|Recipient=recipient@domain.tld|Route=Internal|Subject=\\Coffee Briefing\\|MsgId=<CWXP123MB37349110AF6F6A2BC94F702EC4979@CWXP123MB3734.GBRP123.PROD.domain.tld>|ScanResultInfo=\\Blocked URL Category\\|URL=https://domain.com/login/|UrlCategory=\\Phishing & Fraud\\',
		'datetime=2020-07-27T00:39:59+0100|aCode=q4qBpkoTOt-iStR7G44w3g|acc=C0A0|Sender=sender@domain|Recipient=recipient@domain|IP=0.0.0.0|Subject=\\Opportunity to become VP\\|Definition=\\Default Impersonation Definition\\|Hits=1|Action=Hold|TaggedExternal=false|TaggedMalicious=true|MsgId=<ABCDEF@domain.tld>|InternalName=true|CustomName=false|NewDomain=false|SimilarInternalDomain=false|SimilarCustomExternalDomain=false|SimilarMimecastExternalDomain=false|ReplyMismatch=false|ThreatDictionary=false|CustomThreatDictionary=false|Route=Inbound',
		'datetime=2017-05-26T19:22:37+0100|acc=C0A0|reason=malicious|url=http://bgmtechnology.com.au|route=inbound|sourceIp=81.2.69.144|sender=from@domain.com|recipient=auser@mimecast.com|urlCategory=Blocked|senderDomain=domain.com',
		'datetime=2017-05-23T21:45:21+0100|acc=C1A1|fileName=1XCOLUMN.PVC|sha256=8746bb4b31ab6f03eb0a3b2c62ab7497658f0f85c8e7e82f042f9af0bb876d83|Size=378368|IP=81.2.69.144|Recipient=auser@mimecast.com|SenderDomain=domain.com|fileExt=doc|sha1=a27850da9e7adfc8e1a94dabf2509fc9d65ee7e2|Sender=from@domain.com|fileMime=application/vnd.ms-office|Route=Inbound|md5=7b52770644da336a9a59141c80807f37',
	];

	test("one line per log type reads into the event of Mimecast's docs", () => {
		const docs = readSample('elastic/test-siem-docs-logs.log')
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l) => JSON.parse(l) as Record<string, unknown>);
		assert.equal(docs.length, docsLines.length);
		docs.forEach((event, i) => {
			const expected: Record<string, unknown> = {};
			for (const [key, value] of Object.entries(event)) {
				if (typeof value === 'number' || typeof value === 'boolean') expected[key] = String(value);
				else if (value === '[]') expected[key] = [];
				else expected[key] = value;
			}
			assert.deepEqual(parseKeyValueLine(docsLines[i]), expected, `docs event ${i + 1}`);
		});
	});

	test('url-protect keys stay lower case and nothing is renamed', () => {
		const record = parseKeyValueLine(docsLines[9]);
		assert.deepEqual(Object.keys(record), [
			'datetime',
			'acc',
			'reason',
			'url',
			'route',
			'sourceIp',
			'sender',
			'recipient',
			'urlCategory',
			'senderDomain',
		]);
		assert.equal(record.url, 'http://bgmtechnology.com.au');
		assert.equal(record.Url, undefined);
	});

	test("Sentinel's parsed rows (empty fields included) match the lines they came from", () => {
		const rows = JSON.parse(readSample('sentinel/MimecastSIEM_CL.EXCERPT.json')) as Record<
			string,
			string
		>[];
		// The rows as Mimecast would have written them; Sentinel adds the _s suffix and its own
		// columns (TimeGenerated, logType, mimecastEvent*), which are left out here.
		const lines = [
			'datetime=2021-12-26T23:54:50+0000|aCode=dQ0UKZlCODqTnklj4RXhlA|acc=C46A75|IP=104.47.20.58|RejType=|Error=|RejCode=|Dir=Outbound|Subject=\\This is an autogenerated email\\|MsgId=sanitized@sanitized.com|headerFrom=sanitized@sanitized.com|Sender=sanitized@sanitized.com|Rcpt=sanitized@sanitized.com|Act=Acc|RejInfo=|AttSize=',
			'datetime=2021-12-26T23:54:52+0000|aCode=dQ0UKZlCODqTnklj4RXhlA|acc=C46A75|IP=142.251.5.26|RejType=|Error=|RejCode=|Dir=Outbound|Subject=\\This is an autogenerated email\\|MsgId=sanitized@sanitized.com|headerFrom=|Sender=sanitized@sanitized.com|Rcpt=sanitized@sanitized.com|Act=|RejInfo=|AttSize=0',
			'datetime=2021-12-26T23:54:52+0000|aCode=dQ0UKZlCODqTnklj4RXhlA|acc=C46A75|IP=|RejType=|Error=|RejCode=|Dir=|Subject=\\This is an autogenerated email\\|MsgId=sanitized@sanitized.com|headerFrom=|Sender=sanitized@sanitized.com|Rcpt=|Act=Acc|RejInfo=|AttSize=0',
			'datetime=2021-12-27T00:15:46+0000|aCode=or0ZcUc5NOqnA-WwVcC89A|acc=C46A75|IP=50.115.211.65|RejType=\\Manual Envelope Rejection\\|Error=\\User level block list in force\\|RejCode=550|Dir=Inbound|Subject=|MsgId=|headerFrom=|Sender=sanitized@sanitized.com|Rcpt=sanitized@sanitized.com|Act=Rej|RejInfo=\\Envelope blocked - User Entry\\|AttSize=',
		];
		const records = parseKeyValueFile(lines.join('\r\n') + '\r\n');
		assert.equal(records.length, rows.length);
		rows.forEach((row, i) => {
			const expected: Record<string, string> = {};
			for (const [column, value] of Object.entries(row)) {
				if (
					!column.endsWith('_s') ||
					column.startsWith('logType') ||
					column.startsWith('mimecastEvent')
				)
					continue;
				expected[column.slice(0, -2)] = value;
			}
			const { datetime, ...rest } = records[i];
			assert.equal(typeof datetime, 'string');
			assert.deepEqual(rest, expected, `row ${i + 1}`);
		});
	});
});

describe('key_value edge cases', () => {
	test('a wrapped value keeps |, = and spaces verbatim', () => {
		assert.deepEqual(parseKeyValueLine('Subject=\\a | b = c\\|Act=Acc'), {
			Subject: 'a | b = c',
			Act: 'Acc',
		});
		assert.deepEqual(parseKeyValueLine('Subject=\\Re: x=1|y=2 \\'), { Subject: 'Re: x=1|y=2 ' });
		// Only a backslash on a boundary closes it: inner backslashes stay.
		assert.deepEqual(parseKeyValueLine('Path=\\C:\\temp\\a b\\|n=1'), {
			Path: 'C:\\temp\\a b',
			n: '1',
		});
		assert.deepEqual(parseKeyValueLine('a=\\x\\|y\\|b=2'), { a: 'x\\|y', b: '2' });
		assert.deepEqual(parseKeyValueLine('a=\\\\|b=2'), { a: '', b: '2' });
	});

	test('a wrapped value without its closing backslash is kept as a plain value', () => {
		assert.deepEqual(parseKeyValueLine('Subject=\\cut off here|Act=Acc'), {
			Subject: '\\cut off here',
			Act: 'Acc',
		});
		assert.deepEqual(parseKeyValueLine('Subject=\\'), { Subject: '\\' });
	});

	test('inline JSON with |, =, escaped quotes and nested braces is parsed', () => {
		const line =
			'a=1|SpamProcessingDetail={"spf":{"info":"SPF|FAIL=x","allow":true},"q":"say \\"}|{\\"","n":[1,{"b":[]}],"bs":"\\\\"}|z=2';
		assert.deepEqual(parseKeyValueLine(line), {
			a: '1',
			SpamProcessingDetail: {
				spf: { info: 'SPF|FAIL=x', allow: true },
				q: 'say "}|{"',
				n: [1, { b: [] }],
				bs: '\\',
			},
			z: '2',
		});
		assert.deepEqual(parseKeyValueLine('SpamInfo=["a|b","c=d"]'), { SpamInfo: ['a|b', 'c=d'] });
	});

	test('brackets that are not JSON stay a string, nothing is lost', () => {
		assert.deepEqual(parseKeyValueLine('a=[foo]|b={x}|c=[1] tail|d={"x":1'), {
			a: '[foo]',
			b: '{x}',
			c: '[1] tail',
			d: '{"x":1',
		});
	});

	test('empty values, at the end and in the middle', () => {
		assert.deepEqual(parseKeyValueLine('a=|b=|c='), { a: '', b: '', c: '' });
		assert.deepEqual(parseKeyValueLine('a=1|b='), { a: '1', b: '' });
	});

	test('a stray | not followed by key= stays in the value; a trailing | ends the line', () => {
		assert.deepEqual(parseKeyValueLine('Subject=a | b|Act=Acc'), { Subject: 'a | b', Act: 'Acc' });
		assert.deepEqual(parseKeyValueLine('x=1||y=2'), { x: '1|', y: '2' });
		assert.deepEqual(parseKeyValueLine('x=a|=b|y=2'), { x: 'a|=b', y: '2' });
		assert.deepEqual(parseKeyValueLine('x=1|'), { x: '1' });
		assert.deepEqual(parseKeyValueLine('url=http://h/p?a=1&b=2|n=1'), {
			url: 'http://h/p?a=1&b=2',
			n: '1',
		});
	});

	test('text where a key was expected is kept, not dropped', () => {
		assert.deepEqual(parseKeyValueLine('garbage here|a=1'), {
			[UNPARSED_FIELD]: 'garbage here',
			a: '1',
		});
		assert.deepEqual(parseKeyValueLine('no pairs at all'), { [UNPARSED_FIELD]: 'no pairs at all' });
	});

	test('keys keep their case; a repeated key keeps its last value', () => {
		assert.deepEqual(parseKeyValueLine('Rcpt=a|rcpt=b|RCPT=c|Rcpt=d'), {
			Rcpt: 'd',
			rcpt: 'b',
			RCPT: 'c',
		});
	});

	test('a line with thousands of fields, then ordinary lines', () => {
		const wide = Array.from({ length: 5000 }, (_, i) => `k${i}=${i}`).join('|');
		const record = parseKeyValueLine(wide);
		assert.equal(Object.keys(record).length, 5000);
		assert.equal(record.k4999, '4999');
		assert.deepEqual(parseKeyValueFile('a=1|b=2\na=3|c=4'), [
			{ a: '1', b: '2' },
			{ a: '3', c: '4' },
		]);
	});

	test('a __proto__ key becomes a field, not the prototype', () => {
		const record = parseKeyValueLine('__proto__={"polluted":true}|a=1');
		assert.equal(Object.getPrototypeOf(record), Object.prototype);
		assert.deepEqual(Object.keys(record), ['__proto__', 'a']);
		assert.equal(({} as Record<string, unknown>).polluted, undefined);
	});

	test('CRLF, trailing newline and blank lines', () => {
		const text = '\ufeffa=1|b=x\r\n\r\n   \r\nc=\\two words\\\r\n\nd={"k":"v"}\r\n';
		const expected = [{ a: '1', b: 'x' }, { c: 'two words' }, { d: { k: 'v' } }];
		assert.deepEqual(parseKeyValueFile(text), expected);
		assert.deepEqual(parseKeyValueFile('a=1\nb=2'), [{ a: '1' }, { b: '2' }]);
		assert.deepEqual(parseKeyValueFile(''), []);
		assert.deepEqual(parseKeyValueLine('a=1|b=2\r'), { a: '1', b: '2' });
		assert.deepEqual(parseKeyValueLine('a=1|b=\r'), { a: '1', b: '' });
		assert.deepEqual(parseKeyValueLine('a=\\x y\\\r\n'), { a: 'x y' });
	});

	test('typed off: numbers and booleans stay strings', () => {
		assert.deepEqual(parseKeyValueLine('SpamScore=12|Delivered=true|x=0.5'), {
			SpamScore: '12',
			Delivered: 'true',
			x: '0.5',
		});
	});

	test('typed on: exact integers, decimals and booleans convert; look-alikes stay strings', () => {
		const line =
			'a=12|b=-3|c=0.5|d=0|t=true|f=false|z=007|ip=81.2.69.144|md5=4dbe9dbfb53438d9ce410535355cd973|big=12345678901234567890|dec=1.50|neg0=-0|e=1e5|T=True|sp=\\12\\|empty=|j={"n":"1"}';
		assert.deepEqual(parseKeyValueLine(line, { typed: true }), {
			a: 12,
			b: -3,
			c: 0.5,
			d: 0,
			t: true,
			f: false,
			z: '007',
			ip: '81.2.69.144',
			md5: '4dbe9dbfb53438d9ce410535355cd973',
			big: '12345678901234567890',
			dec: '1.50',
			neg0: '-0',
			e: '1e5',
			T: 'True',
			sp: '12',
			empty: '',
			j: { n: '1' },
		});
		assert.deepEqual(parseKeyValueFile('SpamScore=1\nSpamScore=x', { typed: true }), [
			{ SpamScore: 1 },
			{ SpamScore: 'x' },
		]);
	});
});

test('typed on agrees with its definition on 20,000 random number-like values', () => {
	// The definition: an optional minus, an integer without leading zeros, optional decimals,
	// and the number must print back as the same text; true/false; anything else stays text.
	const reference = (v: string): unknown => {
		if (v === 'true') return true;
		if (v === 'false') return false;
		if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(v)) return v;
		const n = Number(v);
		return String(n) === v ? n : v;
	};
	const rnd = prng(4242);
	const chars = '0000123456789.-e';
	for (let i = 0; i < 20_000; i++) {
		let v = '';
		const len = Math.floor(rnd() * 20);
		for (let j = 0; j < len; j++) v += chars[Math.floor(rnd() * chars.length)];
		const got = parseKeyValueLine(`a=${v}`, { typed: true }).a;
		assert.ok(Object.is(got, reference(v)), `${JSON.stringify(v)} gave ${String(got)}`);
	}
});

describe('serializeKeyValue', () => {
	test('writes the Mimecast way', () => {
		assert.equal(
			serializeKeyValue({
				a: 'x',
				Subject: 'two words',
				e: '',
				n: 12,
				b: true,
				j: { spf: { allow: true } },
				s: '[not json]',
				u: undefined,
				z: null,
			}),
			'a=x|Subject=\\two words\\|e=|n=12|b=true|j={"spf":{"allow":true}}|s=\\[not json]\\|z=',
		);
	});

	test('refuses what the format cannot carry rather than writing a line that reads back differently', () => {
		assert.throws(() => serializeKeyValue({ 'bad key': 'x' }), RangeError);
		assert.throws(() => serializeKeyValue({ a: 'line\nbreak' }), RangeError);
		assert.throws(() => serializeKeyValue({ a: 'x\\|b=y' }), RangeError);
		assert.equal(serializeKeyValue({ a: 'x\\|y' }), 'a=\\x\\|y\\');
	});
});

const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.';
const TEXT_CHARS = 'abcXYZ019 |=:;,.@<>"\'{}[]#&%+-_/é€😀\t';

function randomRecordFactory(seed: number, withBackslashes: boolean) {
	const rnd = prng(seed);
	const int = (n: number) => Math.floor(rnd() * n);
	const pick = <T>(items: readonly T[]): T => items[int(items.length)];
	const text = (max: number, chars = TEXT_CHARS) => {
		let s = '';
		const len = int(max + 1);
		const backslashes = withBackslashes && chars !== KEY_CHARS;
		for (let i = 0; i < len; i++)
			s += backslashes && rnd() < 0.08 ? '\\' : chars[int(chars.length)];
		return s;
	};
	const json = (depth: number): unknown => {
		const kind = int(depth > 2 ? 4 : 7);
		if (kind === 0) return text(12, TEXT_CHARS + '\\\n');
		if (kind === 1) return int(1000) - 500;
		if (kind === 2) return pick([true, false, null]);
		if (kind === 3) return rnd() * 100;
		if (kind === 4 || kind === 5) {
			const o: Record<string, unknown> = {};
			for (let i = int(4); i > 0; i--) o[text(6)] = json(depth + 1);
			return o;
		}
		return Array.from({ length: int(4) }, () => json(depth + 1));
	};
	const value = (): unknown => {
		switch (int(9)) {
			case 0:
				return '';
			case 1:
				return text(10, 'abcdefXYZ0123456789.-@');
			case 2:
				return `${text(5)} | ${text(5)} = ${text(5)}`;
			case 3:
				return `${text(4)}|${pick(['Key', 'a', 'x.y'])}=${text(4)}`;
			case 4:
				return pick(['{', '[', '{"a":1}', '[1,2]', '{x}', '[]']) + text(6);
			case 5: {
				// Scalars become strings below; only objects and arrays may hold line breaks (escaped).
				const v = json(0);
				return typeof v === 'string' ? v.replace(/\n/g, ' ') : v;
			}
			case 6: {
				const o: Record<string, unknown> = {};
				for (let i = int(4); i > 0; i--) o[text(8)] = json(1);
				return o;
			}
			case 7:
				return pick(['007', '12', 'true', '-0', '1.50', ' lead', 'trail ', '=', '|', '||', '=|=']);
			default:
				return text(30);
		}
	};
	return (): Record<string, unknown> => {
		const record: Record<string, unknown> = {};
		const fields = 1 + int(12);
		for (let i = 0; i < fields; i++) {
			const key = rnd() < 0.01 ? '__proto__' : text(1 + int(11), KEY_CHARS) || 'k';
			let v = value();
			// JSON scalars are not objects: the format keeps only objects and arrays as JSON.
			if (v === null || typeof v === 'number' || typeof v === 'boolean') v = String(v);
			Object.defineProperty(record, key, {
				value: v,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		}
		return record;
	};
}

describe('serialize then parse gives the record back (seeded property test)', () => {
	test('2,000 records without backslashes', () => {
		const next = randomRecordFactory(20240611, false);
		for (let i = 0; i < 2000; i++) {
			const record = next();
			const line = serializeKeyValue(record);
			assert.deepEqual(parseKeyValueLine(line), record, `record ${i}: ${line}`);
		}
	});

	test('2,000 records with backslashes anywhere (or a RangeError when the format cannot carry them)', () => {
		const next = randomRecordFactory(7, true);
		let refused = 0;
		for (let i = 0; i < 2000; i++) {
			const record = next();
			let line: string;
			try {
				line = serializeKeyValue(record);
			} catch (error) {
				assert.ok(error instanceof RangeError);
				assert.ok(
					Object.values(record).some(
						(v) => typeof v === 'string' && /\\\|[A-Za-z0-9_.-]+=/.test(v),
					),
					`refused without cause: ${JSON.stringify(record)}`,
				);
				refused++;
				continue;
			}
			assert.deepEqual(parseKeyValueLine(line), record, `record ${i}: ${line}`);
		}
		assert.ok(refused < 100, `${refused} refused`);
	});

	test('a whole file of them, CRLF, with typed values', () => {
		const rnd = prng(99);
		const records = Array.from({ length: 500 }, (_, i) => ({
			id: i,
			score: Math.floor(rnd() * 1e6) - 5e5,
			ratio: Math.round(rnd() * 1e4) / 100 + 0.01,
			ok: rnd() < 0.5,
			code: `0${Math.floor(rnd() * 100)}`,
			Subject: `Re: ${i} | x = y`,
		}));
		const text = records.map(serializeKeyValue).join('\r\n') + '\r\n';
		assert.deepEqual(parseKeyValueFile(text, { typed: true }), records);
	});
});

/**
 * Throughput against JSON.parse of the same events as JSON lines. Off by default (it takes a
 * while and depends on the machine): SIEM_BENCH=1 node --import tsx --test
 * --test-name-pattern=throughput test/unit/siem-keyvalue.test.ts
 */
test(
	'key_value throughput vs JSON.parse',
	{ skip: process.env.SIEM_BENCH ? false : 'set SIEM_BENCH=1 to run' },
	() => {
		const N = Number(process.env.SIEM_BENCH_EVENTS ?? 200_000);
		const rounds = Number(process.env.SIEM_BENCH_ROUNDS ?? 9);
		const events = realisticEvents(N);
		const kv = events.map(serializeKeyValue).join('\n') + '\n';
		const jsonLines = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
		const parseJsonLines = (t: string) => {
			const out: unknown[] = [];
			let p = 0;
			while (p < t.length) {
				let nl = t.indexOf('\n', p);
				if (nl === -1) nl = t.length;
				if (nl > p) out.push(JSON.parse(t.slice(p, nl)));
				p = nl + 1;
			}
			return out;
		};
		// Both sides must produce the same records, or the comparison means nothing.
		assert.deepEqual(parseKeyValueFile(kv), parseJsonLines(jsonLines));
		// CPU time of this process (user + system, GC threads included) is what a busy machine
		// disturbs least; wall time is reported next to it.
		const cpuMs = () => {
			const u = process.cpuUsage();
			return (u.user + u.system) / 1000;
		};
		const run = (f: () => unknown[]) => {
			const c0 = cpuMs();
			const t0 = performance.now();
			const n = f().length;
			const wall = performance.now() - t0;
			const cpu = cpuMs() - c0;
			assert.equal(n, N);
			return { wall, cpu };
		};
		const kvRuns: { wall: number; cpu: number }[] = [];
		const jsonRuns: { wall: number; cpu: number }[] = [];
		for (let i = 0; i < rounds; i++) {
			// Alternate the order so that garbage left by one does not always land on the other.
			if (i % 2) {
				kvRuns.push(run(() => parseKeyValueFile(kv)));
				jsonRuns.push(run(() => parseJsonLines(jsonLines)));
			} else {
				jsonRuns.push(run(() => parseJsonLines(jsonLines)));
				kvRuns.push(run(() => parseKeyValueFile(kv)));
			}
		}
		const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
		const ratio = (k: 'wall' | 'cpu') => median(jsonRuns.map((j, i) => j[k] / kvRuns[i][k]));
		const perSecond = (runs: { cpu: number }[]) =>
			Math.round((N / median(runs.map((r) => r.cpu))) * 1000);
		console.log(
			`key_value ${perSecond(kvRuns)} events/s, JSON.parse ${perSecond(jsonRuns)} events/s (CPU time); ` +
				`ratio key_value/JSON.parse: ${ratio('cpu').toFixed(2)} by CPU time, ${ratio('wall').toFixed(2)} by wall time ` +
				`(median of ${rounds} paired runs, ${N} events, ${kv.length} vs ${jsonLines.length} chars)`,
		);
	},
);

/** Events shaped like the ten API 1.0 log types (values as key_value carries them). */
function realisticEvents(n: number, seed = 1): Record<string, unknown>[] {
	const rnd = prng(seed);
	const int = (k: number) => Math.floor(rnd() * k);
	const pick = <T>(a: readonly T[]): T => a[int(a.length)];
	const id = (len: number) => {
		const al = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
		let s = '';
		for (let i = 0; i < len; i++) s += al[int(al.length)];
		return s;
	};
	const hex = (len: number) => {
		let s = '';
		for (let i = 0; i < len; i++) s += '0123456789abcdef'[int(16)];
		return s;
	};
	const ip = () => `${1 + int(254)}.${int(256)}.${int(256)}.${int(256)}`;
	const user = () =>
		`${pick(['john.doe', 'jane.roe', 'mark.guzman', 'a.user', 'postmaster'])}@${pick(['example.com', 'mimecast.com', 'demo-int.example.org'])}`;
	const subject = () =>
		pick([
			'Re: Quarterly results | Q3 = good',
			'Invoice Attached for payment',
			'You have new held messages',
			'Hi Sandra! Neue Styles eingetroffen! – Finde deinen Lieblings-Look!',
			'Coffee',
			'Opportunity to become VP',
			'RE: a=b|c',
			'Meeting notes',
		]);
	const two = (lo: number, k: number) => String(lo + int(k));
	const datetime = () => `2021-10-${two(10, 18)}T${two(10, 13)}:${two(10, 49)}:${two(10, 49)}+0100`;
	const msgId = () => `<${hex(16)}-${int(1e6)}@mta-${int(300)}.uk.mimecast.lan>`;
	const base = () => ({ datetime: datetime(), aCode: id(22), acc: 'C0A0' });
	const types: (() => Record<string, unknown>)[] = [
		() => ({
			...base(),
			SpamLimit: '0',
			IP: ip(),
			Dir: pick(['Inbound', 'Outbound', 'Internal']),
			MsgId: msgId(),
			Subject: subject(),
			headerFrom: user(),
			Sender: user(),
			Rcpt: user(),
			SpamInfo: [],
			Act: 'Acc',
			TlsVer: 'TLSv1.2',
			Cphr: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
			SpamProcessingDetail: {
				spf: { info: 'SPF_FAIL', allow: true },
				dkim: { info: 'DKIM_UNKNOWN', allow: true },
			},
			SpamScore: String(int(20)),
		}),
		() => ({
			...base(),
			Act: pick(['Acc', 'Hld']),
			AttCnt: '2',
			AttNames: '"filename.docx", "filename2.xlsx"',
			AttSize: String(int(1e5)),
			MsgId: msgId(),
			MsgSize: String(int(1e6)),
			Hld: 'Spm',
			IPInternalName: 'false',
			IPNewDomain: 'false',
		}),
		() => ({
			...base(),
			AttCnt: '0',
			AttSize: '0',
			Attempt: '1',
			Cphr: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
			Delivered: 'true',
			Dir: 'Inbound',
			IP: ip(),
			Latency: String(int(9000)),
			MsgId: msgId(),
			Rcpt: user(),
			ReceiptAck: `250 2.6.0 ${msgId()} [InternalId=25473608] Queued mail for delivery`,
			Route: 'Mimecast Exchange Route',
			Sender: user(),
			Snt: String(int(1e5)),
			Subject: subject(),
			TlsVer: 'TLSv1',
			UseTls: 'Yes',
		}),
		() => ({
			...base(),
			CustomerIP: 'true',
			IP: ip(),
			MimecastIP: 'false',
			MsgId: msgId(),
			Recipient: user(),
			Route: 'Inbound',
			Sender: user(),
			SenderDomain: 'senderdomain.tld',
			SenderDomainInternal: 'false',
			Size: String(int(2e6)),
			Subject: subject(),
			Virus: 'Anomali:Phishing',
			fileExt: 'xlsm',
			fileMime: 'application/vnd.ms-excel.sheet.macroEnabled.12',
			fileName: 'Invoice Attached for payment',
			md5: hex(32),
			sha1: hex(40),
			sha256: hex(64),
		}),
		() => ({
			...base(),
			MsgId: msgId(),
			Recipient: user(),
			Route: 'Inbound',
			Sender: user(),
			SenderDomain: 'bdomain.tld',
			SourceIP: ip(),
			Subject: subject(),
			headerFrom: user(),
		}),
		() => ({
			...base(),
			MsgId: msgId(),
			Recipient: user(),
			Route: 'Internal',
			ScanResultInfo: 'Blocked URL Category',
			Sender: user(),
			Subject: subject(),
			URL: 'https://domain.com/login/?a=b&c=d',
			UrlCategory: 'Phishing & Fraud',
		}),
		() => ({
			...base(),
			Action: 'Hold',
			CustomName: 'false',
			CustomThreatDictionary: 'false',
			Definition: 'Default Impersonation Definition',
			Hits: '1',
			IP: ip(),
			InternalName: 'true',
			MsgId: msgId(),
			NewDomain: 'false',
			Recipient: user(),
			ReplyMismatch: 'false',
			Route: 'Inbound',
			Sender: user(),
			SimilarCustomExternalDomain: 'false',
			SimilarInternalDomain: 'false',
			SimilarMimecastExternalDomain: 'false',
			Subject: subject(),
			TaggedExternal: 'false',
			TaggedMalicious: 'true',
			ThreatDictionary: 'false',
		}),
		() => ({
			...base(),
			reason: 'malicious',
			recipient: user(),
			route: 'inbound',
			sender: user(),
			senderDomain: 'domain.com',
			sourceIp: ip(),
			url: 'http://bgmtechnology.com.au/x?y=1',
			urlCategory: 'Blocked',
			action: 'Block',
			subject: subject(),
		}),
		() => ({
			...base(),
			IP: ip(),
			Recipient: user(),
			Route: 'Inbound',
			Sender: user(),
			SenderDomain: 'domain.com',
			Size: String(int(1e6)),
			fileExt: 'doc',
			fileMime: 'application/vnd.ms-office',
			fileName: '1XCOLUMN.PVC',
			md5: hex(32),
			sha1: hex(40),
			sha256: hex(64),
		}),
		() => ({
			...base(),
			Sender: user(),
			Rcpt: user(),
			RcptActType: 'Jnl',
			Dir: 'Internal',
			RcptHdrType: 'Unknown',
		}),
	];
	// A SIEM file holds one log type, so events come in runs of one type.
	const out: Record<string, unknown>[] = [];
	const perType = Math.ceil(n / types.length);
	for (const make of types) for (let i = 0; i < perType && out.length < n; i++) out.push(make());
	return out;
}
