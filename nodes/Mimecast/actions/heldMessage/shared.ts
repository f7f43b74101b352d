import type { IDataObject } from 'n8n-workflow';

import type { ActionEndpoint } from '../types';

const READ = 'Monitoring | Held | Read';
const EDIT = 'Monitoring | Held | Edit';
const CHECK =
	'Held Message > Get Many (a released or rejected message leaves the hold list) or the Mimecast console (Monitoring | Held)';

export const LIST: ActionEndpoint = {
	path: '/api/gateway/get-hold-message-list',
	permission: READ,
	label: 'Get Many Held Messages',
	repeat: 'read',
};

export const SUMMARY: ActionEndpoint = {
	path: '/api/gateway/get-hold-summary-list',
	permission: READ,
	label: 'Get Held Message Summary',
	repeat: 'read',
};

// Whether Mimecast ignores a second release or reject is not known (api-more idempotency
// table), and releasing twice could deliver a message twice: never repeated when unsure.
export const RELEASE: ActionEndpoint = {
	path: '/api/gateway/hold-release',
	permission: EDIT,
	label: 'Release Held Message',
	repeat: 'once',
	checkOutcome: CHECK,
};

export const REJECT: ActionEndpoint = {
	path: '/api/gateway/hold-reject',
	permission: EDIT,
	label: 'Reject Held Message',
	repeat: 'once',
	checkOutcome: CHECK,
};

const address = (value: IDataObject[string]): IDataObject[string] =>
	value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject).emailAddress
		: value;

/** A held message in the user's terms: addresses as strings, the fields a triage rule reads. */
export function simplifyHeld(record: IDataObject): IDataObject {
	return {
		id: record.id,
		received: record.dateReceived,
		sender: address(record.from),
		fromHeader: address(record.fromHeader),
		// `to` is one object in this list, not an array (api-more §10).
		recipient: address(record.to),
		subject: record.subject,
		reason: record.reason,
		reasonCode: record.reasonCode,
		policy: record.policyInfo,
		route: typeof record.route === 'string' ? record.route.toLowerCase() : record.route,
		hasAttachments: record.hasAttachments,
		size: record.size,
	};
}
