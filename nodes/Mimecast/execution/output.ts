import type { IDataObject } from 'n8n-workflow';

/** Simplify keeps the fields a person triages by, in a fixed order; absent fields are left out. */
export function simplifyRecord(record: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = {};
	for (const field of fields) if (record[field] !== undefined) out[field] = record[field];
	return out;
}
