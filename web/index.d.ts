// Type declarations for the localrec npm package.
// Symbol.dispose and Disposable are declared by the esnext.disposable lib, which neither
// TypeScript 5 nor 7 includes for an es2022 target: name it here for every consumer.
/// <reference lib="esnext.disposable" />

export interface InitOptions {
  /** Where to fetch localrec_core.wasm from (default: web/assets.js's URL, which bundlers emit). */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves, e.g. when bundling or in tests. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the wasm core once; later calls return the same promise. */
export function init(options?: InitOptions): Promise<void>;

/** The library version (matches package.json). */
export function version(): string;

/**
 * The core's option defaults, names and limits, after `await init()` (frozen). The C++ option
 * structs own them (src/wasm/bind_options.cc exports them); the JS API checks against them and
 * passes on only what a caller gave, so what is here is what an omitted option means.
 */
export function defaults(): CoreDefaults;

export interface CoreDefaults {
  names: {
    strategy: readonly RankStrategy[];
    termSource: readonly RankTermSource[];
    combine: readonly SearchCombine[];
    fusion: readonly Fusion[];
    normalization: readonly Normalization[];
    precision: readonly CatalogPrecision[];
  };
  /** InterestProfile.rank() (and query()). */
  rank: Readonly<{
    k: number; strategy: RankStrategy; diversity: number; fusion: Fusion; normalization: Normalization;
    /** The candidate pool per part is max(4k, minCandidates) unless `candidates` is given. */
    minCandidates: number; bm25: Readonly<{ k1: number; b: number }>; explain: boolean;
    maxTerms: number; maxInterests: number; interestWeightPower: number; termSource: RankTermSource;
    lexicalWeight: number;
  }>;
  /** Catalog.search(). */
  search: Readonly<{
    k: number; combine: SearchCombine; diversity: number; lexicalWeight: number; fusion: Fusion;
    normalization: Normalization; bm25: Readonly<{ k1: number; b: number }>; rrfK: number;
    /** The candidate pool per part is max(4k, minCandidates) unless `candidates` is given. */
    minCandidates: number;
  }>;
  /** InterestProfile's options (besides maxUnknownShare, which the JS layer applies). */
  profile: Readonly<Required<Omit<InterestProfileOptions, 'maxUnknownShare'>>>;
  /** The profile options that are whole numbers. */
  profileWholeNumbers: readonly (keyof InterestProfileOptions)[];
  limits: Readonly<{ maxDims: number; maxIdBytes: number; maxCount: number }>;
}

export type SearchCombine = 'max' | 'sum';
export type Fusion = 'weighted' | 'rrf';
export type Normalization = 'minmax' | 'zscore';
export type RankTermSource = 'keywords' | 'words' | 'both';

// ---- Chinese text (docs/chinese.md) ---------------------------------------------------------

export interface LoadChineseOptions {
  /** Where to fetch localrec-zh.dict.gz from (default: next to the wasm core). */
  url?: string | URL;
  /** The dictionary bytes themselves (gzipped or not). */
  bytes?: ArrayBuffer | Uint8Array;
}

/**
 * Loads the Chinese dictionary of the word analyser (1.5 MB gzipped; idempotent). addPosts()
 * and the CLI load it by themselves when they meet Han text; call it before synchronous calls
 * (Catalog.fromVectors with texts, CatalogBuilder.add, rank() reasons over a Chinese catalogue)
 * that may see Chinese first. Needs init() first.
 */
export function loadChinese(options?: LoadChineseOptions): Promise<void>;

/** True once the Chinese dictionary is loaded. */
export function chineseLoaded(): boolean;

/** The analyser's terms for a text: what BM25 indexes and what keyword keys are made of. */
export function analyzeTerms(text: string): string[];

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
export type CatalogPrecision = 'int8' | 'compact' | 'residual' | 'float32';

export interface FromVectorsOptions {
  ids: string[];
  /** One Float32Array per item, or one flat Float32Array of ids.length x dims values. */
  vectors: Float32Array[] | Float32Array;
  metadata?: (ItemMetadata | null)[];
  /**
   * Texts analysed for the lexical (BM25) part; without them the catalogue has none. Each also
   * fills its item's metadata.text (read by rank()'s keyword reasons) unless the metadata has a
   * text or is an explicit null.
   */
  texts?: string[];
  /** sha256 (64 hex digits) of the model that made the vectors. */
  modelFingerprint: string;
  dims?: number;
  /**
   * Default 'int8' (1.125 bytes per dimension: int8 + a refinement bit); 'compact' 1 byte (int8
   * only, lower recall); 'residual' 2 bytes, near-exact; 'float32' 5 bytes, exact.
   */
  precision?: CatalogPrecision;
}

export interface WeightedTerm {
  /** Raw words, analysed like the items' texts (or, with `analyzed`, terms as they are). */
  term: string;
  weight: number;
  /**
   * `term` holds analysed terms separated by spaces (what a profile's query() returns): looked
   * up as they are, not analysed again. A Chinese word analysed alone may split differently
   * from the text it came from.
   */
  analyzed?: boolean;
}

export interface SearchOptions {
  k?: number;
  /** One weight (>= 0) per query vector. */
  weights?: number[];
  /** Several query vectors: weighted max or sum (default 'max'). */
  combine?: SearchCombine;
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
  /** How dense and lexical scores are fused (default 'weighted'). */
  fusion?: Fusion;
  /** Per-query normalisation for 'weighted' fusion (default 'minmax'). */
  normalization?: Normalization;
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

/** Starts localrec in a Web Worker (or a Node worker thread); resolves once its modules loaded. */
export function createWorker(options?: {
  /** URL of web/worker.js when not bundled (default: the package's, which bundlers emit). */
  url?: string | URL;
  /** An already created module Worker running web/worker.js. */
  worker?: Worker;
}): Promise<LocalrecWorker>;

type Primitive = string | number | boolean | bigint | null | undefined;

/** What a value becomes after crossing the worker boundary. */
export type RemoteValue<T> =
  T extends Embeddings ? Float32Array[] :
  T extends Model ? Remote<Model> :
  T extends PendingModel ? Remote<PendingModel> :
  T extends Catalog ? Remote<Catalog> :
  T extends InterestProfile ? Remote<InterestProfile> :
  T extends CatalogBuilder ? Remote<CatalogBuilder> :
  T extends Tokenizer ? Remote<Tokenizer> :
  T;

/** A remote handle may stand in for the object it names in arguments. */
type RemoteArg<P> =
  P | (P extends EmbeddingModel ? Remote<Model> | Remote<PendingModel> : never) | (P extends SearchableCatalog ? Remote<Catalog> : never);
type RemoteArgs<A extends unknown[]> = { [I in keyof A]: RemoteArg<A[I]> };
type FunctionKeys<T> = { [K in keyof T]: K extends string ? (T[K] extends (...args: any[]) => any ? K : never) : never }[keyof T];

/**
 * An object that stays in the worker: its methods are async (they run there), its primitive
 * properties (name, dims, size, ...) are a snapshot taken after each call, `dispose()` releases it.
 */
export type Remote<T> = {
  readonly [K in keyof T as K extends string ? (T[K] extends (...args: any[]) => any ? K : T[K] extends Primitive ? K : never) : never]:
    K extends 'dispose' ? () => Promise<void> :
    T[K] extends (...args: infer A) => infer R ? (...args: RemoteArgs<A>) => Promise<RemoteValue<Awaited<R>>> :
    T[K];
} & { readonly className: string };

/** The classes the worker serves, by name. */
export interface RemoteClasses {
  Catalog: typeof Catalog;
  CatalogBuilder: typeof CatalogBuilder;
  InterestProfile: typeof InterestProfile;
  Model: typeof Model;
  PendingModel: typeof PendingModel;
  Tokenizer: typeof Tokenizer;
}

/** The functions the worker serves, by name. */
export interface RemoteFunctions {
  init: typeof init;
  version: typeof version;
  defaults: typeof defaults;
  loadModel: typeof loadModel;
  openModel: typeof openModel;
  loadTimings: typeof loadTimings;
  saveProfileBytes: typeof saveProfileBytes;
  loadProfileBytes: typeof loadProfileBytes;
  deleteProfileBytes: typeof deleteProfileBytes;
  deleteAllStoredData: typeof deleteAllStoredData;
}

/** The page's handle on a worker running localrec. Objects it returns live in the worker. */
export interface LocalrecWorker {
  /** Calls an exported function in the worker, e.g. `call('loadModel', { name: 'use-lite' })`. */
  call<F extends keyof RemoteFunctions>(method: F, ...args: RemoteArgs<Parameters<RemoteFunctions[F]>>):
    Promise<RemoteValue<Awaited<ReturnType<RemoteFunctions[F]>>>>;
  /** Constructs a class in the worker, e.g. `construct('InterestProfile', model, { halfLifeDays: 30 })`. */
  construct<C extends 'InterestProfile' | 'CatalogBuilder'>(className: C, ...args: RemoteArgs<ConstructorParameters<RemoteClasses[C]>>):
    Promise<Remote<InstanceType<RemoteClasses[C]>>>;
  /** Calls a static method in the worker, e.g. `callStatic('Catalog', 'fromBytes', bytes)`. */
  callStatic<C extends keyof RemoteClasses, M extends FunctionKeys<RemoteClasses[C]>>(
    className: C, method: M,
    ...args: RemoteArgs<RemoteClasses[C][M] extends (...a: infer A) => any ? A : never>
  ): Promise<RemoteValue<Awaited<RemoteClasses[C][M] extends (...a: any[]) => infer R ? R : never>>>;
  init(options?: InitOptions): Promise<void>;
  /** Function options (onProgress) work: their calls are posted back from the worker. */
  loadModel(options?: LoadModelOptions): Promise<Remote<Model>>;
  version(): Promise<string>;
  /** Stops the worker; pending calls reject (code 'Terminated'). */
  terminate(): Promise<number> | void;
}

/** Saves profile bytes in the origin's IndexedDB under `key`. Rejects with code 'StorageFailed' when IndexedDB refuses (e.g. a full quota). */
export function saveProfileBytes(key: string, bytes: Uint8Array): Promise<void>;
/** The bytes saved under `key`, or null. A damaged record rejects with 'CorruptData'. */
export function loadProfileBytes(key: string): Promise<Uint8Array | null>;
/** Deletes the profile saved under `key`. */
export function deleteProfileBytes(key: string): Promise<void>;
/** Deletes localrec's whole IndexedDB database on this origin. Resolves once the database is gone; `onBlocked` is called while another connection blocks it. */
export function deleteAllStoredData(options?: { onBlocked?: () => void }): Promise<void>;

/** One load phase (`performance.measure` entry `localrec:<name>`) or a fetch of a package file. */
export interface LoadTiming { name: string; start: number; duration: number; detail?: unknown }
/**
 * The load phases recorded in this realm (page, worker or Node): init, model-files, tokenizer,
 * ort-import, ort-session, model-probe, catalog-copy, catalog-validate, profile-restore,
 * idb-read, worker-script, and fetches of .wasm/.onnx/.lrc files. Times in ms from `timeOrigin`.
 */
export function loadTimings(): { timeOrigin: number; entries: LoadTiming[] };

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

/** Options of loadModel(): where the bundle comes from (one of url, files, dir, name) and how it runs. */
export interface LoadModelOptions {
  /** A bundled model by name (default DEFAULT_MODEL, 'use-lite': Universal Sentence Encoder Lite; 'use-lite-bert-2x128' is the BERT distilled from it; no network). */
  name?: string;
  /** Base URL of a bundle or Hugging Face folder; files are cached in the Cache API after a verified download. */
  url?: string | URL;
  /** The bundle's files as bytes: { 'manifest.json': ..., 'model.onnx': ..., ... }. */
  files?: Record<string, Uint8Array | ArrayBuffer | string>;
  /** A folder on disk (Node only). */
  dir?: string | URL;
  /** Hugging Face folders: use onnx/model_quantized.onnx (default true) or onnx/model.onnx. */
  quantized?: boolean;
  /** Hugging Face folders: pooling when 1_Pooling/config.json does not say (default 'mean'). */
  pooling?: 'mean' | 'cls';
  /** 'web' = onnxruntime-web wasm; 'node' = onnxruntime-node; 'auto' (default) = node in Node when installed. */
  backend?: 'auto' | 'web' | 'node';
  /**
   * ONNX Runtime threads (web: only with cross-origin isolation; default min(4, cores) there, else 1;
   * also 1 in a worker whose bundled script holds ONNX Runtime, e.g. Vite's default iife worker,
   * where its threads cannot start: docs/bundlers.md).
   */
  numThreads?: number;
  /** Where onnxruntime-web finds its .wasm files. */
  wasmPaths?: string | Record<string, string>;
  /** URL of onnxruntime-web's ort.wasm module, for workers without a bundler. */
  ortUrl?: string | URL;
  /** An ONNX Runtime module the application already configured. */
  ort?: unknown;
  /** Use the browser Cache API for url bundles (default true). */
  cache?: boolean;
  /** Progress of each file of the bundle (downloads, cache hits, and a final 'done' per file). */
  onProgress?: (progress: ModelProgress) => void;
  /** A fetch implementation for url bundles (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Options passed to init(). */
  init?: InitOptions;
}

/** L2-normalised sentence vectors in input order, with what was cut. */
export type Embeddings = Float32Array[] & {
  /** Indices of texts cut at the model's maximum length. */
  readonly truncated: number[];
  /** Tokens per text, including special tokens, after truncation. */
  readonly tokenCounts: Uint32Array;
  /**
   * Per text, the share (0-1) of its visible characters that no known piece of the model's
   * vocabulary spells: near 1 means the model cannot read the text (e.g. Chinese for use-lite).
   */
  readonly unknownShares: Float32Array;
};

/** The profile's similarity thresholds on a model's cosine scale (docs/models.md, "Calibration"). */
export interface ModelCalibration {
  readonly joinThreshold: number;
  readonly mergeThreshold: number;
  /** False when the manifest has none and use-lite's defaults (0.4, 0.8) apply. */
  readonly measured: boolean;
}

/** A loaded sentence encoder. */
export class Model {
  private constructor();
  readonly name: string;
  readonly dims: number;
  readonly maxLength: number;
  /** Lowercase hex sha256 of the ONNX file: catalogues and profiles record it. */
  readonly fingerprint: string;
  readonly backend: 'web' | 'node' | 'custom';
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The manifest's calibration, or use-lite's thresholds when it has none. */
  readonly calibration: ModelCalibration;
  readonly tokenizer: Tokenizer;
  /** Embeds texts (batched by length, deterministically); rejects empty lists and non-strings. */
  embed(texts: string[], options?: { batchSize?: number; maxBatchTokens?: number }): Promise<Embeddings>;
  dispose(): Promise<void>;
  [Symbol.dispose](): void;
}

/** The name of the embedded default model. */
export const DEFAULT_MODEL: string;

/** Loads a sentence encoder; with no argument, the embedded default (no network). */
export function loadModel(options?: LoadModelOptions): Promise<Model>;

/**
 * A model still loading: name, dims and fingerprint from its manifest, so a stored profile can be
 * restored and ranked with before the encoder is ready; `embed()` waits for it.
 */
export class PendingModel {
  private constructor();
  readonly name: string;
  readonly dims: number;
  /** From the manifest; the load checks the model file against it. */
  readonly fingerprint: string;
  /** The manifest's calibration (as Model.calibration), so new profiles get the model's thresholds. */
  readonly calibration: ModelCalibration;
  /** True once the encoder is loaded. */
  readonly loaded: boolean;
  /** The loaded model; rejects with the load's error. */
  whenReady(): Promise<Model>;
  embed(texts: string[], options?: { batchSize?: number; maxBatchTokens?: number }): Promise<Embeddings>;
  dispose(): Promise<void>;
  [Symbol.dispose](): void;
}
/**
 * Starts `loadModel(options)` and resolves once the manifest is read (a bundle without one: once
 * loaded) to a PendingModel. `defer: true` starts the load at the first `embed()`/`whenReady()`.
 */
export function openModel(options?: LoadModelOptions & { defer?: boolean }): Promise<PendingModel>;

/** One progress event of loadModel(). */
export interface ModelProgress {
  /** The bundle's file name, e.g. 'model.onnx'. */
  file: string;
  /** Where it came from, for downloads and cache hits. */
  url?: string;
  loaded: number;
  /** Bytes expected (Content-Length or the manifest's size); 0 when unknown. */
  total: number;
  status: 'download' | 'cached' | 'done';
}

/** A bundle or the wasm core could not be loaded: missing or corrupt files, or parts that do not belong together. */
export class ModelLoadError extends Error {
  /**
   * 'NotFound' (404 or no such file), 'NotAFile' (an HTML page was served instead), 'Network',
   * 'Corrupt' (sha256 mismatch) or 'Invalid' (a bad manifest or model).
   */
  readonly code: 'NotFound' | 'NotAFile' | 'Network' | 'Corrupt' | 'Invalid';
  /** The URL that failed, when there was one. */
  readonly url?: string;
}
// ---- Interest profile (docs/profile.md) --------------------------------------------------------

/**
 * What InterestProfile needs of a model. A Model or PendingModel (loadModel(), openModel()) is run
 * inside the core: the posts' texts and vectors stay in wasm. Any other object with these members
 * works too: addPosts calls its embed() once per batch with the posts' texts and their new
 * keyword candidates (docs/profile.md, "Encoding").
 */
export interface EmbeddingModel {
  readonly dims: number;
  readonly fingerprint: string;
  /** Named in errors (e.g. an unreadable post). */
  readonly name?: string;
  /** Default thresholds of profiles built on this model. */
  readonly calibration?: { joinThreshold?: number; mergeThreshold?: number };
  /** The result may carry unknownShares (see Embeddings): then unreadable posts are refused. */
  embed(texts: string[], options?: { batchSize?: number }): Promise<Float32Array[] & { unknownShares?: ArrayLike<number> }>;
}

export interface InterestProfileOptions {
  /** Half-life of keyword frequencies and interest importance, in days (default 30). */
  halfLifeDays?: number;
  /** Keyword candidates per post, most frequent first (default 96). */
  maxCandidates?: number;
  /** Longest keyword phrase in words, 1-3 (default 3). */
  maxPhraseWords?: number;
  /** Keywords KeyBERT keeps per post (default 8). */
  keywordsPerPost?: number;
  /** MMR diversity of a post's keywords, 0-1 (default 0.5). */
  keywordDiversity?: number;
  /** Cosine of a post to an interest's centroid to join it (default: the model's calibration, 0.4 on use-lite). */
  joinThreshold?: number;
  /** Cosine between two interests' centroids at which they merge (default: the model's calibration, 0.8 on use-lite). */
  mergeThreshold?: number;
  /**
   * A post more than this share of which the model cannot read (Embeddings.unknownShares) is
   * refused: addPosts rejects with an error whose code is 'UnreadableText' (default 0.5; 1 keeps
   * everything). Not saved by toBytes().
   */
  maxUnknownShare?: number;
  /** Most interests kept; more are merged closest first (default 32). */
  maxInterests?: number;
  /** Distinct terms counted per interest for its label (default 256). */
  maxLabelTerms?: number;
  /** Posts kept individually; older ones are folded into the aggregates (default 10000). */
  maxPosts?: number;
  /** Embeddings of non-keyword candidates kept in the cache (default 4096). */
  maxCachedEmbeddings?: number;
  /** Keywords kept that only folded posts hold (default 10000). */
  maxKeywords?: number;
}

export interface Post {
  id: string;
  text: string;
  /** When it was written: a Date or ms since 1970 (default: now). */
  time?: number | Date;
}

export interface WeightedText { text: string; weight: number }

export interface Keyword extends WeightedText {
  /** The decayed number of posts that chose this keyword, at `now`. */
  frequency: number;
}

export interface Interest {
  id: number;
  /** Share of the user's attention: importance / total importance (sums to 1). */
  weight: number;
  /** Decayed number of posts at `now`. */
  importance: number;
  /** Class-based TF-IDF label, best first. */
  keywords: WeightedText[];
  /** The interest's centroid direction (unit length). */
  vector: Float32Array;
  /** Member posts, newest first. */
  postIds: string[];
  /** The member closest to the centroid. */
  representative: string;
  posts: number;
  foldedPosts: number;
  /** Time of the newest member (ms since 1970). */
  lastActive: number;
}

export type RankStrategy = 'keywords' | 'centroid' | 'interests' | 'lexical' | 'hybrid';

/** Options of InterestProfile.rank(); what is omitted takes the core's default (defaults().rank). */
export interface RankOptions {
  /** Results (default 10); more than the catalogue holds returns every item. */
  k?: number;
  /** Default: DEFAULT_STRATEGY. */
  strategy?: RankStrategy;
  /** MMR diversity of the results, 0-1 (default 0). */
  diversity?: number;
  /** Item ids left out (besides the items with feedback). */
  exclude?: string[];
  /** An item must carry all of these tags. */
  requireTags?: string[];
  /** An item carrying any of these tags is dropped. */
  excludeTags?: string[];
  /** Fusion weight of the lexical (BM25) part for 'hybrid' (default 0.7). */
  lexicalWeight?: number;
  /** How dense and lexical scores are fused (default 'weighted'). */
  fusion?: Fusion;
  /** Weighted keyword query size (default 64). */
  maxTerms?: number;
  /** Interests used as query vectors, heaviest first (default 16). */
  maxInterests?: number;
  /** Per-interest query weight = (weight / heaviest)^power, 0-16 (default 0: all equal). */
  interestWeightPower?: number;
  /** Query terms from the KeyBERT keywords, all words of the posts, or both, half each (default 'words'). */
  termSource?: RankTermSource;
  /** Compute reasons and metadata (default true). */
  explain?: boolean;
  /** Per-query normalisation for 'weighted' fusion (default 'minmax'). */
  normalization?: Normalization;
  /** BM25 parameters of the lexical part (default k1 1.2, b 0.75). */
  bm25?: { k1?: number; b?: number };
  /** Candidates per part before rescoring and fusion (default max(4k, 400)). */
  candidates?: number;
}

export interface RankedItem {
  id: string;
  score: number;
  reasons: {
    /** The interest whose vector matched best, with its label; null when no interest did. */
    interest: { id: number; keywords: string[] } | null;
    /** The user's keywords that occur in the item's title or text. */
    keywords: string[];
    dense: number;
    lexical: number;
  };
  metadata: ItemMetadata | null;
}

export interface ProfileQuery {
  vectors: Float32Array[];
  weights: number[];
  interestIds: number[];
  /** Keyword keys (analysed terms separated by spaces), searched as they are. */
  terms: { term: string; weight: number; analyzed: true }[];
  /** Share of the lexical part in rank()'s fusion (0: dense only). Several vectors combine by max. */
  lexicalWeight: number;
}

export interface SearchableCatalog {
  search(queries: Float32Array | Float32Array[], options?: Record<string, unknown>): {
    id: string; index: number; score: number; dense: number; lexical: number; query: number | null;
    metadata: Record<string, unknown> | null;
  }[];
  metadata?(idOrIndex: string | number): Record<string, unknown> | null;
}

export const DEFAULT_STRATEGY: RankStrategy;
export const STRATEGIES: readonly RankStrategy[];

/** The user's interests, built on the device from their posts. Needs `await init()` first. */
export class InterestProfile {
  constructor(model: EmbeddingModel, options?: InterestProfileOptions);
  static fromBytes(model: EmbeddingModel, bytes: Uint8Array | ArrayBuffer): InterestProfile;
  readonly size: number;
  readonly foldedPosts: number;
  readonly modelFingerprint: string;
  readonly dims: number;
  readonly options: Required<InterestProfileOptions>;
  has(id: string): boolean;
  /** Refuses posts dated more than a day after `now` (default Date.now()); rejects with code
   * 'Cancelled' when clear() or load() is called before it finished. */
  addPosts(posts: Post[], options?: { batchSize?: number; now?: number | Date }): Promise<number>;
  removePost(id: string): boolean;
  interests(options?: { labelTerms?: number; now?: number | Date }): Interest[];
  keywords(options?: { limit?: number; now?: number | Date }): Keyword[];
  userVector(strategy?: 'keywords' | 'centroid'): Float32Array;
  query(strategy?: RankStrategy,
        options?: Pick<RankOptions, 'maxTerms' | 'maxInterests' | 'interestWeightPower' | 'termSource' | 'lexicalWeight'>): ProfileQuery;
  /** One call into the core (src/core/recommend); `catalog` is a Catalog (a remote one in a worker). */
  rank(catalog: Catalog, options?: RankOptions): RankedItem[];
  feedback(itemId: string, kind: 'like' | 'dismiss',
           options?: { time?: number | Date; text?: string; catalog?: SearchableCatalog; now?: number | Date }): Promise<void>;
  forgetFeedback(itemId: string): boolean;
  feedbackItems(): { id: string; kind: 'like' | 'dismiss' }[];
  clear(): void;
  toBytes(): Uint8Array;
  load(bytes: Uint8Array | ArrayBuffer): void;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** The `code` of every Error localrec throws, from the core or the JS layer (README, "API"). */
export type LocalrecErrorCode = 'InvalidArgument' | 'InvalidUtf8' | 'CorruptData' | 'Unsupported' |
  'ModelMismatch' | 'NotFound' | 'OutOfMemory' | 'Cancelled' | 'Disposed' | 'ModelError' | 'Internal' |
  'WorkerFailed' | 'Terminated' | 'UnreadableText' | 'StorageFailed';
