/**
 * The paged log endpoints as data: one row per endpoint, read by the single generic handler in
 * paged-endpoint.ts. Adding an endpoint is a row here plus a generator in data/.
 */
import { CODES, type McError } from './envelope';
import { ATTACHMENT_RESULT_FILTER } from './data/ttp-attachment';
import type { LogKind, LogRecord } from './types';

export interface FilterResult {
	/** null: this field does not narrow the selection. */
	keep: ((rec: LogRecord) => boolean) | null;
	/** Normalized value; page tokens are bound to these. */
	canonical: unknown;
}

export interface Filter {
	build(item: Record<string, unknown>): FilterResult | McError;
}

export interface PagedEndpoint {
	path: string;
	kind: LogKind;
	/** Record field holding the event time. */
	timeField: string;
	/** Records sit in `data[0][wrapper]` (TTP) instead of directly in `data[]`. */
	wrapper?: string;
	/** Request fields of the time window (both ends inclusive). */
	from: string;
	to: string;
	/** Audit: both required. Others default to [start of the current UTC day, now]. */
	windowRequired: boolean;
	/** Audit: "Historical lookup is restricted to last 60 days". */
	maxDaysBack?: number;
	/** TTP endpoints take `oldestFirst`; audit and view logs are always newest first. */
	oldestFirstField: boolean;
	filters: Filter[];
	/** Impersonation: `data[0].resultCount`. */
	resultCount?: boolean;
	/** Mimecast was recorded ending this walk with `next` and an empty page (option `emptyLastPage`). */
	emptyLastPage?: boolean;
}

const invalid = (field: string, message: string): McError => ({
	code: CODES.invalidValue,
	message,
	field,
});

/** `route: all|inbound|…`: "all" (or absent) means no filter. `toRecord` maps request values to record values. */
function enumFilter(
	field: string,
	values: readonly string[],
	recordField: string,
	toRecord: Readonly<Record<string, string>> = {},
): Filter {
	return {
		build(item) {
			const v = item[field];
			if (v === undefined || v === null) return { keep: null, canonical: 'all' };
			if (typeof v !== 'string')
				return invalid(field, `${field} must be one of ${values.join(', ')}`);
			if (v === '')
				return { code: CODES.validationBlank, message: `${field} must not be blank`, field };
			const value = v.toLowerCase();
			if (!values.includes(value))
				return invalid(field, `${field} must be one of ${values.join(', ')}`);
			if (value === 'all') return { keep: null, canonical: 'all' };
			const want = toRecord[value] ?? value;
			return { keep: (rec) => rec[recordField] === want, canonical: value };
		},
	};
}

/** Case-insensitive substring over several record fields. */
function textFilter(field: string, recordFields: readonly string[]): Filter {
	return {
		build(item) {
			const v = item[field];
			if (v === undefined || v === null || v === '') return { keep: null, canonical: null };
			if (typeof v !== 'string') return invalid(field, `${field} must be a string`);
			const needle = v.toLowerCase();
			return {
				keep: (rec) =>
					recordFields.some((f) =>
						String(rec[f] ?? '')
							.toLowerCase()
							.includes(needle),
					),
				canonical: needle,
			};
		},
	};
}

/** A list of accepted values; a record matches if its field (a value or an array) hits one. */
function listFilter(field: string, recordField: string): Filter {
	return {
		build(item) {
			const v = item[field];
			if (v === undefined || v === null) return { keep: null, canonical: null };
			if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
				return invalid(field, `${field} must be an array of strings`);
			if (v.length === 0) return { keep: null, canonical: null };
			const wanted = new Set(v as string[]);
			return {
				keep: (rec) => {
					const got = rec[recordField];
					return Array.isArray(got)
						? got.some((g) => wanted.has(String(g)))
						: wanted.has(String(got));
				},
				canonical: [...wanted].sort(),
			};
		},
	};
}

function booleanFilter(field: string, recordField: string): Filter {
	return {
		build(item) {
			const v = item[field];
			if (v === undefined || v === null) return { keep: null, canonical: null };
			if (typeof v !== 'boolean') return invalid(field, `${field} must be true or false`);
			return { keep: (rec) => rec[recordField] === v, canonical: v };
		},
	};
}

/** Impersonation: `query` searched in the field named by `searchField` (default all of them). */
function searchFilter(fields: readonly string[]): Filter {
	const search = textFilter('query', fields);
	return {
		build(item) {
			const sf = item.searchField;
			if (sf === undefined || sf === null || sf === 'all') return search.build(item);
			if (typeof sf !== 'string' || !fields.includes(sf))
				return invalid('searchField', `searchField must be one of all, ${fields.join(', ')}`);
			const r = textFilter('query', [sf]).build(item);
			return 'code' in r ? r : { keep: r.keep, canonical: [sf, r.canonical] };
		},
	};
}

const ROUTES = ['all', 'internal', 'outbound', 'inbound'] as const;

export const PAGED_ENDPOINTS: readonly PagedEndpoint[] = [
	{
		path: '/api/audit/get-audit-events',
		kind: 'auditEvents',
		timeField: 'eventTime',
		from: 'startDateTime',
		to: 'endDateTime',
		windowRequired: true,
		maxDaysBack: 60,
		oldestFirstField: false,
		filters: [
			textFilter('query', ['user', 'eventInfo', 'auditType']),
			listFilter('categories', 'category'),
		],
	},
	{
		path: '/api/archive/get-view-logs',
		kind: 'viewLogs',
		timeField: 'viewed',
		from: 'start',
		to: 'end',
		windowRequired: false,
		oldestFirstField: false,
		filters: [textFilter('query', ['viewer', 'from', 'to', 'subject'])],
	},
	{
		path: '/api/ttp/url/get-logs',
		kind: 'ttpUrl',
		timeField: 'date',
		wrapper: 'clickLogs',
		from: 'from',
		to: 'to',
		windowRequired: false,
		oldestFirstField: true,
		filters: [
			enumFilter('route', ROUTES, 'route'),
			enumFilter('scanResult', ['all', 'clean', 'malicious'], 'scanResult'),
		],
	},
	{
		path: '/api/ttp/attachment/get-logs',
		kind: 'ttpAttachment',
		timeField: 'date',
		wrapper: 'attachmentLogs',
		from: 'from',
		to: 'to',
		windowRequired: false,
		oldestFirstField: true,
		filters: [
			enumFilter('route', ROUTES, 'route'),
			enumFilter(
				'result',
				['all', 'clean', 'malicious', 'unknown', 'timeout'],
				'result',
				ATTACHMENT_RESULT_FILTER,
			),
		],
	},
	{
		path: '/api/ttp/impersonation/get-logs',
		kind: 'ttpImpersonation',
		timeField: 'eventTime',
		wrapper: 'impersonationLogs',
		from: 'from',
		to: 'to',
		windowRequired: false,
		oldestFirstField: true,
		filters: [
			booleanFilter('taggedMalicious', 'taggedMalicious'),
			listFilter('identifiers', 'identifiers'),
			listFilter('actions', 'action'),
			searchFilter(['senderAddress', 'recipientAddress', 'subject', 'senderIpAddress']),
		],
		resultCount: true,
	},
	{
		// mimecast-api-more.md §1: no filters documented; Mimecast's DLP clients send oldestFirst.
		path: '/api/dlp/get-logs',
		kind: 'dlpLogs',
		timeField: 'eventTime',
		wrapper: 'dlpLogs',
		from: 'from',
		to: 'to',
		windowRequired: false,
		oldestFirstField: true,
		filters: [],
		emptyLastPage: true,
	},
	{
		// §2: `query`, `start`, `end`, all optional.
		path: '/api/archive/get-archive-search-logs',
		kind: 'archiveSearchLogs',
		timeField: 'createTime',
		wrapper: 'logs',
		from: 'start',
		to: 'end',
		windowRequired: false,
		oldestFirstField: false,
		filters: [textFilter('query', ['searchText', 'emailAddr', 'description'])],
		emptyLastPage: true,
	},
	{
		// §3: `start`, `end`.
		path: '/api/gateway/get-held-release-logs',
		kind: 'releaseLogs',
		timeField: 'released',
		wrapper: 'heldReleaseLogs',
		from: 'start',
		to: 'end',
		windowRequired: false,
		oldestFirstField: false,
		filters: [],
		emptyLastPage: true,
	},
];
