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

export type TokenizerKind = 'wordpiece' | 'unigram';

export interface TokenizerOptions {
  /** Default 'wordpiece'. */
  kind?: TokenizerKind;
  /**
   * WordPiece: 'vocab.txt' | 'tokenizer.json' (default: sniffed, JSON object = tokenizer.json);
   * Unigram: 'use-vocab.json' ([[piece, score], ...], the default).
   */
  format?: 'vocab.txt' | 'tokenizer.json' | 'use-vocab.json';
  /** vocab.txt only (tokenizer.json carries its own): lower-case the text. Default true. */
  lowercase?: boolean;
  /** vocab.txt only: strip accents (NFD, drop non-spacing marks). Default: same as lowercase. */
  stripAccents?: boolean;
  /** vocab.txt only: put spaces around CJK ideographs. Default true. */
  handleChineseChars?: boolean;
  /** vocab.txt only: drop control characters, map whitespace to spaces. Default true. */
  cleanText?: boolean;
}

export interface EncodeOptions {
  /** Cut to this many tokens, special tokens included. Default: the tokenizer's maxLength. */
  maxLength?: number;
}

export interface TokenizerEncoding {
  inputIds: BigInt64Array;
  /** All 1n (one text, no padding). */
  attentionMask: BigInt64Array;
  /** All 0n. */
  tokenTypeIds: BigInt64Array;
  length: number;
  /** True when the text had more tokens than maxLength. */
  truncated: boolean;
}

export interface TokenizerBatchEncoding {
  /** Row-major [batchSize * sequenceLength], right-padded with the pad id. */
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  batchSize: number;
  /** The longest row after truncation. */
  sequenceLength: number;
  /** Real tokens per row. */
  lengths: Uint32Array;
  truncated: boolean[];
}

/** A WordPiece or Unigram tokenizer in the wasm core. Call `await init()` first. */
export class Tokenizer {
  private constructor(handle: unknown, kind: TokenizerKind);
  /** Errors (with `.code`): 'InvalidArgument', 'CorruptData', 'Unsupported', 'InvalidUtf8'. */
  static fromBytes(bytes: Uint8Array | ArrayBuffer | string, options?: TokenizerOptions): Tokenizer;
  readonly kind: TokenizerKind;
  readonly vocabSize: number;
  /** 512 for BERT (or the tokenizer.json's truncation), 128 for USE Lite. */
  readonly maxLength: number;
  /** True for WordPiece (BERT inputs), false for Unigram (USE Lite). */
  readonly usesTokenTypeIds: boolean;
  readonly padId: number;
  /** Throws 'InvalidArgument' for non-strings and 'InvalidUtf8' for lone surrogates. */
  encode(text: string, options?: EncodeOptions): TokenizerEncoding;
  encodeBatch(texts: string[], options?: EncodeOptions): TokenizerBatchEncoding;
  /** Vocabulary pieces ("##ing", "[UNK]", "▁the"), no special tokens, no truncation. */
  tokenize(text: string): string[];
  /** Frees the wasm memory; later calls throw (code 'Disposed'). */
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
