// InterestProfile: the user's interests, built on the device from the user's own posts, kept in
// the wasm core (src/core/profile). This layer validates arguments, runs the model (one call per
// batch embeds the posts together with their keyword candidates that are not cached yet), and
// turns core results into plain JS objects.

import { getCore } from './core.js';
import { ensureChinese } from './chinese.js';
import { measurePhase } from './timing.js';

/** The ranking strategy `rank()` uses unless told otherwise (the eval's winner, docs/profile.md). */
export const DEFAULT_STRATEGY = 'hybrid';
export const STRATEGIES = Object.freeze(['keywords', 'centroid', 'interests', 'lexical', 'hybrid']);

const MIN_CANDIDATES = 400;  // per part (dense, lexical) of the catalogue's fused search
const NUMBER_OPTIONS = ['halfLifeDays', 'keywordDiversity', 'joinThreshold', 'mergeThreshold', 'maxUnknownShare'];
/** A post more than this share of whose tokens the model does not know is refused (unreadable). */
export const DEFAULT_MAX_UNKNOWN_SHARE = 0.5;
const INTEGER_OPTIONS = ['maxCandidates', 'maxPhraseWords', 'keywordsPerPost', 'maxInterests',
  'maxLabelTerms', 'maxPosts', 'maxCachedEmbeddings', 'maxKeywords'];

// Defaults of rank() beyond the catalogue's own, chosen on half of the Debian Blend users and
// confirmed on the other half (docs/profile.md, `npm run eval`).
const RANK_DEFAULTS = Object.freeze({
  maxTerms: 64, maxInterests: 16, interestWeightPower: 0, termSource: 'words', lexicalWeight: 0.7,
});

function checkModel(model) {
  if (model === null || typeof model !== 'object') throw new TypeError('localrec: InterestProfile needs a model (from loadModel())');
  if (!Number.isInteger(model.dims) || model.dims < 1) throw new TypeError('localrec: model.dims must be a positive integer');
  if (typeof model.fingerprint !== 'string' || model.fingerprint.length === 0) {
    throw new TypeError('localrec: model.fingerprint must be a non-empty string');
  }
  if (typeof model.embed !== 'function') throw new TypeError('localrec: model.embed must be a function');
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('localrec: profile options must be an object');
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (NUMBER_OPTIONS.includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`localrec: ${key} must be a finite number`);
    } else if (INTEGER_OPTIONS.includes(key)) {
      if (!Number.isInteger(value) || value < 0) throw new TypeError(`localrec: ${key} must be a whole number >= 0`);
    } else {
      throw new TypeError(`localrec: unknown profile option '${key}'`);
    }
    out[key] = value;
  }
  return out;
}

function toTime(value, what) {
  const t = value instanceof Date ? value.getTime() : value;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new TypeError(`localrec: ${what} must be a Date or a number of ms since 1970`);
  return t;
}

function toBytesView(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError('localrec: profile bytes must be a Uint8Array or an ArrayBuffer');
}

function checkVectors(vectors, count, dims) {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new Error(`localrec: model.embed returned ${vectors?.length} vectors for ${count} texts`);
  }
  const flat = new Float32Array(count * dims);
  vectors.forEach((v, i) => {
    if (!v || v.length !== dims) throw new Error(`localrec: model.embed returned a vector of ${v?.length} values, expected ${dims}`);
    flat.set(v, i * dims);
  });
  return flat;
}

export class InterestProfile {
  #core;
  #model;
  #queue = Promise.resolve();
  #maxUnknownShare = DEFAULT_MAX_UNKNOWN_SHARE;
  static #adopting = null;  // a loaded core profile fromBytes() hands to the constructor

  /**
   * @param {{ dims: number, fingerprint: string, embed: Function }} model  from loadModel()
   * @param {object} [options]  halfLifeDays (30), keywordsPerPost, keywordDiversity,
   *   joinThreshold, mergeThreshold, maxInterests, maxPosts, ... (docs/profile.md)
   */
  constructor(model, options = {}) {
    checkModel(model);
    const opts = checkOptions(options);
    // Thresholds on the model's own cosine scale unless given (Model.calibration, docs/models.md).
    for (const key of ['joinThreshold', 'mergeThreshold']) {
      const calibrated = model.calibration?.[key];
      if (opts[key] === undefined && typeof calibrated === 'number') opts[key] = calibrated;
    }
    this.#maxUnknownShare = opts.maxUnknownShare ?? DEFAULT_MAX_UNKNOWN_SHARE;
    if (!(this.#maxUnknownShare >= 0 && this.#maxUnknownShare <= 1)) throw new RangeError('localrec: maxUnknownShare must be between 0 and 1');
    delete opts.maxUnknownShare;
    this.#model = model;
    this.#core = InterestProfile.#adopting ?? getCore().InterestProfileCore.create(model.dims, model.fingerprint, opts);
    InterestProfile.#adopting = null;
  }

  /** Restores a profile saved with toBytes(). Refuses bytes from another model or corrupt ones. */
  static fromBytes(model, bytes) {
    checkModel(model);
    const started = performance.now();
    InterestProfile.#adopting = getCore().InterestProfileCore.fromBytes(toBytesView(bytes), model.fingerprint, model.dims);
    try {
      const profile = new InterestProfile(model);
      measurePhase('profile-restore', started, { bytes: toBytesView(bytes).byteLength });
      return profile;
    } finally {
      InterestProfile.#adopting?.delete();  // only left when the constructor threw
      InterestProfile.#adopting = null;
    }
  }

  #h() {
    if (!this.#core) throw new Error('localrec: this profile has been disposed');
    return this.#core;
  }

  // Mutations that await the model run one after another, so a batch's keyword candidates stay
  // cached between asking which are missing and handing their embeddings over.
  #serial(fn) {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Posts kept individually. */
  get size() { return this.#h().postCount(); }
  /** Posts folded into the aggregates by the memory cap (maxPosts). */
  get foldedPosts() { return this.#h().foldedPostCount(); }
  get modelFingerprint() { return this.#h().fingerprint(); }
  get dims() { return this.#h().dims(); }
  /** The options in effect (defaults filled in). */
  get options() { return this.#h().options(); }
  /** True when a post with this id is stored. */
  has(id) { return typeof id === 'string' && this.#h().hasPost(id); }

  /**
   * Adds posts (an existing id is replaced). Each post is embedded once, in batches that also
   * embed its keyword candidates not seen before. All-or-nothing per batch of `batchSize`.
   * @param {{ id: string, text: string, time?: number | Date }[]} posts
   * @param {{ batchSize?: number }} [options]
   * @returns {Promise<number>} the number of posts stored afterwards
   */
  addPosts(posts, { batchSize = 64 } = {}) {
    if (!Array.isArray(posts)) return Promise.reject(new TypeError('localrec: addPosts takes an array of { id, text, time }'));
    if (!Number.isInteger(batchSize) || batchSize < 1) return Promise.reject(new RangeError('localrec: batchSize must be a positive integer'));
    let checked;
    try {
      const now = Date.now();
      checked = posts.map((p, i) => {
        if (p === null || typeof p !== 'object') throw new TypeError(`localrec: post ${i} must be an object { id, text, time }`);
        if (typeof p.id !== 'string' || p.id.length === 0) throw new TypeError(`localrec: post ${i} needs a non-empty string id`);
        if (/[\u0000-\u001f\u007f]/.test(p.id)) throw new TypeError(`localrec: post ${i} id contains a control character`);
        if (typeof p.text !== 'string') throw new TypeError(`localrec: post ${i} (${p.id}) needs a string text`);
        if (!p.text.isWellFormed()) throw new TypeError(`localrec: post ${i} (${p.id}) contains a lone UTF-16 surrogate`);
        if (p.text.trim().length === 0) throw new RangeError(`localrec: post ${i} (${p.id}) is empty`);
        return { id: p.id, text: p.text, time: p.time === undefined ? now : toTime(p.time, `post ${i} time`) };
      });
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#serial(async () => {
      const dims = this.#model.dims;
      // Chinese posts need the analyser's dictionary: fetched here, once, and only if one has Han.
      await ensureChinese(checked.map((p) => p.text));
      for (let s = 0; s < checked.length; s += batchSize) {
        const batch = checked.slice(s, s + batchSize);
        const texts = batch.map((p) => p.text);
        const missing = this.#h().missingCandidates(texts);
        const vectors = await this.#model.embed([...texts, ...missing.map((c) => c.text)]);
        this.#checkReadable(batch, s, vectors.unknownShares);
        const flat = checkVectors(vectors, texts.length + missing.length, dims);
        const ingest = (keys, candidateTexts, candidateVectors) => this.#h().addPosts(
          batch.map((p) => p.id), texts, batch.map((p) => p.time),
          flat.subarray(0, texts.length * dims), keys, candidateTexts, candidateVectors);
        try {
          ingest(missing.map((c) => c.key), missing.map((c) => c.text), flat.subarray(texts.length * dims));
        } catch (e) {
          // clear() or load() while the model ran empties the candidate cache: embed what is
          // missing now and try once more (the core changed nothing on the failed attempt).
          const again = e?.code === 'InvalidArgument' && this.#core ? this.#h().missingCandidates(texts) : [];
          if (again.length === 0) throw e;
          const more = checkVectors(await this.#model.embed(again.map((c) => c.text)), again.length, dims);
          ingest(again.map((c) => c.key), again.map((c) => c.text), more);
        }
      }
      return this.#h().postCount();
    });
  }

  // A post the model cannot read (most of its tokens unknown to the vocabulary) would be stored
  // as a vector that means nothing: refuse the batch, naming the post, the model and the share.
  // Models that do not report unknownShares (custom ones) are not checked.
  #checkReadable(batch, offset, shares) {
    if (!shares) return;
    for (let i = 0; i < batch.length; ++i) {
      if (shares[i] > this.#maxUnknownShare) {
        const model = this.#model.name ?? this.#model.fingerprint.slice(0, 12);
        const pct = (x) => `${Math.round(x * 100)} %`;
        const e = new Error(`localrec: post ${offset + i} (${batch[i].id}) is unreadable for the model ` +
          `'${model}': ${pct(shares[i])} of its tokens are unknown to its vocabulary (the limit is ` +
          `${pct(this.#maxUnknownShare)}, option maxUnknownShare). Nothing of this batch was stored; ` +
          'use a model that reads the language of the post.');
        e.code = 'UnreadableText';
        e.postId = batch[i].id;
        e.model = model;
        e.unknownShare = shares[i];
        throw e;
      }
    }
  }

  /** Removes a post; false when there is none with this id (or it was folded by maxPosts). */
  removePost(id) {
    if (typeof id !== 'string') throw new TypeError('localrec: removePost takes a post id (string)');
    return this.#h().removePost(id);
  }

  /**
   * The user's interests, heaviest first.
   * @returns {{ id: number, weight: number, importance: number, keywords: { text: string, weight: number }[],
   *   vector: Float32Array, postIds: string[], representative: string, posts: number,
   *   foldedPosts: number, lastActive: number }[]}
   */
  interests({ labelTerms = 5, now = Date.now() } = {}) {
    if (!Number.isInteger(labelTerms) || labelTerms < 0) throw new RangeError('localrec: labelTerms must be a whole number >= 0');
    const interests = this.#h().interests(labelTerms, toTime(now, 'now'), true);
    for (const it of interests) it.postIds = it.postIds ? it.postIds.split('\n') : [];
    return interests;
  }

  /** The paper's keywords with their weights w_i and decayed frequencies f_i, heaviest first. */
  keywords({ limit = 20, now = Date.now() } = {}) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('localrec: limit must be a whole number >= 0');
    return this.#h().keywords(limit, toTime(now, 'now'));
  }

  /**
   * One vector for the whole user: 'keywords' is the paper's U = sum_i w_i k_i, 'centroid' the
   * recency-weighted mean of the post embeddings. Unit length; all zeros for an empty profile.
   */
  userVector(strategy = 'keywords') {
    if (strategy === 'keywords') return this.#h().keywordVector();
    if (strategy === 'centroid') return this.#h().centroidVector();
    throw new TypeError(`localrec: userVector takes 'keywords' or 'centroid' (got ${JSON.stringify(strategy)}); interests() has one vector per interest`);
  }

  /**
   * The query `rank()` sends to the catalogue for a strategy (vectors, weights, terms, fusion).
   * @internal Exposed for the evaluation and for callers that search themselves.
   */
  query(strategy = DEFAULT_STRATEGY, options = {}) {
    if (!STRATEGIES.includes(strategy)) throw new TypeError(`localrec: unknown strategy ${JSON.stringify(strategy)} (one of ${STRATEGIES.join(', ')})`);
    const o = { ...RANK_DEFAULTS };
    for (const key of ['maxTerms', 'maxInterests']) {
      if (options[key] !== undefined) {
        if (!Number.isInteger(options[key]) || options[key] < 0) throw new RangeError(`localrec: ${key} must be a whole number >= 0`);
        o[key] = options[key];
      }
    }
    for (const key of ['interestWeightPower', 'lexicalWeight']) {
      if (options[key] !== undefined) {
        if (typeof options[key] !== 'number' || !Number.isFinite(options[key])) throw new TypeError(`localrec: ${key} must be a finite number`);
        o[key] = options[key];
      }
    }
    if (options.termSource !== undefined) {
      if (!['keywords', 'words', 'both'].includes(options.termSource)) throw new TypeError("localrec: termSource is 'keywords', 'words' or 'both'");
      o.termSource = options.termSource;
    }
    return this.#h().query(strategy, o);
  }

  /**
   * Ranks a catalogue (Catalog from 'localrec', built with the same model) for this user. Items
   * the user liked or dismissed are left out. On a catalogue without a lexical part (built
   * without texts) the default 'hybrid' strategy uses its dense half only. Each result says why: the interest whose vector
   * matched, the user's keywords found in the item, and the dense and lexical scores.
   * @returns {{ id: string, score: number, reasons: { interest: { id: number, keywords: string[] } | null,
   *   keywords: string[], dense: number, lexical: number }, metadata: object | null }[]}
   */
  rank(catalog, options = {}) {
    if (catalog === null || typeof catalog !== 'object' || typeof catalog.search !== 'function') {
      throw new TypeError('localrec: rank() needs a Catalog');
    }
    if (options === null || typeof options !== 'object') throw new TypeError('localrec: rank options must be an object');
    const { k = 10, strategy = DEFAULT_STRATEGY, diversity = 0, exclude = [], requireTags, excludeTags,
      fusion, normalization, bm25, candidates, explain = true } = options;
    if (!Array.isArray(exclude) || exclude.some((e) => typeof e !== 'string')) throw new TypeError('localrec: exclude must be an array of item ids');
    const q = this.query(strategy, options);
    if (catalog.hasTerms === false && strategy === 'hybrid') {
      // A catalogue built without item texts has no lexical part: the hybrid is its dense half.
      q.terms = [];
      q.lexicalWeight = 0;
    }
    if (q.vectors.length === 0 && q.terms.length === 0) return [];  // nothing known about the user yet
    const seen = this.#h().feedbackItems().map((f) => f.id);
    const results = catalog.search(q.vectors, {
      k, diversity, requireTags, excludeTags,
      weights: q.weights,
      combine: q.combine,
      exclude: [...exclude, ...seen],
      terms: q.terms,
      lexicalWeight: q.lexicalWeight,
      fusion: fusion ?? q.fusion,
      normalization,
      bm25,
      // A candidate pool that does not shrink with k, so the fused scores' normalisation (and
      // thus the top of the ranking) is the same whether 10 or 100 items are asked for.
      candidates: candidates ?? Math.max(4 * k, MIN_CANDIDATES),
      modelFingerprint: this.#model.fingerprint,
      metadata: explain,
    });
    const labels = new Map();
    if (explain && q.interestIds.some((id) => id !== 0)) {
      for (const interest of this.#h().interests(3, Date.now(), false)) {
        labels.set(interest.id, interest.keywords.map((kw) => kw.text));
      }
    }
    return results.map((r) => {
      const interestId = r.query === null || r.query === undefined ? 0 : q.interestIds[r.query] ?? 0;
      const text = explain ? [r.metadata?.title, r.metadata?.text].filter((s) => typeof s === 'string').join('\n') : '';
      return {
        id: r.id,
        score: r.score,
        reasons: {
          interest: interestId ? { id: interestId, keywords: labels.get(interestId) ?? [] } : null,
          keywords: text ? this.#h().matchKeywords(text, 3).map((kw) => kw.text) : [],
          dense: r.dense,
          lexical: r.lexical,
        },
        metadata: r.metadata ?? null,
      };
    });
  }

  /**
   * Feedback on a recommended item. Both kinds leave the item out of later rankings; 'like'
   * with the item's text (given, or from `catalog`'s metadata) also adds it as a post
   * (id `like:<itemId>`), so the profile moves towards it.
   * @param {string} itemId
   * @param {'like' | 'dismiss'} kind
   * @param {{ time?: number | Date, text?: string, catalog?: object }} [options]
   */
  async feedback(itemId, kind, { time = Date.now(), text, catalog } = {}) {
    if (typeof itemId !== 'string' || itemId.length === 0) throw new TypeError('localrec: feedback needs an item id');
    if (kind !== 'like' && kind !== 'dismiss') throw new TypeError("localrec: feedback kind is 'like' or 'dismiss'");
    const t = toTime(time, 'feedback time');
    let content = text;
    if (kind === 'like' && content === undefined && catalog) {
      const meta = catalog.metadata(itemId);
      content = [meta?.title, meta?.text].filter((s) => typeof s === 'string').join('\n') || undefined;
    }
    if (content !== undefined && typeof content !== 'string') throw new TypeError('localrec: feedback text must be a string');
    this.#h().feedback(itemId, kind, t);
    if (kind === 'like' && content && content.trim()) {
      await this.addPosts([{ id: `like:${itemId}`, text: content, time: t }]);
    } else if (kind === 'dismiss') {
      this.#h().removePost(`like:${itemId}`);  // a liked item now dismissed stops pulling the profile
    }
  }

  /** Forgets the feedback on an item (and the post a like added). */
  forgetFeedback(itemId) {
    if (typeof itemId !== 'string') throw new TypeError('localrec: forgetFeedback takes an item id');
    this.#h().removePost(`like:${itemId}`);
    return this.#h().forgetFeedback(itemId);
  }

  /** Items with feedback: [{ id, kind }]. */
  feedbackItems() { return this.#h().feedbackItems(); }

  /** Forgets all posts, keywords, interests and feedback (options and model stay). */
  clear() { this.#h().clear(); }

  /** The profile as bytes (versioned, checksummed; docs/profile.md), e.g. for IndexedDB. */
  toBytes() { return this.#h().toBytes(); }

  /** Replaces this profile's content with saved bytes; on any error nothing changes. */
  load(bytes) { this.#h().load(toBytesView(bytes)); }

  /** Frees the wasm memory. Further calls throw. Idempotent. */
  dispose() {
    this.#core?.delete();
    this.#core = null;
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() { this.dispose(); }
}
