import './n8nEnv';

/**
 * Runs this package's nodes through n8n-core's real execution contexts (ExecuteContext,
 * PollContext, LoadOptionsContext): real parameter resolution, real httpRequest, real OAuth2
 * token handling. Only the credentials store is ours, as n8n's CLI owns that part.
 */
import assert from 'node:assert/strict';
import { ExecuteContext, LoadOptionsContext, PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { MimecastApi } from '../../credentials/MimecastApi.credentials';
import { MimecastOAuth2Api } from '../../credentials/MimecastOAuth2Api.credentials';

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	mimecastApi: new MimecastApi(),
	mimecastOAuth2Api: new MimecastOAuth2Api(),
};

/** n8n's own oAuth2Api fields that MimecastOAuth2Api inherits and does not override. */
const OAUTH2_PARENT_DEFAULTS: IDataObject = {
	clientId: '',
	clientSecret: '',
	authentication: 'header',
	sendAdditionalBodyProperties: false,
	additionalBodyProperties: '',
	ignoreSSLIssues: false,
};

export interface CredentialStore {
	[type: string]: IDataObject;
}

class TestCredentialsHelper implements Partial<ICredentialsHelper> {
	constructor(readonly store: CredentialStore) {}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getParentTypes(type: string): string[] {
		return (CREDENTIAL_TYPES[type]?.extends ?? []) as string[];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const raw = this.store[type];
		if (!raw) throw new Error(`No test credential of type ${type} (${nodeCredentials.name})`);
		return resolveCredential(type, raw);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		type: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[type]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...this.store[type], oauthTokenData: data.oauthTokenData as IDataObject };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store[type] = { ...this.store[type], ...data };
	}
}

/** An empty workflow and a bare node: enough to evaluate an expression as n8n does. */
export function expressionScope(): { workflow: Workflow; node: INode } {
	const workflow = new Workflow({
		nodes: [],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf([]),
	});
	const node: INode = {
		id: 'expression',
		name: 'expression',
		type: 'expression',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return { workflow, node };
}

/** Defaults, then `={{ $self... }}` expressions, as n8n's CredentialsHelper does. */
export function resolveCredential(type: string, raw: IDataObject): ICredentialDataDecryptedObject {
	const credentialType = CREDENTIAL_TYPES[type];
	const withDefaults: IDataObject = {
		...(credentialType.extends?.includes('oAuth2Api') ? OAUTH2_PARENT_DEFAULTS : {}),
		...(NodeHelpers.getNodeParameters(
			credentialType.properties,
			raw as INodeParameters,
			true,
			false,
			null,
			null,
		) as IDataObject),
		...raw,
	};
	const { workflow, node } = expressionScope();
	const resolved: IDataObject = {};
	for (const [key, value] of Object.entries(withDefaults)) {
		resolved[key] =
			typeof value === 'string' && value.startsWith('=')
				? (workflow.expression.getComplexParameterValue(
						node,
						value,
						'manual',
						{},
						undefined,
						undefined,
						withDefaults,
					) as IDataObject[string])
				: value;
	}
	return resolved as ICredentialDataDecryptedObject;
}

function nodeTypesOf(types: Array<{ name: string; type: INodeType }>): INodeTypes {
	const byName = new Map(types.map((t) => [t.name, t.type]));
	return {
		getByName: (name: string) => byName.get(name) as INodeType,
		getByNameAndVersion: (name: string) => byName.get(name) as INodeType,
		getKnownTypes: () => ({}),
	} as INodeTypes;
}

export interface NodeRunOptions {
	parameters: INodeParameters;
	credentials: CredentialStore;
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
	timezone?: string;
	mode?: WorkflowExecuteMode;
}

function setup(
	nodeType: INodeType,
	options: {
		parameters: INodeParameters;
		credentials: CredentialStore;
		continueOnFail?: boolean;
		timezone?: string;
		staticData?: IDataObject;
	},
) {
	const typeName = `n8n-nodes-mimecast.${nodeType.description.name}`;
	const node: INode = {
		id: 'node-1',
		name: nodeType.description.defaults.name ?? 'Mimecast',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters:
			NodeHelpers.getNodeParameters(
				nodeType.description.properties,
				options.parameters,
				true,
				false,
				null,
				null,
			) ?? {},
		credentials: Object.fromEntries(
			Object.keys(options.credentials).map((type) => [
				type,
				{ id: `${type}-id`, name: `Test ${type}` },
			]),
		),
		continueOnFail: options.continueOnFail,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf([{ name: typeName, type: nodeType }]),
		staticData: options.staticData,
		settings: { timezone: options.timezone ?? 'UTC' },
	});
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const additionalData = {
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return { node, workflow, additionalData };
}

/** Runs an action node once, like n8n does for one node with these input items. */
export async function runNode(
	nodeType: INodeType,
	options: NodeRunOptions,
): Promise<INodeExecutionData[]> {
	const { node, workflow, additionalData } = setup(nodeType, options);
	const input = options.input ?? [{ json: {} }];
	const runExecutionData = createRunExecutionData();
	const executeData = {
		node,
		data: { main: [input] },
		source: { main: [{ previousNode: 'Start' }] },
	};
	const ctx = new ExecuteContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'manual',
		runExecutionData,
		0,
		input,
		{ main: [input] },
		executeData,
		[],
	);
	const result = await nodeType.execute!.call(ctx);
	return (result as INodeExecutionData[][])[0];
}

/** Runs a load-options method as the editor would. */
export async function loadOptions(
	nodeType: INodeType,
	method: string,
	options: { parameters: INodeParameters; credentials: CredentialStore },
) {
	const { node, workflow, additionalData } = setup(nodeType, options);
	additionalData.currentNodeParameters = node.parameters;
	const ctx = new LoadOptionsContext(workflow, node, additionalData, '');
	return await nodeType.methods!.loadOptions![method].call(ctx);
}

export interface PollHarness {
	/** One poll; returns the emitted items (null when nothing was emitted). */
	poll(): Promise<INodeExecutionData[] | null>;
	/** The node's static data as n8n would persist it. */
	staticData: IDataObject;
}

/**
 * Polls until a poll emits nothing (at most `maxPolls` polls), checking that no poll emitted more
 * than `cap` items; returns the json of every item, in order.
 */
export async function drainPolls(
	trigger: PollHarness,
	{ maxPolls, cap }: { maxPolls: number; cap: number },
): Promise<IDataObject[]> {
	const seen: IDataObject[] = [];
	for (let i = 0; i < maxPolls; i++) {
		const items = await trigger.poll();
		if (!items) break;
		assert.ok(items.length <= cap, `${items.length} items in one poll, over ${cap}`);
		seen.push(...items.map((item) => item.json));
	}
	return seen;
}

/**
 * A poll trigger under PollContext, with static data that survives "restarts": pass the
 * same `staticData` object (or a JSON copy of it) to a new harness.
 */
export function pollHarness(
	nodeType: INodeType,
	options: {
		parameters: INodeParameters;
		credentials: CredentialStore;
		staticData?: IDataObject;
		mode?: 'trigger' | 'manual';
		budgetMs?: number;
		timezone?: string;
	},
): PollHarness {
	const staticData: IDataObject = options.staticData ?? {};
	const { node, workflow, additionalData } = setup(nodeType, {
		...options,
		staticData: { [`node:${nodeType.description.defaults.name}`]: staticData },
	});
	const nodeStatic = () => workflow.getStaticData('node', node);
	const ctx = new PollContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'trigger',
		'activate',
		() => {},
		() => {},
		undefined,
		undefined,
		nodeStatic,
		() => options.budgetMs ?? 60_000,
	);
	return {
		staticData: nodeStatic(),
		async poll() {
			const result = await nodeType.poll!.call(ctx);
			return result ? result[0] : null;
		},
	};
}
