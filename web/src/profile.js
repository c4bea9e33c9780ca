// InterestProfile: the user's interests, built on the device from the user's own posts, kept in
// the wasm core (src/core/profile). This layer validates arguments, has the model embed each
// batch the core prepares (the posts together with their keyword candidates that are not cached
// yet), and turns core results into plain JS objects.

import { coreEnum, coreOptions, getCore } from './core.js';
import { ensureChinese } from './chinese.js';
import { measurePhase } from './timing.js';
import { checkWellFormed, codedError } from './errors.js';
import { catalogHandle, metadataFrom } from './catalog.js';
import { adopt, release } from './lifetime.js';
import { encodeInCore } from './model.js';

/** The ranking strategy `rank()` uses unless told otherwise (the eval's winner, docs/profile.md). */
export const DEFAULT_STRATEGY = 'hybrid';
export const STRATEGIES = Object.freeze(['keywords', 'centroid', 'interests', 'lexical', 'hybrid']);

/** A post more than this share of whose tokens the model does not know is refused (unreadable). */
export const DEFAULT_MAX_UNKNOWN_SHARE = 0.5;

function checkModel(model) {
  if (model === null || typeof model !== 'object') throw codedError(TypeError, 'localrec: InterestProfile needs a model (from loadModel())');
  if (!Number.isInteger(model.dims) || model.dims < 1) throw codedError(TypeError, 'localrec: model.dims must be a positive integer');
  if (typeof model.fingerprint !== 'string' || model.fingerprint.length === 0) {
    throw codedError(TypeError, 'localrec: model.fingerprint must be a non-empty string');
  }
  if (typeof model.embed !== 'function') throw codedError(TypeError, 'localrec: model.embed must be a function');
}

// A sha256 fingerprint in hex compares case-insensitively, as the catalogue's does: upper-case
// digits are lowered before they reach the core (and saved bytes).
function fingerprintOf(model) {
  return /^[0-9a-fA-F]{64}$/.test(model.fingerprint) ? model.fingerprint.toLowerCase() : model.fingerprint;
}

// The profile's options are the core's (ProfileOptions, by the names of
// src/core/profile/profile_option_fields.h) plus maxUnknownShare, which this layer applies.
function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw codedError(TypeError, 'localrec: profile options must be an object');
  const { profile, profileWholeNumbers } = coreOptions();
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (profileWholeNumbers.includes(key)) {
      if (!Number.isInteger(value) || value < 0) throw codedError(TypeError, `localrec: ${key} must be a whole number >= 0`);
    } else if (key in profile || key === 'maxUnknownShare') {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw codedError(TypeError, `localrec: ${key} must be a finite number`);
    } else {
      throw codedError(TypeError, `localrec: unknown profile option '${key}'`);
    }
    out[key] = value;
  }
  return out;
}

// rank()'s and query()'s options: types are checked here, the choices become the core's enums,
// and only what the caller gave is passed on; the defaults, the ranges of the counts and of the
// values are the core's (RecommendOptions in src/core/recommend/recommend.h, QueryOptions).
const whole = (v, key) => {
  if (!Number.isInteger(v)) throw codedError(TypeError, `localrec: ${key} must be a whole number`);
  return v;
};
const finite = (v, key) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw codedError(TypeError, `localrec: ${key} must be a finite number`);
  return v;
};
const choice = (kind) => (v, key) => coreEnum(kind, v, key);
const strings = (v, key) => {
  if (v === null || typeof v !== 'object' || typeof v[Symbol.iterator] !== 'function') {
    throw codedError(TypeError, `localrec: ${key} must be an array of strings`);
  }
  const out = [...v];
  for (const s of out) {
    if (typeof s !== 'string') throw codedError(TypeError, `localrec: ${key} must be an array of strings`);
    checkWellFormed(s, key);
  }
  return out;
};
const RANK_OPTIONS = {
  k: whole, strategy: choice('strategy'), diversity: finite, exclude: strings, requireTags: strings,
  excludeTags: strings, lexicalWeight: finite, fusion: choice('fusion'), normalization: choice('normalization'),
  maxTerms: whole, maxInterests: whole, interestWeightPower: finite, termSource: choice('termSource'),
  candidates: whole,
  bm25: (v, key) => {
    if (v === null || typeof v !== 'object') throw codedError(TypeError, `localrec: ${key} must be { k1?, b? }`);
    const out = {};
    if (v.k1 !== undefined) out.k1 = finite(v.k1, 'bm25.k1');
    if (v.b !== undefined) out.b = finite(v.b, 'bm25.b');
    return out;
  },
  explain: (v, key) => {
    if (typeof v !== 'boolean') throw codedError(TypeError, `localrec: ${key} must be true or false`);
    return v;
  },
};

function coreRankOptions(options, keys = Object.keys(RANK_OPTIONS)) {
  if (options === null || typeof options !== 'object') throw codedError(TypeError, 'localrec: rank options must be an object');
  const out = {};
  for (const key of keys) {
    if (options[key] !== undefined) out[key] = RANK_OPTIONS[key](options[key], key);
  }
  return out;
}

// Errors raised here carry a `code` like the core's (README, "Errors").
function fail(Type, code, message) {
  const error = new Type(`localrec: ${message}`);
  error.code = code;
  return error;
}
const invalid = (message, Type = TypeError) => fail(Type, 'InvalidArgument', message);

/** Longest post text, in UTF-16 code units (about 10,000 words; the model reads far less). */
export const MAX_POST_TEXT_LENGTH = 65536;
/** Longest post or item id, in UTF-8 bytes (the core's limit). */
export const MAX_ID_BYTES = 256;
const utf8 = new TextEncoder();

function checkId(id, what) {
  if (typeof id !== 'string' || id.length === 0) throw invalid(`${what} must be a non-empty string`);
  if (!id.isWellFormed()) throw fail(TypeError, 'InvalidUtf8', `${what} contains a lone UTF-16 surrogate`);
  if (/[\u0000-\u001f\u007f]/.test(id)) throw invalid(`${what} contains a control character`);
  if (id.length > MAX_ID_BYTES || utf8.encode(id).length > MAX_ID_BYTES) {
    throw invalid(`${what} is longer than ${MAX_ID_BYTES} bytes of UTF-8`, RangeError);
  }
  return id;
}

function toTime(value, what) {
  const t = value instanceof Date ? value.getTime() : value;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw invalid(`${what} must be a Date or a number of ms since 1970`);
  return t;
}

function cancelled() {
  return fail(Error, 'Cancelled', 'addPosts was cancelled by clear() or load() called after it');
}

function toBytesView(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw codedError(TypeError, 'localrec: profile bytes must be a Uint8Array or an ArrayBuffer');
}

function checkVectors(vectors, count, dims) {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw codedError(Error, `localrec: model.embed returned ${vectors?.length} vectors for ${count} texts`, 'ModelError');
  }
  const flat = new Float32Array(count * dims);
  vectors.forEach((v, i) => {
    if (!v || v.length !== dims) throw codedError(Error, `localrec: model.embed returned a vector of ${v?.length} values, expected ${dims}`, 'ModelError');
    flat.set(v, i * dims);
  });
  return flat;
}

export class InterestProfile {
  #core;
  #model;
  #queue = Promise.resolve();
  // One mutation order per profile (call order): addPosts runs batches one after another;
  // clear() and load() apply at once and cancel every addPosts called before them (#epoch);
  // removePost() applies at once and also drops its id from addPosts called before it
  // (#removals), so a post being embedded when the user says "forget" never comes back.
  #epoch = 0;
  #seq = 0;
  #pending = 0;
  #removals = [];  // { seq, id } while addPosts calls are pending
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
    if (!(this.#maxUnknownShare >= 0 && this.#maxUnknownShare <= 1)) throw codedError(RangeError, 'localrec: maxUnknownShare must be between 0 and 1');
    delete opts.maxUnknownShare;
    this.#model = model;
    this.#core = adopt(this, InterestProfile.#adopting ?? getCore().InterestProfileCore.create(model.dims, fingerprintOf(model), opts));
    InterestProfile.#adopting = null;
  }

  /** Restores a profile saved with toBytes(). Refuses bytes from another model or corrupt ones. */
  static fromBytes(model, bytes) {
    checkModel(model);
    const started = performance.now();
    InterestProfile.#adopting = getCore().InterestProfileCore.fromBytes(toBytesView(bytes), fingerprintOf(model), model.dims);
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
    if (!this.#core) throw fail(Error, 'Disposed', 'this profile has been disposed');
    return this.#core;
  }

  // Mutations that await the model run one after another, in call order (a batch prepared while
  // another is on its way would embed the candidates that one is about to cache).
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
  has(id) { return typeof id === 'string' && id.isWellFormed() && this.#h().hasPost(id); }

  /**
   * Adds posts (an existing id is replaced). Each post is embedded once, in batches that also
   * embed its keyword candidates not seen before. All-or-nothing per batch of `batchSize`.
   * A post may be dated at most a day after `now` (default Date.now()); later ones are refused
   * (InvalidArgument), so one mistyped year cannot outweigh every other post.
   * Mutations apply in call order: clear() or load() called while this is pending cancels it
   * (the promise rejects with code 'Cancelled' and none of its posts is stored afterwards);
   * removePost(id) called while it is pending drops that id from it.
   * @param {{ id: string, text: string, time?: number | Date }[]} posts
   * @param {{ batchSize?: number, now?: number | Date }} [options]
   * @returns {Promise<number>} the number of posts stored afterwards
   */
  addPosts(posts, { batchSize = 64, now } = {}) {
    let checked;
    let nowMs;
    try {
      if (!Array.isArray(posts)) throw invalid('addPosts takes an array of { id, text, time }');
      if (!Number.isInteger(batchSize) || batchSize < 1) throw invalid('batchSize must be a positive integer', RangeError);
      nowMs = now === undefined ? Date.now() : toTime(now, 'now');
      checked = posts.map((p, i) => {
        if (p === null || typeof p !== 'object') throw invalid(`post ${i} must be an object { id, text, time }`);
        checkId(p.id, `post ${i} id`);
        if (typeof p.text !== 'string') throw invalid(`post ${i} (${p.id}) needs a string text`);
        if (!p.text.isWellFormed()) throw fail(TypeError, 'InvalidUtf8', `post ${i} (${p.id}) contains a lone UTF-16 surrogate`);
        if (p.text.length > MAX_POST_TEXT_LENGTH) {
          throw invalid(`post ${i} (${p.id}) has ${p.text.length} characters, more than ${MAX_POST_TEXT_LENGTH}`, RangeError);
        }
        // Invisible format characters (zero-width space, joiners, BOM) count as empty too.
        if (p.text.replace(/[\s\p{Cf}]/gu, '').length === 0) throw invalid(`post ${i} (${p.id}) is empty`, RangeError);
        return { id: p.id, text: p.text, time: p.time === undefined ? nowMs : toTime(p.time, `post ${i} time`) };
      });
    } catch (e) {
      return Promise.reject(e);
    }
    const epoch = this.#epoch;
    const seq = ++this.#seq;
    this.#pending++;
    const done = () => {
      if (--this.#pending === 0) this.#removals = [];
    };
    const run = this.#serial(async () => {
      // Chinese posts need the analyser's dictionary: fetched here, once, and only if one has Han.
      await ensureChinese(checked.map((p) => p.text));
      for (let s = 0; s < checked.length; s += batchSize) {
        if (this.#epoch !== epoch) throw cancelled();
        const posts = checked.slice(s, s + batchSize);
        // The core checks the posts and extracts their keyword candidates; the batch is what the
        // model embeds (the posts, then the candidates not cached yet) and what the core commits.
        const batch = this.#h().prepareAdd(posts.map((p) => p.id), posts.map((p) => p.text), posts.map((p) => p.time), nowMs);
        try {
          await this.#embedBatch(batch, posts, s);
          if (this.#epoch !== epoch) throw cancelled();
          // Ids removed after this call was made stay removed.
          const dropped = new Set(this.#removals.filter((r) => r.seq > seq).map((r) => r.id));
          this.#h().commitAdd(batch, posts.filter((p) => dropped.has(p.id)).map((p) => p.id));
        } finally {
          batch.delete();
        }
      }
      return this.#h().postCount();
    });
    run.then(done, done);
    return run;
  }

  // Embeds a core batch of posts. A model from loadModel()/openModel() does it inside the core
  // (its tokenizer, ONNX Runtime's tensors in and out: the texts and vectors stay in wasm); any
  // other model (dims, fingerprint, embed()) gets the batch's texts, and its vectors go back in.
  async #embedBatch(batch, posts, offset) {
    const model = this.#model;
    if (typeof model[encodeInCore] === 'function') {
      await model[encodeInCore](batch);
      this.#checkReadable(posts, offset, batch.unknownShares());
      return;
    }
    const texts = [...posts.map((p) => p.text), ...batch.candidateTexts()];
    const vectors = await model.embed(texts);
    this.#checkReadable(posts, offset, vectors.unknownShares);
    batch.setEmbeddings(checkVectors(vectors, texts.length, model.dims));
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

  /**
   * Removes a post; false when there is none with this id (or it was folded by maxPosts). An
   * addPosts() still pending from before this call will not store this id either.
   */
  removePost(id) {
    if (typeof id !== 'string') throw invalid('removePost takes a post id (string)');
    if (!id.isWellFormed()) throw fail(TypeError, 'InvalidUtf8', 'post id contains a lone UTF-16 surrogate');
    const h = this.#h();
    if (this.#pending > 0) this.#removals.push({ seq: ++this.#seq, id });
    return h.removePost(id);
  }

  /**
   * The user's interests, heaviest first.
   * @returns {{ id: number, weight: number, importance: number, keywords: { text: string, weight: number }[],
   *   vector: Float32Array, postIds: string[], representative: string, posts: number,
   *   foldedPosts: number, lastActive: number }[]}
   */
  interests({ labelTerms = 5, now = Date.now() } = {}) {
    if (!Number.isInteger(labelTerms) || labelTerms < 0) throw codedError(RangeError, 'localrec: labelTerms must be a whole number >= 0');
    const interests = this.#h().interests(labelTerms, toTime(now, 'now'), true);
    for (const it of interests) it.postIds = it.postIds ? it.postIds.split('\n') : [];
    return interests;
  }

  /** The paper's keywords with their weights w_i and decayed frequencies f_i, heaviest first. */
  keywords({ limit = 20, now = Date.now() } = {}) {
    if (!Number.isInteger(limit) || limit < 0) throw codedError(RangeError, 'localrec: limit must be a whole number >= 0');
    return this.#h().keywords(limit, toTime(now, 'now'));
  }

  /**
   * One vector for the whole user: 'keywords' is the paper's U = sum_i w_i k_i, 'centroid' the
   * recency-weighted mean of the post embeddings. Unit length; all zeros for an empty profile.
   */
  userVector(strategy = 'keywords') {
    if (strategy === 'keywords') return this.#h().keywordVector();
    if (strategy === 'centroid') return this.#h().centroidVector();
    throw codedError(TypeError, `localrec: userVector takes 'keywords' or 'centroid' (got ${JSON.stringify(strategy)}); interests() has one vector per interest`);
  }

  /**
   * The query `rank()` sends to the catalogue for a strategy (vectors, weights, terms, lexical
   * weight; several vectors combine by their weighted maximum, the fusion is rank()'s).
   * @internal Exposed for the evaluation and for callers that search themselves.
   */
  query(strategy, options = {}) {
    const o = coreRankOptions(options, ['maxTerms', 'maxInterests', 'interestWeightPower', 'termSource', 'lexicalWeight']);
    if (strategy !== undefined) o.strategy = coreEnum('strategy', strategy);
    return this.#h().query(o);
  }

  /**
   * Ranks a catalogue (Catalog from 'localrec', built with the same model) for this user, in one
   * call into the core (src/core/recommend). Items the user liked or dismissed are left out. On
   * a catalogue without a lexical part (built without texts) the default 'hybrid' strategy uses
   * its dense half only. Each result says why: the interest whose vector matched, the user's
   * keywords found in the item, and the dense and lexical scores.
   * @returns {{ id: string, score: number, reasons: { interest: { id: number, keywords: string[] } | null,
   *   keywords: string[], dense: number, lexical: number }, metadata: object | null }[]}
   */
  rank(catalog, options = {}) {
    const handle = catalogHandle(catalog);
    if (!handle) throw codedError(TypeError, 'localrec: rank() needs a Catalog (Catalog.fromBytes or Catalog.fromVectors)');
    const r = this.#h().rank(handle, coreRankOptions(options));
    const explain = options.explain !== false;
    return r.id.map((id, j) => ({
      id,
      score: r.score[j],
      reasons: {
        interest: r.interest[j] ? { id: r.interest[j], keywords: r.interestKeywords[j] } : null,
        keywords: r.keywords[j],
        dense: r.dense[j],
        lexical: r.lexical[j],
      },
      metadata: explain ? metadataFrom(r.metadataJson[j], r.tags[j]) : null,
    }));
  }

  /**
   * Feedback on a recommended item. Both kinds leave the item out of later rankings; 'like'
   * with the item's text (given, or from `catalog`'s metadata) also adds it as a post
   * (id `like:<itemId>`), so the profile moves towards it.
   * @param {string} itemId
   * @param {'like' | 'dismiss'} kind
   * @param {{ time?: number | Date, text?: string, catalog?: object }} [options]
   */
  async feedback(itemId, kind, { time, text, catalog, now } = {}) {
    checkId(itemId, 'feedback item id');
    if (kind !== 'like' && kind !== 'dismiss') throw invalid("feedback kind is 'like' or 'dismiss'");
    const nowMs = now === undefined ? Date.now() : toTime(now, 'now');
    const t = time === undefined ? nowMs : toTime(time, 'feedback time');
    let content = text;
    if (kind === 'like' && content === undefined && catalog) {
      const meta = catalog.metadata(itemId);
      content = [meta?.title, meta?.text].filter((s) => typeof s === 'string').join('\n') || undefined;
    }
    if (content !== undefined && typeof content !== 'string') throw invalid('feedback text must be a string');
    const likePost = kind === 'like' && content && content.trim();
    if (likePost) {
      // Checked before anything is recorded: a like whose post would be refused records nothing.
      checkId(`like:${itemId}`, 'feedback item id');
      if (!content.isWellFormed()) throw fail(TypeError, 'InvalidUtf8', 'feedback text contains a lone UTF-16 surrogate');
      if (content.length > MAX_POST_TEXT_LENGTH) throw invalid(`feedback text is longer than ${MAX_POST_TEXT_LENGTH} characters`, RangeError);
    }
    this.#h().feedback(itemId, kind, t, nowMs);
    if (likePost) {
      try {
        await this.addPosts([{ id: `like:${itemId}`, text: content, time: t }], { now: nowMs });
      } catch (e) {
        // Not half-applied: without its post the like is not recorded either (unless clear()
        // or load() cancelled it, which replaced the feedback anyway).
        if (e?.code !== 'Cancelled' && this.#core) this.#h().forgetFeedback(itemId);
        throw e;
      }
    } else if (kind === 'dismiss') {
      this.removePost(`like:${itemId}`);  // a liked item now dismissed stops pulling the profile
    }
  }

  /** Forgets the feedback on an item (and the post a like added). */
  forgetFeedback(itemId) {
    if (typeof itemId !== 'string') throw invalid('forgetFeedback takes an item id');
    if (!itemId.isWellFormed()) throw fail(TypeError, 'InvalidUtf8', 'item id contains a lone UTF-16 surrogate');
    this.removePost(`like:${itemId}`);
    return this.#h().forgetFeedback(itemId);
  }

  /** Items with feedback: [{ id, kind }]. */
  feedbackItems() { return this.#h().feedbackItems(); }

  /**
   * Forgets all posts, keywords, interests and feedback (options and model stay). At once, and
   * for good: addPosts() calls still pending from before are cancelled ('Cancelled').
   */
  clear() {
    const h = this.#h();
    this.#epoch++;
    this.#removals = [];
    h.clear();
  }

  /** The profile as bytes (versioned, checksummed; docs/profile.md), e.g. for IndexedDB. */
  toBytes() { return this.#h().toBytes(); }

  /**
   * Replaces this profile's content with saved bytes; on any error nothing changes. Like clear(),
   * cancels addPosts() calls still pending from before.
   */
  load(bytes) {
    this.#h().load(toBytesView(bytes));
    this.#epoch++;
    this.#removals = [];
  }

  /** Frees the wasm memory. Further calls throw. Idempotent. */
  dispose() {
    release(this, this.#core);
    this.#core = null;
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() { this.dispose(); }
}
