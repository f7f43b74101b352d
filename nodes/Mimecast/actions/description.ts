import type { INodeProperties } from 'n8n-workflow';

import { authenticationProperty } from '../descriptions/common';
import { RESOURCES } from './router';
import type { ActionResource } from './types';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** Shows a property only for one resource and operation, keeping its own display rules. */
function showFor(resource: string, operation: string, property: INodeProperties): INodeProperties {
	const show = { ...property.displayOptions?.show, resource: [resource], operation: [operation] };
	return { ...property, displayOptions: { ...property.displayOptions, show } };
}

function operationSelector(key: string, resource: ActionResource): INodeProperties {
	const options = Object.entries(resource.operations)
		.map(([value, op]) => ({
			name: op.name,
			value,
			description: op.description,
			action: op.action,
		}))
		.sort(byName);
	const first = options[0].value;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [key] } },
		options,
		default: first,
	};
}

/** The Mimecast node's parameters: authentication, resource, operation, then the operation's own. */
export function actionNodeProperties(): INodeProperties[] {
	const entries = Object.entries(RESOURCES as Record<string, ActionResource>);
	const resources = entries.map(([value, r]) => ({ name: r.name, value })).sort(byName);
	const first = resources[0].value;
	const properties: INodeProperties[] = [
		authenticationProperty,
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources,
			default: first,
		},
	];
	for (const [key, resource] of entries) properties.push(operationSelector(key, resource));
	for (const [key, resource] of entries) {
		for (const [operation, op] of Object.entries(resource.operations)) {
			for (const property of op.properties) properties.push(showFor(key, operation, property));
		}
	}
	return properties;
}
