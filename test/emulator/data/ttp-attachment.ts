/** `/api/ttp/attachment/get-logs` attachmentLogs[] (look-alikes of samples/elastic/test-ttp-ap-logs). */
import { formatMcDate } from '../clock';
import type { LogRecord } from '../types';
import type { LogGenerator } from './generator';
import { CLEAN_FILES, MALICIOUS_FILES, mail, sha256 } from './vocab';

/**
 * The API documents the `result` filter values clean|malicious|unknown|timeout, but records say
 * "safe" for clean files (see the Elastic samples). The filter maps clean -> safe; a client that
 * filters locally on result === 'clean' finds nothing, as it would against Mimecast.
 */
export const ATTACHMENT_RESULT_FILTER: Readonly<Record<string, string>> = {
	clean: 'safe',
	malicious: 'malicious',
	unknown: 'unknown',
	timeout: 'timeout',
};

const pad50 = (text: string): string => text.padEnd(50, ' ');

export const ttpAttachmentGenerator: LogGenerator = {
	timeField: 'date',
	generate(rng, { at, malicious }): LogRecord {
		const result = malicious
			? 'malicious'
			: rng.weighted([
					['safe', 90],
					['malicious', 5],
					['unknown', 3],
					['timeout', 2],
				] as const);
		const bad = result === 'malicious';
		const m = mail(rng, bad);
		const [fileName, fileType] = rng.pick(bad ? MALICIOUS_FILES : CLEAN_FILES);
		const route =
			m.direction === 'Inbound'
				? rng.weighted([
						['inbound', 9],
						['external', 1],
					] as const)
				: m.direction.toLowerCase();
		const took = `Time taken: 0 hrs, 0 min, ${rng.int(1, 59)} sec`;
		const details = bad
			? `[MALICIOUS_ACTIVITY: Exploit: Attempting to exploit CVE-2010-1240\r\n${took}]`
			: `${pad50(result === 'safe' ? 'Safe' : result === 'timeout' ? 'Timeout' : 'Unknown')}\r\n${took}`;
		return {
			senderAddress: rng.chance(0.3) ? '<>' : m.sender,
			recipientAddress: m.recipient,
			fileName,
			fileType,
			result,
			actionTriggered: bad ? rng.pick(['sandbox, block', 'none']) : 'user release, none',
			date: formatMcDate(at),
			details,
			route,
			messageId: m.messageId,
			subject: m.subject,
			fileHash: sha256(rng),
			definition: bad
				? 'Default Inbound Attachment Protect Definition'
				: 'Inbound - Safe file with On-Demand Sandbox',
		};
	},
};
