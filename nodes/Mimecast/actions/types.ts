import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RepeatPolicy } from '../transport/repeatPolicy';

export type { RepeatPolicy };

/** One operation of the Mimecast node: its parameters and its behaviour, side by side. */
export interface ActionOperation {
	/** Shown in the Operation selector, e.g. 'Block'. */
	name: string;
	/** n8n's action text, sentence case, e.g. 'Block a sender' (also what AI agents read). */
	action: string;
	/** One line under the operation, e.g. 'Block a sender for one recipient'. */
	description: string;
	/** Parameters of this operation only; the description builder adds resource/operation display rules. */
	properties: INodeProperties[];
	/** What may happen after an unknown outcome (see transport/repeatPolicy.ts); README lists it. */
	repeat: RepeatPolicy;
	/** Runs for one input item; returns the items it produced (the router adds pairedItem). */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

/** A resource: its display name and its operations by (stable, camelCase) value. */
export interface ActionResource {
	name: string;
	operations: Record<string, ActionOperation>;
}

/** A Mimecast endpoint as one operation calls it. */
export interface ActionEndpoint {
	path: string;
	/** The Mimecast role permission it needs, named in the error when Mimecast answers 403. */
	permission: string;
	/** In messages: 'Block Sender'. */
	label: string;
	repeat: RepeatPolicy;
	/** 'once' writes: how to check whether it happened (named in the "outcome unknown" error). */
	checkOutcome?: string;
}
