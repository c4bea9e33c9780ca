// Type declarations for the localrec npm package.

export interface InitOptions {
  /** Where to fetch localrec_core.wasm from (default: next to the package's dist/ module). */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves, e.g. when bundling or in tests. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the wasm core once; later calls return the same promise. */
export function init(options?: InitOptions): Promise<void>;

/** The library version (matches package.json). */
export function version(): string;
