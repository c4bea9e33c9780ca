// Type declarations for the localrec npm package.

export interface InitOptions {
  /** Where to fetch localrec_core.wasm from (default: next to the package's dist/ module). */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves, e.g. when bundling or in tests. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the wasm core once; later calls return the same promise. */
export function init(options?: InitOptions): Promise<unknown>;

/** The library version (matches package.json). */
export function version(): string;

// ---- Interest profile (docs/profile.md) --------------------------------------------------------

/** What InterestProfile needs of a model (what loadModel() returns). */
export interface EmbeddingModel {
  readonly dims: number;
  readonly fingerprint: string;
  embed(texts: string[], options?: { batchSize?: number }): Promise<Float32Array[]>;
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
  /** Cosine of a post to an interest's centroid to join it (default 0.5). */
  joinThreshold?: number;
  /** Cosine between two interests' centroids at which they merge (default 0.8). */
  mergeThreshold?: number;
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

export interface RankOptions {
  k?: number;
  /** Default: DEFAULT_STRATEGY. */
  strategy?: RankStrategy;
  /** MMR diversity of the results, 0-1. */
  diversity?: number;
  exclude?: string[];
  requireTags?: string[];
  excludeTags?: string[];
  /** Fusion weight of the lexical (BM25 keyword) part for 'hybrid'. */
  lexicalWeight?: number;
  fusion?: 'weighted' | 'rrf';
  /** Weighted keyword query size. */
  maxTerms?: number;
  /** Interests used as query vectors (heaviest first). */
  maxInterests?: number;
  /** Per-interest query weight = (weight / heaviest)^power (0: all equal). */
  interestWeightPower?: number;
  /** Query terms from the KeyBERT keywords, all words of the posts, or both (half each). */
  termSource?: 'keywords' | 'words' | 'both';
  /** Compute reasons (default true). */
  explain?: boolean;
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
  metadata: Record<string, unknown> | null;
}

export interface ProfileQuery {
  vectors: Float32Array[];
  weights: number[];
  interestIds: number[];
  terms: { term: string; weight: number }[];
  combine: 'max' | 'sum';
  lexicalWeight: number;
  fusion: 'weighted' | 'rrf';
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
  addPosts(posts: Post[], options?: { batchSize?: number }): Promise<number>;
  removePost(id: string): boolean;
  interests(options?: { labelTerms?: number; now?: number | Date }): Interest[];
  keywords(options?: { limit?: number; now?: number | Date }): Keyword[];
  userVector(strategy?: 'keywords' | 'centroid'): Float32Array;
  query(strategy?: RankStrategy, options?: RankOptions): ProfileQuery;
  rank(catalog: SearchableCatalog, options?: RankOptions): RankedItem[];
  feedback(itemId: string, kind: 'like' | 'dismiss',
           options?: { time?: number | Date; text?: string; catalog?: SearchableCatalog }): Promise<void>;
  forgetFeedback(itemId: string): boolean;
  feedbackItems(): { id: string; kind: 'like' | 'dismiss' }[];
  clear(): void;
  toBytes(): Uint8Array;
  load(bytes: Uint8Array | ArrayBuffer): void;
  dispose(): void;
  [Symbol.dispose](): void;
}
