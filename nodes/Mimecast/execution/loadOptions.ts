import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { PagedLogType } from '../logTypes/types';
import { readAuthentication } from './query';
import { mimecastRequest } from '../transport/request';
import type { MimecastEnvelope } from '../transport/types';

type LoadOptionsMethod = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/** The node's `methods.loadOptions`, generated from the log type's definition. */
export function loadOptionsMethods(logType: PagedLogType): Record<string, LoadOptionsMethod> {
	const methods: Record<string, LoadOptionsMethod> = {};
	for (const [name, spec] of Object.entries(logType.loadOptions ?? {})) {
		methods[name] = async function (this: ILoadOptionsFunctions) {
			const auth = readAuthentication(this, (p, fallback) => this.getCurrentNodeParameter(p) ?? fallback);
			const response = await mimecastRequest<MimecastEnvelope>(this, auth, {
				path: spec.path,
				body: { data: [] },
				permission: spec.permission,
				operation: `Mimecast ${logType.displayName}`,
			});
			const options = (response.body.data ?? []).map((record: IDataObject) => spec.toOption(record));
			return options.sort((a, b) => a.name.localeCompare(b.name));
		};
	}
	return methods;
}
