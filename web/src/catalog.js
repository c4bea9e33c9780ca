// Catalog: an item catalogue (vectors, ids, metadata, tags, BM25 terms) held in wasm memory and
// ranked there (docs/catalog.md). Arguments are checked here, before anything reaches wasm;
// results are plain JS objects copied out of wasm memory.

import { coreEnum, coreOptions, getCore } from './core.js';
import { measurePhase } from './timing.js';
import { checkWellFormed, codedError } from './errors.js';
import { adopt, release } from './lifetime.js';

const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const HEX64 = /^[0-9a-fA-F]{64}$/;

function toUint8Array(bytes, what) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (typeof SharedArrayBuffer !== 'undefined' && bytes instanceof SharedArrayBuffer) return new Uint8Array(bytes);
  throw codedError(TypeError, `${what} must be a Uint8Array, an ArrayBuffer or a typed array view`);
}

function checkFingerprint(value, what) {
  if (typeof value !== 'string' || !HEX64.test(value)) {
    throw codedError(TypeError, `${what} must be the model's sha256 fingerprint (64 hex digits)`);
  }
  return value.toLowerCase();
}

function checkStrings(value, what) {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string' || typeof value[Symbol.iterator] !== 'function') {
    throw codedError(TypeError, `${what} must be an array of strings`);
  }
  const out = [...value];
  for (const s of out) {
    if (typeof s !== 'string') throw codedError(TypeError, `${what} must be an array of strings`);
    checkWellFormed(s, what);
  }
  return out;
}

function checkNumber(value, what, { min = -Infinity, max = Infinity, integer = false } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw codedError(TypeError, `${what} must be a finite ${integer ? 'integer' : 'number'}`);
  }
  if (value < min || value > max) throw codedError(RangeError, `${what} must be in [${min}, ${max}], got ${value}`);
  return value;
}

function checkChoice(value, what, choices) {
  if (!choices.includes(value)) {
    throw codedError(TypeError, `${what} must be one of ${choices.map((c) => `'${c}'`).join(', ')}`);
  }
  return value;
}

function isNumberArrayLike(v) {
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView);
  if (!Array.isArray(v)) return false;
  // A loop, not every(): every() skips the holes of a sparse array, which Embind then refuses.
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false;
  return true;
}

// Splits a metadata object into the JSON of everything but `tags`, and the tags.
function splitMetadata(meta, id) {
  if (meta === undefined || meta === null) return { json: '', tags: [] };
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    throw codedError(TypeError, `metadata of item '${id}' must be an object or null`);
  }
  const { tags, ...rest } = meta;
  for (const key of ['title', 'url', 'text']) {
    if (rest[key] !== undefined && typeof rest[key] !== 'string') {
      throw codedError(TypeError, `metadata of item '${id}': ${key} must be a string`);
    }
  }
  for (const key of Object.keys(rest)) if (rest[key] === undefined) delete rest[key];
  return {
    json: Object.keys(rest).length ? JSON.stringify(rest) : '',
    tags: checkStrings(tags, `tags of item '${id}'`),
  };
}

/**
 * Builds a catalogue item by item in wasm memory (the CLI streams large builds through it).
 * Memory is about the size of the final file.
 */
export class CatalogBuilder {
  #handle;

  /** @param {{ dims: number, modelFingerprint: string, precision?: 'int8'|'compact'|'residual'|'float32' }} options */
  constructor({ dims, modelFingerprint, precision } = {}) {
    checkNumber(dims, 'dims', { min: 1, max: coreOptions().limits.maxDims, integer: true });
    const fingerprint = checkFingerprint(modelFingerprint, 'modelFingerprint');
    const options = precision === undefined ? {} : { precision: coreEnum('precision', precision) };
    this.dims = dims;
    this.#handle = adopt(this, getCore().CatalogBuilder.create(dims, fingerprint, options));
  }

  #h() {
    if (!this.#handle) throw codedError(Error, 'localrec: this CatalogBuilder has been finished or disposed', 'Disposed');
    return this.#handle;
  }

  /** Items added so far. */
  get size() { return this.#h().size(); }

  /**
   * Adds one item. Throws (leaving the builder unchanged) on a duplicate id, a vector of the wrong
   * length or with NaN/Infinity, invalid metadata or invalid UTF-8.
   * @param {{ id: string, vector: Float32Array | number[], metadata?: object | null, text?: string }} item
   */
  add({ id, vector, metadata = null, text = '' }) {
    if (typeof id !== 'string' || id.length === 0) throw codedError(TypeError, 'item id must be a non-empty string');
    if (!isNumberArrayLike(vector)) throw codedError(TypeError, `vector of item '${id}' must be a Float32Array`);
    if (vector.length !== this.dims) {
      throw codedError(RangeError, `vector of item '${id}' has ${vector.length} values, expected ${this.dims}`);
    }
    checkWellFormed(id, 'an item id');
    if (typeof text !== 'string') throw codedError(TypeError, `text of item '${id}' must be a string`);
    checkWellFormed(text, `text of item '${id}'`);
    const { json, tags } = splitMetadata(metadata, id);
    const v = vector instanceof Float32Array ? vector : Float32Array.from(vector);
    this.#h().add(id, v, json, tags, text);
  }

  /** Writes the catalogue and returns it loaded; the builder is used up. */
  finish() {
    const handle = this.#h();
    try {
      return new Catalog(handle.finish(), kToken);
    } finally {
      this.dispose();
    }
  }

  dispose() {
    release(this, this.#handle);
    this.#handle = null;
  }

  [disposeSymbol]() { this.dispose(); }
}

const kToken = Symbol('Catalog');
let handleOf;

/** @internal The core handle of a Catalog (throws when disposed), or null for anything else. */
export function catalogHandle(catalog) { return handleOf(catalog); }

/** @internal An item's metadata object from its JSON and tags, as Catalog.metadata() returns it. */
export function metadataFrom(json, tags) {
  if (!json && tags.length === 0) return null;
  const meta = json ? JSON.parse(json) : {};
  if (tags.length) meta.tags = tags;
  return meta;
}

export class Catalog {
  #handle;
  #dims;

  /** @private Use Catalog.fromBytes or Catalog.fromVectors. */
  constructor(handle, token) {
    if (token !== kToken) throw codedError(TypeError, 'use Catalog.fromBytes() or Catalog.fromVectors()');
    this.#handle = adopt(this, handle);
    this.#dims = handle.dims();
  }

  /**
   * Loads a catalogue file. The bytes are copied once into wasm memory and validated there;
   * truncated, corrupt or unsupported files throw an Error whose `code` says why.
   * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
   */
  static fromBytes(bytes) {
    const u8 = toUint8Array(bytes, 'bytes');
    const core = getCore();
    const started = performance.now();
    const buffer = core.CatalogBuffer.create(u8.byteLength);
    try {
      buffer.view().set(u8);  // the view is taken right before the copy: no allocation between
      const copied = measurePhase('catalog-copy', started, { bytes: u8.byteLength });
      const catalog = new Catalog(core.Catalog.fromBuffer(buffer), kToken);
      measurePhase('catalog-validate', copied, { items: catalog.size });
      return catalog;
    } finally {
      buffer.delete();
    }
  }

  /**
   * Builds a catalogue in memory.
   * @param {{ ids: string[], vectors: Float32Array[] | Float32Array, metadata?: (object|null)[],
   *   texts?: string[], modelFingerprint: string, dims?: number,
   *   precision?: 'int8'|'compact'|'residual'|'float32' }} options
   */
  static fromVectors({ ids, vectors, metadata, texts, modelFingerprint, dims, precision } = {}) {
    const idList = checkStrings(ids, 'ids');
    const n = idList.length;
    let rows;
    if (vectors instanceof Float32Array) {
      if (dims === undefined) {
        if (n === 0 || vectors.length % n !== 0) {
          throw codedError(RangeError, 'a flat vectors array needs `dims` (or a length that is a multiple of ids.length)');
        }
        dims = vectors.length / n;
      }
      checkNumber(dims, 'dims', { min: 1, max: coreOptions().limits.maxDims, integer: true });
      if (vectors.length !== n * dims) {
        throw codedError(RangeError, `vectors has ${vectors.length} values, expected ${n} x ${dims}`);
      }
      rows = (i) => vectors.subarray(i * dims, (i + 1) * dims);
    } else if (Array.isArray(vectors)) {
      if (vectors.length !== n) throw codedError(RangeError, `got ${vectors.length} vectors for ${n} ids`);
      if (dims === undefined) {
        if (n === 0) throw codedError(RangeError, 'an empty catalogue needs `dims`');
        dims = vectors[0]?.length;
      }
      rows = (i) => vectors[i];
    } else {
      throw codedError(TypeError, 'vectors must be a Float32Array (flat) or an array of Float32Array');
    }
    if (metadata !== undefined && metadata !== null && (!Array.isArray(metadata) || metadata.length !== n)) {
      throw codedError(TypeError, `metadata must be an array with one entry (object or null) per id`);
    }
    if (texts !== undefined && texts !== null) {
      if (!Array.isArray(texts) || texts.length !== n) throw codedError(TypeError, 'texts must be an array with one string per id');
      for (const t of texts) if (typeof t !== 'string') throw codedError(TypeError, 'texts must be an array of strings');
    }
    const builder = new CatalogBuilder({ dims, modelFingerprint, precision });
    try {
      for (let i = 0; i < n; i++) {
        // An item's text also becomes its metadata.text (unless given), which is what rank()'s
        // keyword reasons match against; texts alone would only feed BM25.
        // An explicit null stays null.
        let meta = metadata?.[i];
        const text = texts?.[i] ?? '';
        if (text && meta !== null && (meta === undefined || typeof meta === 'object') && typeof meta?.text !== 'string') meta = { ...meta, text };
        builder.add({ id: idList[i], vector: rows(i), metadata: meta ?? null, text });
      }
      return builder.finish();
    } finally {
      builder.dispose();
    }
  }

  #h() {
    if (!this.#handle) throw codedError(Error, 'localrec: this Catalog has been disposed', 'Disposed');
    return this.#handle;
  }

  /** Number of items. */
  get size() { return this.#h().size(); }
  /** Vector dimension. */
  get dims() { return this.#dims; }
  /** sha256 (hex) of the model the vectors came from. */
  get modelFingerprint() { return this.#h().fingerprint(); }
  /**
   * What rescoring reads: 'int8' (int8 + a refinement bit per dimension), 'compact' (int8 only;
   * also every format version 1 file), 'residual' (int8 + int8 residual) or 'float32'.
   */
  get precision() { return this.#h().precision(); }
  /** True when the catalogue has a lexical part (items' BM25 terms). */
  get hasTerms() { return this.#h().hasTerms(); }
  /** Size of the catalogue file in bytes. */
  get byteLength() { return this.#h().byteLength(); }

  /** The catalogue file (a copy). */
  toBytes() { return this.#h().bytesView().slice(); }

  #index(idOrIndex) {
    if (typeof idOrIndex === 'number') {
      if (!Number.isInteger(idOrIndex) || idOrIndex < 0 || idOrIndex >= this.size) {
        throw codedError(RangeError, `item index ${idOrIndex} is out of range (size ${this.size})`);
      }
      return idOrIndex;
    }
    if (typeof idOrIndex !== 'string') throw codedError(TypeError, 'expected an item id (string) or index (number)');
    checkWellFormed(idOrIndex, 'the item id');
    const i = this.#h().indexOf(idOrIndex);
    if (i < 0) {
      throw codedError(Error, `no item with id '${idOrIndex}'`, 'NotFound');
    }
    return i;
  }

  /** The item's id. */
  id(index) { return this.#h().id(this.#index(index)); }
  /** Index of an id, or -1. */
  indexOf(id) {
    if (typeof id !== 'string') throw codedError(TypeError, 'id must be a string');
    return this.#h().indexOf(checkWellFormed(id, 'the item id'));
  }
  /** True when the catalogue has an item with this id. */
  has(id) { return this.indexOf(id) >= 0; }

  /** The item's metadata ({ title?, url?, text?, tags?, ...extra }) or null when it has none. */
  metadata(idOrIndex) {
    return this.#metadataAt(this.#index(idOrIndex));
  }

  #metadataAt(i) {
    const h = this.#h();
    return metadataFrom(h.metadataJson(i), h.tags(i));
  }

  static {
    // For InterestProfile.rank(), which hands the catalogue's core object to the core.
    handleOf = (catalog) => (catalog !== null && typeof catalog === 'object' && #handle in catalog ? catalog.#h() : null);
  }

  /** The item's vector as stored (f32, or dequantised int8 [+ refinement bits or residual]). */
  vector(idOrIndex) { return this.#h().vector(this.#index(idOrIndex)); }

  /**
   * Top-k items for one or several query vectors and/or a weighted term query.
   * @returns {{ id: string, index: number, score: number, dense: number, lexical: number,
   *   query: number | null, metadata: object | null }[]}
   */
  search(queries, options = {}) {
    if (options === null || typeof options !== 'object') throw codedError(TypeError, 'options must be an object');
    const dims = this.#dims;
    let list;
    if (queries === undefined || queries === null) list = [];
    else if (queries instanceof Float32Array) list = [queries];
    else if (Array.isArray(queries)) list = queries;
    else throw codedError(TypeError, 'queries must be a Float32Array or an array of Float32Array');
    const flat = new Float32Array(list.length * dims);
    list.forEach((q, i) => {
      if (!isNumberArrayLike(q)) throw codedError(TypeError, `query ${i} must be a Float32Array`);
      if (q.length !== dims) throw codedError(RangeError, `query ${i} has ${q.length} values, the catalogue has ${dims} dimensions`);
      flat.set(q, i * dims);
      for (let d = 0; d < dims; d++) {
        if (!Number.isFinite(flat[i * dims + d])) throw codedError(RangeError, `query ${i} has a NaN or infinite value`);
      }
    });
    // Types are checked here and choices become the core's enums; only what the caller gave is
    // passed on (defaults and ranges are SearchOptions', src/core/rank/search.h).
    const maxCount = coreOptions().limits.maxCount;
    const weights = options.weights ?? [];
    if (!Array.isArray(weights) && !ArrayBuffer.isView(weights)) throw codedError(TypeError, 'weights must be an array of numbers');
    if (weights.length !== 0 && weights.length !== list.length) {
      throw codedError(RangeError, `got ${weights.length} weights for ${list.length} query vectors`);
    }
    Array.from(weights).forEach((w, i) => checkNumber(w, `weights[${i}]`, { min: 0 }));
    const terms = options.terms ?? [];
    if (!Array.isArray(terms)) throw codedError(TypeError, 'terms must be an array of { term, weight }');
    const termList = terms.map((t, i) => {
      if (t === null || typeof t !== 'object' || typeof t.term !== 'string') {
        throw codedError(TypeError, `terms[${i}] must be { term: string, weight: number }`);
      }
      return { term: checkWellFormed(t.term, `terms[${i}]`), weight: checkNumber(t.weight ?? 1, `terms[${i}].weight`), analyzed: t.analyzed === true };
    });
    if (list.length === 0 && termList.length === 0) {
      throw codedError(TypeError, 'nothing to search for: give query vectors, terms, or both');
    }
    const given = (key, check) => {
      if (options[key] !== undefined) normalized[key] = check(options[key], key);
    };
    const normalized = { weights: Float32Array.from(weights), terms: termList };
    // More than the catalogue holds returns every item.
    given('k', (v) => checkNumber(v, 'k', { min: 1, max: maxCount, integer: true }));
    given('combine', (v) => coreEnum('combine', v));
    given('exclude', (v) => checkStrings(v, 'exclude'));
    given('requireTags', (v) => checkStrings(v, 'requireTags'));
    given('excludeTags', (v) => checkStrings(v, 'excludeTags'));
    given('diversity', (v) => checkNumber(v, 'diversity', { min: 0, max: 1 }));
    given('lexicalWeight', (v) => checkNumber(v, 'lexicalWeight', { min: 0, max: 1 }));
    given('fusion', (v) => coreEnum('fusion', v));
    given('normalization', (v) => coreEnum('normalization', v));
    given('modelFingerprint', (v) => checkFingerprint(v, 'modelFingerprint'));
    given('candidates', (v) => checkNumber(v, 'candidates', { min: 0, max: maxCount, integer: true }));
    given('exact', Boolean);
    given('bm25', (v) => {
      if (v === null || typeof v !== 'object') throw codedError(TypeError, 'bm25 must be { k1?, b? }');
      return {
        k1: v.k1 === undefined ? undefined : checkNumber(v.k1, 'bm25.k1', { min: 0 }),
        b: v.b === undefined ? undefined : checkNumber(v.b, 'bm25.b', { min: 0, max: 1 }),
      };
    });
    given('rrfK', (v) => checkNumber(v, 'rrfK', { min: Number.MIN_VALUE }));
    const withMetadata = options.metadata !== false;
    const h = this.#h();
    const r = h.search(flat, normalized);
    const out = new Array(r.index.length);
    for (let j = 0; j < out.length; j++) {
      const index = r.index[j];
      out[j] = {
        id: h.id(index),
        index,
        score: r.score[j],
        dense: r.dense[j],
        lexical: r.lexical[j],
        query: r.query[j] < 0 ? null : r.query[j],
        metadata: withMetadata ? this.#metadataAt(index) : null,
      };
    }
    return out;
  }

  /** BM25 score of every item for a weighted term query (Float32Array, one per item). */
  bm25(terms, { k1 = coreOptions().search.bm25.k1, b = coreOptions().search.bm25.b } = {}) {
    if (!Array.isArray(terms)) throw codedError(TypeError, 'terms must be an array of { term, weight }');
    const list = terms.map((t, i) => {
      if (t === null || typeof t !== 'object' || typeof t.term !== 'string') {
        throw codedError(TypeError, `terms[${i}] must be { term: string, weight: number }`);
      }
      return { term: checkWellFormed(t.term, `terms[${i}]`), weight: checkNumber(t.weight ?? 1, `terms[${i}].weight`), analyzed: t.analyzed === true };
    });
    return this.#h().bm25(list, checkNumber(k1, 'k1', { min: 0 }), checkNumber(b, 'b', { min: 0, max: 1 }));
  }

  /** @internal The benchmarks' memory-bandwidth probe: a byte sum over the int8 vectors. */
  _scanVectors() { return this.#h().scanVectors(); }

  /** Frees the wasm memory. Further calls throw. Idempotent. */
  dispose() {
    release(this, this.#handle);
    this.#handle = null;
  }

  [disposeSymbol]() { this.dispose(); }
}
