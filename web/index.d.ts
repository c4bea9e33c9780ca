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

// ---- Catalogue and ranking (docs/catalog.md) ----------------------------------------------

/** Item metadata stored in a catalogue; other JSON-serialisable keys are kept as given. */
export interface ItemMetadata {
  title?: string;
  url?: string;
  text?: string;
  tags?: string[];
  [key: string]: unknown;
}

/** What rescoring reads besides the int8 vectors the scan uses. */
export type CatalogPrecision = 'int8' | 'residual' | 'float32';

export interface FromVectorsOptions {
  ids: string[];
  /** One Float32Array per item, or one flat Float32Array of ids.length x dims values. */
  vectors: Float32Array[] | Float32Array;
  metadata?: (ItemMetadata | null)[];
  /** Texts analysed for the lexical (BM25) part; without them the catalogue has none. */
  texts?: string[];
  /** sha256 (64 hex digits) of the model that made the vectors. */
  modelFingerprint: string;
  dims?: number;
  /** Default 'int8' (1 byte per dimension); 'residual' 2 bytes, near-exact; 'float32' 5 bytes, exact. */
  precision?: CatalogPrecision;
}

export interface WeightedTerm {
  /** Raw words, analysed like the items' texts. */
  term: string;
  weight: number;
}

export interface SearchOptions {
  k?: number;
  /** One weight (>= 0) per query vector. */
  weights?: number[];
  combine?: 'max' | 'sum';
  exclude?: string[];
  /** An item must carry all of these tags. */
  requireTags?: string[];
  /** An item carrying any of these tags is dropped. */
  excludeTags?: string[];
  /** MMR trade-off, 0 (pure relevance) .. 1. */
  diversity?: number;
  terms?: WeightedTerm[];
  /** Share of the lexical part in fusion, 0..1 (default 0.5). */
  lexicalWeight?: number;
  fusion?: 'weighted' | 'rrf';
  /** Per-query normalisation for 'weighted' fusion (default 'minmax'). */
  normalization?: 'minmax' | 'zscore';
  /** Refused with an Error (code 'ModelMismatch') when it differs from the catalogue's. */
  modelFingerprint?: string;
  /** Candidates per part before rescoring and fusion; default max(4k, 100). */
  candidates?: number;
  /** Score every item in f32 instead of scanning int8 (a slow reference). */
  exact?: boolean;
  bm25?: { k1?: number; b?: number };
  /** The constant of reciprocal rank fusion (default 60). */
  rrfK?: number;
  /** Set false to leave `metadata` null in the results (faster). */
  metadata?: boolean;
}

export interface SearchResult {
  id: string;
  index: number;
  /** The ranking score (fused when both parts are present). */
  score: number;
  /** Combined weighted dot product (0 without query vectors). */
  dense: number;
  /** Weighted BM25 (0 without terms). */
  lexical: number;
  /** Index of the query vector with the largest weighted dot product; null without vectors. */
  query: number | null;
  metadata: ItemMetadata | null;
}

export class Catalog {
  private constructor();
  /** Loads and validates a catalogue file (copied once into wasm memory). */
  static fromBytes(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Catalog;
  static fromVectors(options: FromVectorsOptions): Catalog;
  readonly size: number;
  readonly dims: number;
  readonly modelFingerprint: string;
  readonly precision: CatalogPrecision;
  readonly hasTerms: boolean;
  readonly byteLength: number;
  toBytes(): Uint8Array;
  id(index: number): string;
  indexOf(id: string): number;
  has(id: string): boolean;
  metadata(idOrIndex: string | number): ItemMetadata | null;
  vector(idOrIndex: string | number): Float32Array;
  search(queries: Float32Array | Float32Array[] | null, options?: SearchOptions): SearchResult[];
  bm25(terms: WeightedTerm[], options?: { k1?: number; b?: number }): Float32Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Builds a catalogue item by item (memory about the final file's size). */
export class CatalogBuilder {
  constructor(options: { dims: number; modelFingerprint: string; precision?: CatalogPrecision });
  readonly dims: number;
  readonly size: number;
  add(item: { id: string; vector: Float32Array | number[]; metadata?: ItemMetadata | null; text?: string }): void;
  /** Returns the finished catalogue; the builder is used up. */
  finish(): Catalog;
  dispose(): void;
  [Symbol.dispose](): void;
}

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
