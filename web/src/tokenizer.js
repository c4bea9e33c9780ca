// Tokenizers of the wasm core: WordPiece (BERT family: vocab.txt or tokenizer.json) and Unigram
// (Universal Sentence Encoder Lite's vocab.json). Arguments are validated here, before anything
// reaches wasm; results are copied out of wasm memory into JS-owned typed arrays.

import { getCore } from './core.js';
import { adopt, release } from './lifetime.js';

const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const KINDS = new Set(['wordpiece', 'unigram']);
const FORMATS = {
  wordpiece: new Set(['vocab.txt', 'tokenizer.json']),
  unigram: new Set(['use-vocab.json']),
};

function fail(ErrorType, code, message) {
  const error = new ErrorType(`localrec: ${message}`);
  error.code = code;
  return error;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a ${typeof value}`;
}

const utf8 = new TextEncoder();

// Attention masks are all ones: copied from one cached array instead of filled per call.
let ones = new BigInt64Array(0);
function onesOf(n) {
  if (ones.length < n) ones = new BigInt64Array(Math.max(n, 2 * ones.length, 1024)).fill(1n);
  return ones.slice(0, n);
}

// A copy (JS-owned) of `count` elements of `Type` at byte address `address` in wasm memory. The
// heap view is taken now: an earlier one may have been detached by memory growth.
function copyOut(core, Type, address, count) {
  return new Type(core.HEAPU8.buffer, address, count).slice();
}

const hasIsWellFormed = typeof String.prototype.isWellFormed === 'function';

// JS strings may hold lone UTF-16 surrogates, which have no UTF-8 form: refuse them instead of
// letting them turn into U+FFFD (or worse) on the way into wasm.
function checkText(text, what) {
  if (typeof text !== 'string') {
    throw fail(TypeError, 'InvalidArgument', `${what} must be a string, got ${describe(text)}`);
  }
  if (hasIsWellFormed ? !text.isWellFormed() : /\p{Cs}/u.test(text)) {
    const at = text.search(/\p{Cs}/u);
    throw fail(Error, 'InvalidUtf8',
      `${what} is not valid Unicode: lone surrogate U+${text.charCodeAt(at).toString(16).toUpperCase()} at index ${at}`);
  }
}

function checkMaxLength(options) {
  if (options === undefined || options === null) return 0;
  if (typeof options !== 'object') {
    throw fail(TypeError, 'InvalidArgument', `options must be an object, got ${describe(options)}`);
  }
  const { maxLength } = options;
  if (maxLength === undefined || maxLength === null) return 0;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 0x7fffffff) {
    throw fail(RangeError, 'InvalidArgument',
      `maxLength must be a positive integer, got ${String(maxLength)}`);
  }
  return maxLength;
}

function toBytes(bytes) {
  if (typeof bytes === 'string') return bytes;  // the file's text, e.g. a vocab.txt read as text
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw fail(TypeError, 'InvalidArgument',
    `tokenizer bytes must be a Uint8Array, ArrayBuffer or string, got ${describe(bytes)}`);
}

function optionalBoolean(options, name) {
  const value = options[name];
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    throw fail(TypeError, 'InvalidArgument', `option ${name} must be a boolean, got ${describe(value)}`);
  }
  return value ?? undefined;
}

let handleOf;

/** @internal The wasm handle of a live Tokenizer, for other wasm classes that take one. */
export function tokenizerHandle(tokenizer) {
  if (!(tokenizer instanceof Tokenizer)) throw new TypeError('localrec: expected a Tokenizer');
  return handleOf(tokenizer);
}

/**
 * A tokenizer in the wasm core. Immutable; dispose() frees its wasm memory.
 */
export class Tokenizer {
  #handle;
  #kind;

  static {
    handleOf = (tokenizer) => tokenizer.#live();
  }

  constructor(handle, kind) {
    if (!handle || typeof handle.encodeInput !== 'function') {
      throw fail(TypeError, 'InvalidArgument', 'use Tokenizer.fromBytes() to create a tokenizer');
    }
    this.#handle = adopt(this, handle);
    this.#kind = kind;
  }

  /**
   * @param {Uint8Array|ArrayBuffer|string} bytes the tokenizer file
   * @param {{kind?: 'wordpiece'|'unigram', format?: string, lowercase?: boolean,
   *   stripAccents?: boolean, handleChineseChars?: boolean, cleanText?: boolean}} [options]
   */
  static fromBytes(bytes, options = {}) {
    if (options === null || typeof options !== 'object') {
      throw fail(TypeError, 'InvalidArgument', `options must be an object, got ${describe(options)}`);
    }
    const kind = options.kind ?? 'wordpiece';
    if (!KINDS.has(kind)) {
      throw fail(TypeError, 'InvalidArgument', `kind must be 'wordpiece' or 'unigram', got ${String(kind)}`);
    }
    const format = options.format ?? '';
    if (typeof format !== 'string' || (format !== '' && !FORMATS[kind].has(format))) {
      throw fail(TypeError, 'InvalidArgument',
        `format for ${kind} must be one of ${[...FORMATS[kind]].map((f) => `'${f}'`).join(', ')}, got ${String(format)}`);
    }
    const data = toBytes(bytes);
    const lowercase = optionalBoolean(options, 'lowercase') ?? true;
    const stripAccents = optionalBoolean(options, 'stripAccents');
    const handleChineseChars = optionalBoolean(options, 'handleChineseChars') ?? true;
    const cleanText = optionalBoolean(options, 'cleanText') ?? true;
    const handle = getCore().Tokenizer.fromBytes(data, kind, format, lowercase,
      stripAccents === undefined ? -1 : Number(stripAccents), handleChineseChars, cleanText);
    return new Tokenizer(handle, kind);
  }

  #live() {
    if (!this.#handle) throw fail(Error, 'Disposed', 'this Tokenizer has been disposed');
    return this.#handle;
  }

  /** 'wordpiece' or 'unigram'. */
  get kind() { return this.#kind; }
  get vocabSize() { return this.#live().vocabSize; }
  get maxLength() { return this.#live().maxLength; }
  get usesTokenTypeIds() { return this.#live().usesTokenTypeIds; }
  get padId() { return this.#live().padId; }

  /**
   * Token ids of one text, with the model's special tokens, cut to maxLength (default: the
   * tokenizer's own maximum).
   * @returns {{inputIds: BigInt64Array, attentionMask: BigInt64Array, tokenTypeIds: BigInt64Array,
   *   length: number, truncated: boolean}}
   */
  encode(text, options) {
    const handle = this.#live();
    checkText(text, 'text');
    const maxLength = checkMaxLength(options);
    // UTF-8 straight into the handle's input buffer (at most 3 bytes per UTF-16 unit).
    const core = getCore();
    const address = handle.inputAddress(text.length * 3);
    const { written } = utf8.encodeInto(text, core.HEAPU8.subarray(address, address + text.length * 3));
    const n = handle.encodeInput(written, maxLength);
    const fullLength = handle.fullLength();
    return {
      inputIds: copyOut(core, BigInt64Array, handle.idsAddress(), n),
      attentionMask: onesOf(n),
      tokenTypeIds: new BigInt64Array(n),
      length: n,
      truncated: fullLength > n,
    };
  }

  /**
   * Encodes texts and right-pads them to the longest; flat [batchSize * sequenceLength] arrays.
   */
  encodeBatch(texts, options) {
    const handle = this.#live();
    if (!Array.isArray(texts)) {
      throw fail(TypeError, 'InvalidArgument', `texts must be an array of strings, got ${describe(texts)}`);
    }
    texts.forEach((text, i) => checkText(text, `texts[${i}]`));
    const maxLength = checkMaxLength(options);
    // One UTF-8 buffer and offsets cross into wasm instead of one string per text.
    const encoded = texts.map((text) => utf8.encode(text));
    const offsets = new Uint32Array(encoded.length + 1);
    encoded.forEach((bytes, i) => { offsets[i + 1] = offsets[i] + bytes.length; });
    const packed = new Uint8Array(offsets[encoded.length]);
    encoded.forEach((bytes, i) => packed.set(bytes, offsets[i]));
    const batchSize = handle.encodeBatchToScratch(packed, offsets, maxLength);
    const sequenceLength = handle.sequenceLength();
    const core = getCore();
    const cells = batchSize * sequenceLength;
    return {
      inputIds: copyOut(core, BigInt64Array, handle.batchAddress(0), cells),
      attentionMask: copyOut(core, BigInt64Array, handle.batchAddress(1), cells),
      tokenTypeIds: copyOut(core, BigInt64Array, handle.batchAddress(2), cells),
      batchSize,
      sequenceLength,
      lengths: copyOut(core, Uint32Array, handle.batchAddress(3), batchSize),
      truncated: Array.from(copyOut(core, Uint8Array, handle.batchAddress(4), batchSize), (t) => t !== 0),
    };
  }

  /** The pieces of a text as vocabulary strings, without special tokens or truncation. */
  tokenize(text) {
    const handle = this.#live();
    checkText(text, 'text');
    return handle.tokenize(text);
  }

  /** Frees the wasm memory; later calls throw. Safe to call twice. */
  dispose() {
    if (this.#handle) {
      release(this, this.#handle);
      this.#handle = null;
    }
  }

  [disposeSymbol]() { this.dispose(); }
}
