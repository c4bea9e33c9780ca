// Model bundles: where their files come from (bytes, a folder on disk, a URL with the browser's
// Cache API) and how a manifest is read or derived from a Hugging Face folder. The wasm core only
// ever sees bytes; fetching and caching are this module's job.

import { sha256Hex } from './hash.js';

const CACHE_NAME = 'localrec-models-v1';
// Bytes whose sha256 a source has already checked against the manifest (read() verifies what it
// serves from the cache or downloads): readBundle takes the fingerprint from here instead of
// hashing the model a second time.
const verifiedSha256 = new WeakMap();
const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof window === 'undefined' && typeof self === 'undefined';

export class ModelLoadError extends Error {
  constructor(message, options) {
    super(`localrec: ${message}`, options);
    this.name = 'ModelLoadError';
  }
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
  let base = null;
  const folder = async () => {
    if (!base) {
      const { resolve, sep } = await import('node:path');
      const { pathToFileURL } = await import('node:url');
      // pathToFileURL percent-encodes what a URL would misread ('#', '%', spaces); resolve() makes
      // a relative path relative to the working directory, as fs does.
      base = dir instanceof URL ? new URL(dir.href.replace(/\/?$/, '/')) : pathToFileURL(resolve(dir) + sep);
    }
    return base;
  };
  return {
    describe: String(dir),
    async read(path) {
      const { readFile } = await import('node:fs/promises');
      const url = new URL(path, await folder());
      try {
        return new Uint8Array(await readFile(url));
      } catch (e) {
        if (e.code === 'ENOENT') return null;
        throw new ModelLoadError(`cannot read ${path} in ${dir}: ${e.message}`, { cause: e });
      }
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
export function urlSource(url, { cache = true, fetch: fetchImpl = globalThis.fetch, onProgress } = {}) {
  const base = new URL(String(url).replace(/\/?$/, '/'), globalThis.location?.href);
  if (base.protocol === 'file:' && isNode) return dirSource(base);
  const cachePromise = openCache(cache);
  return {
    describe: base.href,
    async read(path, expectedSha256) {
      const fileUrl = new URL(path, base).href;
      // Only verified files go through the Cache API: the others (the manifest) need not wait for it.
      const store = expectedSha256 ? await cachePromise : null;
      if (store && expectedSha256) {
        const hit = await store.match(fileUrl);
        if (hit) {
          const bytes = new Uint8Array(await hit.arrayBuffer());
          if (await sha256Hex(bytes) === expectedSha256) {
            verifiedSha256.set(bytes, expectedSha256);
            return bytes;
          }
          await store.delete(fileUrl);  // stale or damaged: fetch again
        }
      }
      let response;
      try {
        response = await fetchImpl(fileUrl);
      } catch (e) {
        throw new ModelLoadError(`download of ${fileUrl} failed: ${e.message}`, { cause: e });
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new ModelLoadError(`download of ${fileUrl} failed: HTTP ${response.status}`);
      const bytes = await readBody(response, fileUrl, onProgress);
      if (expectedSha256) {
        const actual = await sha256Hex(bytes);
        if (actual !== expectedSha256) {
          throw new ModelLoadError(`${fileUrl} is corrupt or changed: sha256 ${actual}, manifest says ${expectedSha256}`);
        }
        verifiedSha256.set(bytes, actual);
        if (store) await store.put(fileUrl, new Response(bytes)).catch(() => {});
      }
      return bytes;
    },
  };
}

async function readBody(response, fileUrl, onProgress) {
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body || !onProgress) {
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new ModelLoadError(`download of ${fileUrl} was interrupted: ${e.message}`, { cause: e });
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
      onProgress({ file: fileUrl, loaded, total });
    }
  } catch (e) {
    throw new ModelLoadError(`download of ${fileUrl} was interrupted: ${e.message}`, { cause: e });
  }
  if (total && loaded !== total) {
    throw new ModelLoadError(`download of ${fileUrl} was truncated: ${loaded} of ${total} bytes`);
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
  const need = async (file, sha) => {
    const bytes = await source.read(file, sha);
    if (!bytes) throw new ModelLoadError(`${file} is missing from ${source.describe}`);
    return bytes;
  };
  // Both files at once: over HTTP their requests overlap instead of queueing.
  const [modelBytes, tokenizerBytes] = await Promise.all([
    need(manifest.model.file, manifest.model.sha256),
    need(manifest.tokenizer.file, manifest.tokenizer.sha256),
  ]);
  // Sources without a cache (files, dir) skip verification in read(); check here for all.
  const fingerprint = verifiedSha256.get(modelBytes) ?? await sha256Hex(modelBytes);
  if (manifest.model.sha256 && fingerprint !== manifest.model.sha256) {
    throw new ModelLoadError(`${manifest.model.file} in ${source.describe} does not match its manifest ` +
      `(sha256 ${fingerprint}, expected ${manifest.model.sha256})`);
  }
  if (manifest.tokenizer.sha256) {
    const t = verifiedSha256.get(tokenizerBytes) ?? await sha256Hex(tokenizerBytes);
    if (t !== manifest.tokenizer.sha256) {
      throw new ModelLoadError(`${manifest.tokenizer.file} in ${source.describe} does not match its manifest ` +
        `(sha256 ${t}, expected ${manifest.tokenizer.sha256})`);
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
