/**
 * The slice of fflate (https://github.com/101arrowz/fflate, MIT) the SIEM parser uses (zip
 * entries inflate with the runtime's own zlib, see siem/archive.ts),
 * bundled into fflate.js by scripts/bundle-fflate.mjs at build time so the package ships
 * without runtime dependencies. Signatures as in fflate's own typings.
 */

/** Receives each decompressed chunk; `final` is true for the last one. */
export type FlateStreamHandler = (data: Uint8Array, final: boolean) => void;

interface StreamOptions {
	dictionary?: Uint8Array;
}

/** Streaming single- or multi-member GZIP decompression (API 2.0 batch files). */
export declare class Gunzip {
	constructor(opts: StreamOptions, cb?: FlateStreamHandler);
	constructor(cb?: FlateStreamHandler);
	ondata: FlateStreamHandler;
	onmember?: (offset: number) => void;
	push(chunk: Uint8Array, final?: boolean): void;
}

/** Streaming zlib decompression (the mc-siem-token's payload). */
export declare class Unzlib {
	constructor(opts: StreamOptions, cb?: FlateStreamHandler);
	constructor(cb?: FlateStreamHandler);
	ondata: FlateStreamHandler;
	push(chunk: Uint8Array, final?: boolean): void;
}
