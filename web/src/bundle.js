// Model bundles: where their files come from (bytes, a folder on disk, a URL with the browser's
// Cache API) and how a manifest is read or derived from a Hugging Face folder. The wasm core only
// ever sees bytes; fetching and caching are this module's job.

import { sha256Hex } from './hash.js';
import { isNode, nodePlatform } from './platform.js';

const CACHE_NAME = 'localrec-models-v1';
// Bytes whose sha256 a source has already checked against the manifest (the URL fetcher verifies
// what it serves from the cache or downloads): readBundle takes the fingerprint from here instead
// of hashing the model a second time.
const verifiedSha256 = new WeakMap();

/**
 * A model bundle (or the wasm core) could not be loaded. `code` says why: 'NotFound' (HTTP 404 or
 * no such file), 'NotAFile' (the server answered with an HTML page, e.g. a single-page app's
 * fallback, instead of the file), 'Network', 'Corrupt' (wrong bytes), 'Invalid' (a bad manifest
 * or model). `url`, when set, is the address that failed.
 */
export class ModelLoadError extends Error {
  constructor(message, options = {}) {
    super(`localrec: ${message}`, options);
    this.name = 'ModelLoadError';
    this.code = options.code ?? 'Invalid';
    if (options.url !== undefined) this.url = String(options.url);
  }
}

const HTML_START = /^\s*<(!doctype|html|head|body|script|meta|!--)/i;

/**
 * Refuses bytes that are an HTML page rather than the expected file: dev servers and single-page
 * app hosts answer unknown paths with index.html and status 200. `magic`, when given, is the
 * file's required first bytes (e.g. wasm's 00 61 73 6d).
 */
export function checkNotHtml(bytes, url, what, { contentType = '', magic } = {}) {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const isHtml = /text\/html/i.test(contentType) || HTML_START.test(head);
  const badMagic = magic && (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b));
  if (!isHtml && !badMagic) return;
  const got = isHtml ? 'an HTML page' : `bytes starting ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
  throw new ModelLoadError(`${url} served ${got} instead of ${what}. The file is not where the page ` +
    'looks for it: with Vite or webpack it is emitted by the build; with esbuild or a hand-made site run ' +
    '`npx localrec copy-assets <your output folder>`; or pass the URL where you serve it ' +
    '(docs/bundlers.md).', { code: 'NotAFile', url });
}

/**
 * The bytes of one of the package's runtime files (web/assets.js): read from disk for a file: URL
 * in Node, else fetched; a missing file, a failed download or an HTML page in its place is a
 * ModelLoadError naming the URL and `option`, the option that points elsewhere.
 * @param {URL} url
 * @param {{ what: string, option: string, magic?: number[] }} file  e.g. what 'the wasm core
 *   (localrec_core.wasm)', option 'init({ wasmUrl })', magic its first bytes
 */
export async function readRuntimeFile(url, { what, option, magic }) {
  if (isNode && url.protocol === 'file:') {
    const bytes = await (await nodePlatform()).readFile(url);
    if (!bytes) throw new ModelLoadError(`${what} ${url} is missing (run scripts/build.sh wasm)`, { code: 'NotFound', url });
    return bytes;
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelLoadError(`download of ${what} ${url} failed: ${e.message}`, { cause: e, code: 'Network', url });
  }
  if (!response.ok) {
    throw new ModelLoadError(`${what} ${url} is not there (HTTP ${response.status}); pass ${option} where you ` +
      'serve it (docs/bundlers.md)', { code: response.status === 404 ? 'NotFound' : 'Network', url });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkNotHtml(bytes, url, what, { contentType: response.headers.get('content-type') ?? '', magic });
  return bytes;
}

function toBytes(value, name) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return new TextEncoder().encode(value);
  throw new ModelLoadError(`file '${name}' must be a Uint8Array, ArrayBuffer or string`);
}

/** A source of bundle files from an object of bytes: `{ 'manifest.json': bytes, ... }`. */
export function filesSource(files) {
  if (!files || typeof files !== 'object') throw new ModelLoadError('`files` must be an object of file name -> bytes');
  return {
    describe: 'the given files',
    async read(path) {
      return Object.hasOwn(files, path) ? toBytes(files[path], path) : null;
    },
  };
}

/** A source reading from a folder on disk (Node only): an absolute or relative path, or a file: URL. */
export function dirSource(dir) {
  if (!isNode) throw new ModelLoadError('`dir` works only in Node; in browsers use `url` or `files`');
  if (!(dir instanceof URL) && typeof dir !== 'string') throw new TypeError('localrec: `dir` must be a path or a file: URL');
  return {
    describe: String(dir),
    async read(path) {
      const node = await nodePlatform();
      const url = new URL(path, node.folderUrl(dir));
      try {
        return await node.readFile(url);
      } catch (e) {
        throw new ModelLoadError(`cannot read ${path} in ${dir}: ${e.message}`, { cause: e, url });
      }
    },
  };
}

/**
 * A source whose files each have their own URL: `{ 'manifest.json': URL, 'model.onnx': URL }`.
 * This is how the embedded default is found in a bundled app, where the bundler gave every
 * emitted file its own (hashed) name. file: URLs are read from disk in Node.
 */
export function mappedUrlSource(urls, describe, options = {}) {
  const fetcher = urlFetcher(options);
  return {
    describe,
    async read(path, expectedSha256, size) {
      if (!Object.hasOwn(urls, path)) return null;
      const url = new URL(String(urls[path]), globalThis.location?.href);
      if (url.protocol === 'file:' && isNode) return (await nodePlatform()).readFile(url);
      return fetcher(url, path, expectedSha256, size);
    },
  };
}

async function openCache(enabled) {
  if (!enabled || typeof caches === 'undefined') return null;
  try {
    return await caches.open(CACHE_NAME);
  } catch {
    return null;  // e.g. opaque origins, private browsing: work without a cache
  }
}

/**
 * A source fetching from a base URL. Files whose sha256 is known are served from the Cache API
 * when the cached copy verifies, and are put there only after a complete, verified download, so a
 * failed download never leaves a half file behind.
 */
export function urlSource(url, options = {}) {
  const base = new URL(String(url).replace(/\/?$/, '/'), globalThis.location?.href);
  if (base.protocol === 'file:' && isNode) return dirSource(base);
  const fetcher = urlFetcher(options);
  return {
    describe: base.href,
    read: (path, expectedSha256, size) => fetcher(new URL(path, base), path, expectedSha256, size),
  };
}

// Fetches one file (null on 404). Progress events: { file, url, loaded, total, status } with
// status 'download' while bytes arrive and 'cached' for a verified Cache API hit; `total` is the
// Content-Length or else the manifest's size (0 when neither is known).
function urlFetcher({ cache = true, fetch: fetchImpl = globalThis.fetch, onProgress } = {}) {
  const cachePromise = openCache(cache);
  return async (url, file, expectedSha256, size) => {
    const fileUrl = url.href;
    // Only verified files go through the Cache API: the others (the manifest) need not wait for it.
    const store = expectedSha256 ? await cachePromise : null;
    if (store && expectedSha256) {
      const hit = await store.match(fileUrl);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        if (await sha256Hex(bytes) === expectedSha256) {
          verifiedSha256.set(bytes, expectedSha256);
          onProgress?.({ file, url: fileUrl, loaded: bytes.byteLength, total: bytes.byteLength, status: 'cached' });
          return bytes;
        }
        await store.delete(fileUrl);  // stale or damaged: fetch again
      }
    }
    let response;
    try {
      response = await fetchImpl(fileUrl);
    } catch (e) {
      throw new ModelLoadError(`download of ${fileUrl} failed: ${e.message}`, { cause: e, code: 'Network', url: fileUrl });
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new ModelLoadError(`download of ${fileUrl} failed: HTTP ${response.status}`, { code: 'Network', url: fileUrl });
    const bytes = await readBody(response, fileUrl, file, size, onProgress);
    checkNotHtml(bytes, fileUrl, `the model file ${file}`, { contentType: response.headers.get('content-type') ?? '' });
    if (expectedSha256) {
      const actual = await sha256Hex(bytes);
      if (actual !== expectedSha256) {
        throw new ModelLoadError(`${fileUrl} is corrupt or changed: sha256 ${actual}, manifest says ${expectedSha256}`, { code: 'Corrupt', url: fileUrl });
      }
      verifiedSha256.set(bytes, actual);
      if (store) await store.put(fileUrl, new Response(bytes)).catch(() => {});
    }
    return bytes;
  };
}

async function readBody(response, fileUrl, file, size, onProgress) {
  // Content-Length is the encoded size when the server compresses: then trust the manifest.
  const encoded = response.headers.get('content-encoding');
  const total = (!encoded && Number(response.headers.get('content-length'))) || size || 0;
  if (!response.body || !onProgress) {
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new ModelLoadError(`download of ${fileUrl} was interrupted: ${e.message}`, { cause: e, code: 'Network', url: fileUrl });
    }
  }
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress({ file, url: fileUrl, loaded, total: Math.max(total, loaded), status: 'download' });
    }
  } catch (e) {
    throw new ModelLoadError(`download of ${fileUrl} was interrupted: ${e.message}`, { cause: e, code: 'Network', url: fileUrl });
  }
  if (!encoded && Number(response.headers.get('content-length')) && loaded !== total) {
    throw new ModelLoadError(`download of ${fileUrl} was truncated: ${loaded} of ${total} bytes`, { code: 'Network', url: fileUrl });
  }
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.byteLength; }
  return out;
}

function parseJson(bytes, name, where) {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ModelLoadError(`${name} in ${where} is not valid JSON: ${e.message}`);
  }
}

const POOLINGS = new Set(['none', 'mean', 'cls']);
const TOKENIZER_KINDS = new Set(['wordpiece', 'unigram']);

/** Checks a manifest's fields and returns it; throws ModelLoadError naming the bad field. */
export function validateManifest(m, where) {
  const bad = (field, why) => { throw new ModelLoadError(`manifest.json in ${where}: ${field} ${why}`); };
  if (!m || typeof m !== 'object') bad('the manifest', 'is not an object');
  if (m.format !== 'localrec-model') bad('format', `must be "localrec-model", got ${JSON.stringify(m.format)}`);
  if (m.formatVersion !== 1) bad('formatVersion', `${JSON.stringify(m.formatVersion)} is not supported (this build reads 1)`);
  if (typeof m.name !== 'string' || !m.name) bad('name', 'must be a non-empty string');
  if (!Number.isInteger(m.dims) || m.dims <= 0 || m.dims > 65536) bad('dims', 'must be a positive integer');
  if (!Number.isInteger(m.maxLength) || m.maxLength <= 0) bad('maxLength', 'must be a positive integer');
  if (!m.model || typeof m.model.file !== 'string') bad('model.file', 'is missing');
  if (!Array.isArray(m.inputs) || !m.inputs.includes('input_ids') || !m.inputs.includes('attention_mask')) {
    bad('inputs', 'must list at least input_ids and attention_mask');
  }
  if (typeof m.output !== 'string') bad('output', 'must name the output tensor');
  if (!POOLINGS.has(m.pooling)) bad('pooling', `must be one of ${[...POOLINGS].join(', ')}`);
  const t = m.tokenizer;
  if (!t || !TOKENIZER_KINDS.has(t.kind)) bad('tokenizer.kind', 'must be wordpiece or unigram');
  if (typeof t.file !== 'string' || typeof t.format !== 'string') bad('tokenizer', 'needs file and format');
  return m;
}

// Sentence-Transformers folders say how they pool in 1_Pooling/config.json; mean is their default.
function derivePooling(poolingConfig) {
  if (poolingConfig?.pooling_mode_cls_token) return 'cls';
  return 'mean';
}

/**
 * Reads (or, for a Hugging Face folder without one, derives) the manifest and the bytes of the
 * model and tokenizer files. `options.quantized` (default true) picks onnx/model_quantized.onnx.
 */
export async function readBundle(source, options = {}) {
  const manifestBytes = await source.read('manifest.json');
  let manifest;
  if (manifestBytes) {
    manifest = validateManifest(parseJson(manifestBytes, 'manifest.json', source.describe), source.describe);
  } else {
    manifest = await deriveHfManifest(source, options);
  }
  const need = async (file, sha, size) => {
    const bytes = await source.read(file, sha, size);
    if (!bytes) throw new ModelLoadError(`${file} is missing from ${source.describe}`, { code: 'NotFound' });
    // One 'done' event per file whatever the source, so a progress bar always completes.
    options.onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength, status: 'done' });
    return bytes;
  };
  // Both files at once: over HTTP their requests overlap instead of queueing.
  const [modelBytes, tokenizerBytes] = await Promise.all([
    need(manifest.model.file, manifest.model.sha256, manifest.model.bytes),
    need(manifest.tokenizer.file, manifest.tokenizer.sha256, manifest.tokenizer.bytes),
  ]);
  // Sources without a cache (files, dir) skip verification in read(); check here for all.
  const fingerprint = verifiedSha256.get(modelBytes) ?? await sha256Hex(modelBytes);
  if (manifest.model.sha256 && fingerprint !== manifest.model.sha256) {
    throw new ModelLoadError(`${manifest.model.file} in ${source.describe} does not match its manifest ` +
      `(sha256 ${fingerprint}, expected ${manifest.model.sha256})`, { code: 'Corrupt' });
  }
  if (manifest.tokenizer.sha256) {
    const t = verifiedSha256.get(tokenizerBytes) ?? await sha256Hex(tokenizerBytes);
    if (t !== manifest.tokenizer.sha256) {
      throw new ModelLoadError(`${manifest.tokenizer.file} in ${source.describe} does not match its manifest ` +
        `(sha256 ${t}, expected ${manifest.tokenizer.sha256})`, { code: 'Corrupt' });
    }
  }
  return { manifest, modelBytes, tokenizerBytes, fingerprint };
}

async function deriveHfManifest(source, { quantized = true, pooling } = {}) {
  const where = source.describe;
  const configBytes = await source.read('config.json');
  if (!configBytes) {
    throw new ModelLoadError(`${where} has neither manifest.json nor a Hugging Face config.json`);
  }
  const config = parseJson(configBytes, 'config.json', where);
  const poolingBytes = await source.read('1_Pooling/config.json');
  const tokenizerJson = await source.read('tokenizer.json');
  const tokenizerConfigBytes = await source.read('tokenizer_config.json');
  const tokenizerConfig = tokenizerConfigBytes ? parseJson(tokenizerConfigBytes, 'tokenizer_config.json', where) : {};
  let modelFile = quantized ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
  const dims = config.hidden_size ?? config.dim ?? config.d_model;
  if (!Number.isInteger(dims)) throw new ModelLoadError(`config.json in ${where} has no hidden_size`);
  const maxLength = Math.min(config.max_position_embeddings ?? 512, tokenizerConfig.model_max_length ?? 512, 512);
  const manifest = {
    format: 'localrec-model', formatVersion: 1,
    name: config._name_or_path?.split('/').pop() || 'huggingface-model',
    dims, maxLength, vocabSize: config.vocab_size,
    model: { file: modelFile },
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
    output: 'last_hidden_state',
    pooling: pooling ?? derivePooling(poolingBytes && parseJson(poolingBytes, '1_Pooling/config.json', where)),
    normalize: true,
    tokenizer: tokenizerJson
      ? { kind: 'wordpiece', format: 'tokenizer.json', file: 'tokenizer.json' }
      : { kind: 'wordpiece', format: 'vocab.txt', file: 'vocab.txt',
          options: { lowercase: tokenizerConfig.do_lower_case ?? true } },
  };
  return validateManifest(manifest, where);
}
