import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PagedLogDefinition } from '../logTypes/types';
import { readAuthentication } from './query';
import { mimecastRequest } from '../transport/request';
import type { MimecastEnvelope } from '../transport/types';

type LoadOptionsMethod = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/** The node's `methods.loadOptions`, generated from the log type's definition. */
export function loadOptionsMethods(
	definition: PagedLogDefinition,
): Record<string, LoadOptionsMethod> {
	const methods: Record<string, LoadOptionsMethod> = {};
	for (const [name, spec] of Object.entries(definition.loadOptions ?? {})) {
		methods[name] = async function (this: ILoadOptionsFunctions) {
			const auth = readAuthentication(
				this,
				(p, fallback) => this.getCurrentNodeParameter(p) ?? fallback,
			);
			const response = await mimecastRequest<MimecastEnvelope>(this, auth, {
				path: spec.path,
				body: { data: [] },
				permission: spec.permission,
				operation: `Mimecast ${definition.displayName}`,
			});
			const what = `the ${name
				.replace(/^get/, '')
				.replace(/([a-z])([A-Z])/g, '$1 $2')
				.toLowerCase()} list of ${definition.displayName}`;
			const data = (response.body as MimecastEnvelope | null)?.data;
			if (!Array.isArray(data))
				throw unexpectedShape(this, what, `its 'data' is ${shapeOf(data)}, not a list`);
			const options = data.map((record, i) => {
				const option =
					record !== null && typeof record === 'object'
						? spec.toOption(record as IDataObject)
						: undefined;
				if (
					typeof option?.name !== 'string' ||
					typeof option.value !== 'string' ||
					option.value === ''
				) {
					throw unexpectedShape(
						this,
						what,
						`entry ${i} of 'data' is ${shapeOf(record)}, not a record with a code and a name`,
					);
				}
				return option;
			});
			return options.sort((a, b) => a.name.localeCompare(b.name));
		};
	}
	return methods;
}

/** A list Mimecast answered in a shape the dropdown cannot use: say where, not "TypeError". */
function unexpectedShape(ctx: ILoadOptionsFunctions, what: string, problem: string) {
	return new NodeOperationError(ctx.getNode(), `Could not read ${what}: ${problem}`, {
		description:
			"Mimecast answered in a shape this node does not know. Type the values in an expression instead, and check the credential's Region or Base URL points at the Mimecast API.",
	});
}

function shapeOf(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
