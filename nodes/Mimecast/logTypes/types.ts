import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** What one Mimecast endpoint needs to be read, and where its records are. */
export interface LogEndpoint {
	path: string;
	/** Records sit in `data[].<recordsKey>` (TTP logs) instead of `data[]`. */
	recordsKey?: string;
	/** The record field holding the event time. */
	timeField: string;
	/** The Mimecast role permission, named in 401/403 errors and the README. */
	permission: string;
	/** Fields kept by Simplify, in output order. */
	simplifiedFields: string[];
	/** Simplify is on by default only where records have many fields. */
	simplifyByDefault: boolean;
	/** Whether the endpoint takes `oldestFirst`; otherwise it answers newest first. */
	supportsOldestFirst: boolean;
}

/**
 * A filter Mimecast does not offer on the endpoint, applied by the node to each record: an
 * `options` item of the Filters collection whose values (besides `all`) are the record's values.
 */
export interface ClientFilter {
	/** The Filters collection item. */
	name: string;
	/** The record field compared, case-insensitively. */
	field: string;
}

/** Parameters every log node shares, resolved and validated. */
export interface LogQuery {
	/** A log-type variant (TTP: url | attachment | impersonation); '' when there is none. */
	variant: string;
	/** Mimecast body dates (`2011-12-03T10:15:30+0000`). */
	start: string;
	end: string;
	filters: IDataObject;
	options: IDataObject;
}

/**
 * One paged log operation, written once. The action node, its trigger twin, their
 * parameters, the request body and the record extraction are all derived from this.
 */
export interface PagedLogDefinition {
	kind: 'paged';
	/** Its LogKey: its property name in LOG_DEFINITIONS (a test checks); the nodes are named from it. */
	key: string;
	/** "Audit Events": node names are "Mimecast {displayName}". */
	displayName: string;
	/** One record, for messages and descriptions ("audit event"). */
	recordNoun: string;
	description: string;
	/** How far back Mimecast serves this log; undefined when Mimecast states no limit. */
	retentionDays?: number;
	/** Optional selector between endpoints of one operation. */
	variant?: {
		parameter: INodeProperties;
		values: string[];
	};
	endpoint(variant: string): LogEndpoint;
	/** The body's names for the time window. */
	dateFields: { start: string; end: string };
	/** Items of the Filters collection (they may use displayOptions on the variant). */
	filters: INodeProperties[];
	/** Items of the Options collection, besides what every node has. */
	options: INodeProperties[];
	/** Allowed values per option-typed filter, checked before sending (old saved workflows). */
	allowedValues: Record<string, { label: string; values: string[]; variants?: string[] }>;
	/** The `data[0]` object of the request body, without the dates. */
	buildFilters(query: LogQuery): IDataObject;
	/** Filters applied to the records, where Mimecast has none (README says which). */
	clientFilters?: ClientFilter[];
	/** The load-options methods this node offers. */
	loadOptions?: Record<
		string,
		{
			path: string;
			permission: string;
			toOption: (record: IDataObject) => { name: string; value: string };
		}
	>;
}

/** One API 2.0 SIEM batch type: a stable option value and the string Mimecast expects. */
export interface SiemBatchType {
	/** camelCase option value, stored in saved workflows. */
	value: string;
	/** Display name in the multi-select. */
	name: string;
	/** The `type` query value of `/siem/v1/batch/events/cg`. */
	api: string;
}

/**
 * SIEM logs: files, not pages. API 1.0 walks the `mc-siem-token` chain of
 * `/api/audit/get-siem-logs`; API 2.0 lists batch files per type and downloads them from
 * pre-signed links. Both nodes are generated from this definition (nodes/Mimecast/siem/).
 */
export interface SiemLogDefinition {
	kind: 'siem';
	/** Its LogKey: its property name in LOG_DEFINITIONS (a test checks); the nodes are named from it. */
	key: string;
	displayName: string;
	recordNoun: string;
	description: string;
	/** Mimecast keeps SIEM files 7 days (both APIs). */
	retentionDays: number;
	/** Named in 401/403 errors together with Enhanced Logging. */
	permission: string;
	v1: { path: string; type: string };
	/** API 2.0: the gateway (`cg`) batch endpoint and types, and Cloud Integrated's (`ci`). */
	v2: { path: string; pageSize: number; types: SiemBatchType[]; cloudIntegrated: SiemBatchSource };
}

/** One API 2.0 batch endpoint and the types it serves. */
export interface SiemBatchSource {
	path: string;
	types: SiemBatchType[];
}

/** The SIEM Logs node's Source parameter (API 2.0): which product's logs are read. */
export type SiemSource = 'gateway' | 'cloudIntegrated';

export function siemBatchSource(
	definition: SiemLogDefinition,
	source: SiemSource,
): SiemBatchSource {
	return source === 'cloudIntegrated' ? definition.v2.cloudIntegrated : definition.v2;
}

export type LogDefinition = PagedLogDefinition | SiemLogDefinition | FeedLogDefinition;

/** One of the feed's file types: how its records are timed, identified and simplified. */
export interface FeedFileType {
	value: 'stix' | 'csv';
	name: string;
	description: string;
	/** The record field holding the indicator's time, the trigger's cursor field. */
	timeField: string;
	/** What makes a record the same indicator when served again (the trigger's dedupe key). */
	identity(record: IDataObject): unknown;
	/** Fields kept by Simplify, in output order. */
	simplifiedFields: string[];
}

/**
 * The threat intel feed: not `data[]` pages but one STIX bundle or CSV file per call (zipped
 * with `compress`), paged by a response header. Both nodes are generated from this definition
 * (execution/feed*.ts, descriptions/feed.ts); the parsing is in nodes/Mimecast/threatFeed/.
 */
export interface FeedLogDefinition {
	kind: 'feed';
	key: string;
	displayName: string;
	recordNoun: string;
	description: string;
	/** Mimecast states no look-back limit for the feed. */
	retentionDays?: number;
	path: string;
	permission: string;
	/** camelCase option values and the `feedType` strings Mimecast expects. */
	feedTypes: Array<{ value: string; name: string; api: string; description: string }>;
	fileTypes: FeedFileType[];
	/** The response header holding the next page's token. */
	nextTokenHeader: string;
	/** `fail[]` messages that mean "nothing in this window", not an error. */
	noDataMessages: string[];
	/** Pages one action run may read: a feed that never ends is an error, not a hang. */
	maxPages: number;
	/** Client-side filter values (Mimecast filters the feed by type and window only). */
	indicatorTypes: Array<{ value: string; name: string }>;
}
