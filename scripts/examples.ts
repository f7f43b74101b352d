// The importable example workflows in examples/, and how the demo and the e2e suite run them
// headless: every outside target (Slack, ticketing, file store, mail relay) is pointed at a
// local sink, everything else stays exactly as a user imports it.
import fs from 'node:fs';
import path from 'node:path';

import type { Credential, Workflow } from './n8n-harness';
import { CREDENTIAL_IDS, CREDENTIAL_NAMES, REPO_DIR } from './n8n-harness';

export const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');

export interface Example {
	file: string;
	workflow: Workflow;
	/** This package's node types the example uses (`n8n-nodes-mimecast.…`). */
	packageNodeTypes: string[];
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow;
			const packageNodeTypes = [
				...new Set(
					workflow.nodes.map((n) => n.type).filter((t) => t.startsWith('n8n-nodes-mimecast.')),
				),
			];
			return { file, workflow, packageNodeTypes };
		});
}

/** Why an example cannot run with the nodes built now, or undefined when it can. */
export function missingNodes(example: Example, built: string[]): string | undefined {
	const missing = example.packageNodeTypes.filter((t) => !built.includes(t));
	return missing.length
		? `${missing.join(', ')} not built yet (not in package.json n8n.nodes or dist/)`
		: undefined;
}

/**
 * The example with its HTTP targets moved to the sink: `https://hooks.slack.com/services/…`
 * becomes `<sink>/hooks.slack.com/services/…`, so the sink can tell the targets apart.
 */
export function pointAtSinks(workflow: Workflow, httpSinkUrl: string): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	for (const node of copy.nodes) {
		if (node.type !== 'n8n-nodes-base.httpRequest' || typeof node.parameters.url !== 'string')
			continue;
		node.parameters.url = node.parameters.url.replace(
			/^(=?)https?:\/\/([^/]+)/,
			(_m, eq: string, host: string) => `${eq}${httpSinkUrl}/${host}`,
		);
	}
	return copy;
}

/** The SMTP credential the email example uses, pointed at a local SMTP sink. */
export function smtpSinkCredential(smtp: { host: string; port: number }): Credential {
	return {
		id: CREDENTIAL_IDS.smtp,
		name: CREDENTIAL_NAMES.smtp,
		type: 'smtp',
		data: {
			user: '',
			password: '',
			host: smtp.host,
			port: smtp.port,
			secure: false,
			disableStartTls: true,
			hostName: '',
		},
	};
}
