/**
 * API 1.0 `POST /api/audit/get-siem-logs`: a chain of files walked with the `mc-siem-token`
 * response header. One file per call; with `compress: true` a zip (named after x-mc-req-id) of
 * one or more consecutive files. When caught up: JSON with `meta.isLastToken: true`.
 */
import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { SIEM_FILE_PREFIXES } from './data/siem-v1-events';
import type { DataStore } from './data/store';
import { ACCOUNT_CODE } from './data/vocab';
import { CODES, jsonReply, validationFail, type McError, type Reply } from './envelope';
import { toKeyValueFile } from './key-value';
import type { FaultKind, FaultSpec, SiemFile } from './types';
import { buildZip, zipBombEntry, type ZipEntry } from './zip';

/** How many files one compressed response may hold. */
export const MAX_FILES_PER_ZIP = 10;
const DEFAULT_BOMB_BYTES = 1 << 30;

export interface SiemV1Deps {
	store: DataStore;
	secret: Buffer;
	requestId: string;
	takeFault(kinds: readonly FaultKind[]): FaultSpec | undefined;
}

type Format = 'json' | 'key_value';

interface SiemToken {
	secureid: string;
	offset: number;
	siemlogid: number;
	createTime: number;
	siemlogtype: number;
	version: number;
	account: string;
}

const secureId = (secret: Buffer, id: number, createTime: number, account: string): string =>
	createHmac('sha512', secret).update(`${id}:${createTime}:${account}`).digest('base64');

/** Same shape as a real token (samples/xsoar/lastTokenSiem.decoded.json): zlib JSON, URL-safe base64. */
export function encodeSiemToken(secret: Buffer, file: SiemFile): string {
	const token: SiemToken = {
		secureid: secureId(secret, file.id, file.createTime, ACCOUNT_CODE),
		offset: 1,
		siemlogid: file.id,
		createTime: file.createTime,
		siemlogtype: SIEM_FILE_PREFIXES.indexOf(file.filePrefix),
		version: 1,
		account: ACCOUNT_CODE,
	};
	return deflateSync(JSON.stringify(token), { level: 9 }).toString('base64url');
}

export function decodeSiemToken(secret: Buffer, text: string): SiemToken | undefined {
	try {
		const t = JSON.parse(
			inflateSync(Buffer.from(text, 'base64url')).toString('utf8'),
		) as Partial<SiemToken>;
		if (
			typeof t.siemlogid !== 'number' ||
			typeof t.createTime !== 'number' ||
			typeof t.account !== 'string'
		)
			return undefined;
		return t.secureid === secureId(secret, t.siemlogid, t.createTime, t.account)
			? (t as SiemToken)
			: undefined;
	} catch {
		return undefined;
	}
}

export function renderSiemFile(file: SiemFile, format: Format): Buffer {
	return Buffer.from(
		format === 'json'
			? JSON.stringify({ type: 'MTA', data: file.events })
			: toKeyValueFile(file.events),
		'utf8',
	);
}

export const siemFileName = (file: SiemFile, format: Format): string =>
	`${file.name}.${format === 'json' ? 'json' : 'log'}`;

const fileHeaders = (filename: string, token: string): Record<string, string> => ({
	'content-type': 'application/octet-stream',
	'content-disposition': `attachment; filename="${filename}"`,
	pragma: 'private, no-cache',
	'cache-control': 'private, must-revalidate, no-store',
	'mc-siem-token': token,
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseRequest(
	body: unknown,
): { item: Obj; format: Format; compress: boolean; token?: string } | Reply {
	const item = isObj(body) && Array.isArray(body.data) && isObj(body.data[0]) ? body.data[0] : {};
	const errors: McError[] = [];
	if (item.type === undefined || item.type === null)
		errors.push({ code: CODES.validationNull, message: 'type must not be null', field: 'type' });
	else if (typeof item.type !== 'string' || item.type.toUpperCase() !== 'MTA') {
		errors.push({ code: CODES.invalidValue, message: 'type must be MTA', field: 'type' });
	}
	const rawFormat = item.fileFormat ?? 'key_value';
	// Mimecast's own sample code sends "JSON" in capitals.
	const format = typeof rawFormat === 'string' ? rawFormat.toLowerCase() : '';
	if (format !== 'json' && format !== 'key_value') {
		errors.push({
			code: CODES.invalidValue,
			message: 'fileFormat must be json or key_value',
			field: 'fileFormat',
		});
	}
	if (item.compress !== undefined && item.compress !== null && typeof item.compress !== 'boolean') {
		errors.push({
			code: CODES.invalidValue,
			message: 'compress must be true or false',
			field: 'compress',
		});
	}
	if (item.token !== undefined && item.token !== null && typeof item.token !== 'string') {
		errors.push({
			code: CODES.siemInvalidToken,
			message: 'The token is not valid',
			field: 'token',
		});
	}
	if (errors.length) return validationFail(errors, item);
	return {
		item,
		format: format as Format,
		compress: item.compress === true,
		token: typeof item.token === 'string' && item.token !== '' ? item.token : undefined,
	};
}

export function handleSiemV1(body: unknown, deps: SiemV1Deps): Reply {
	const req = parseRequest(body);
	if ('status' in req) return req;
	const held = deps.store.heldSiemFiles();
	let start = 0;
	if (req.token !== undefined) {
		const pos = decodeSiemToken(deps.secret, req.token);
		if (!pos)
			return validationFail(
				[{ code: CODES.siemInvalidToken, message: 'The token is not valid', field: 'token' }],
				req.item,
			);
		// Resume after the file the token names; if it aged out, at the oldest file still held.
		while (
			start < held.length &&
			(held[start].createTime < pos.createTime ||
				(held[start].createTime === pos.createTime && held[start].id <= pos.siemlogid))
		) {
			start++;
		}
	}
	if (start >= held.length) {
		return jsonReply(
			200,
			{ meta: { isLastToken: true, status: 200 }, data: [], fail: [] },
			req.token ? { 'mc-siem-token': req.token } : {},
		);
	}

	const files = held.slice(start, req.compress ? start + MAX_FILES_PER_ZIP : start + 1);
	const next = encodeSiemToken(deps.secret, files[files.length - 1]);
	const corrupt = deps.takeFault(
		req.compress ? ['corruptSiemFile', 'zipSlip', 'zipBomb'] : ['corruptSiemFile'],
	);

	if (!req.compress) {
		const file = files[0];
		let content = renderSiemFile(file, req.format);
		if (corrupt) {
			// The truncated file Elastic #5053 reported, or a key_value file cut mid-line.
			content =
				req.format === 'json'
					? Buffer.from('{ "type" : "MTA", "data" : ')
					: content.subarray(0, Math.floor(content.length / 2));
		}
		return {
			status: 200,
			headers: fileHeaders(siemFileName(file, req.format), next),
			body: content,
		};
	}

	let entries: ZipEntry[] = files.map((f) => ({
		name: siemFileName(f, req.format),
		data: renderSiemFile(f, req.format),
		mtime: f.createTime,
	}));
	if (corrupt?.kind === 'zipSlip')
		entries = entries.map((e) => ({ ...e, name: `../../${e.name}` }));
	if (corrupt?.kind === 'zipBomb') {
		entries = [
			{
				name: entries[0].name,
				deflated: zipBombEntry(corrupt.bombBytes ?? DEFAULT_BOMB_BYTES),
				mtime: files[0].createTime,
			},
		];
	}
	let zip = buildZip(entries);
	// "Not a valid zip file": the archive cut short, so its central directory is missing.
	if (corrupt?.kind === 'corruptSiemFile') zip = zip.subarray(0, Math.floor(zip.length / 2));
	return { status: 200, headers: fileHeaders(`${deps.requestId}.zip`, next), body: zip };
}
