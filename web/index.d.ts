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

/** Starts localrec in a Web Worker (or a Node worker thread); see the README's worker section. */
export function createWorker(options?: { url?: string | URL; worker?: Worker }): Promise<LocalrecWorker>;

/** The page's handle on a worker running localrec. Objects it returns live in the worker. */
export interface LocalrecWorker {
  /** Calls an exported function in the worker, e.g. `call('loadModel', { name: 'use-lite' })`. */
  call(method: string, ...args: unknown[]): Promise<any>;
  /** Constructs an exported class in the worker, e.g. `construct('InterestProfile', model, {})`. */
  construct(className: string, ...args: unknown[]): Promise<any>;
  /** Calls a static method in the worker, e.g. `callStatic('Catalog', 'fromBytes', bytes)`. */
  callStatic(className: string, method: string, ...args: unknown[]): Promise<any>;
  init(options?: InitOptions): Promise<void>;
  loadModel(options?: Record<string, unknown>): Promise<any>;
  version(): Promise<string>;
  terminate(): Promise<number> | void;
}

/** Saves profile bytes in the origin's IndexedDB under `key`. */
export function saveProfileBytes(key: string, bytes: Uint8Array): Promise<void>;
/** The bytes saved under `key`, or null. */
export function loadProfileBytes(key: string): Promise<Uint8Array | null>;
/** Deletes the profile saved under `key`. */
export function deleteProfileBytes(key: string): Promise<void>;
/** Deletes localrec's whole IndexedDB database on this origin. */
export function deleteAllStoredData(): Promise<void>;
