// Reference encoders for the distillation's checks and bars, independent of the package code:
// the teacher (a USE Lite bundle, tokenised by the original TF.js tokenizer) and a student (a
// BERT bundle or bare ONNX file, tokenised by Hugging Face's Rust tokenizer), each run by
// onnxruntime-node or by ONNX Runtime Web's wasm backend. Texts go in length-sorted batches;
// students are mean-pooled over the attention mask and L2-normalised here, as loaders do.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const DIMS = 512;

let ortWeb;
async function runtime(kind, threads) {
  if (kind === 'node') return require('onnxruntime-node');
  if (!ortWeb) {
    ortWeb = await import('onnxruntime-web/wasm');
    ortWeb.env.wasm.numThreads = threads;
    ortWeb.env.logLevel = 'error';
  }
  return ortWeb;
}

async function session(kind, modelPath, threads) {
  const ort = await runtime(kind, threads);
  const bytes = readFileSync(modelPath);
  const options = kind === 'node'
    ? { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' }
    : { executionProviders: ['wasm'] };
  return { ort, session: await ort.InferenceSession.create(kind === 'node' ? bytes : new Uint8Array(bytes), options) };
}

function l2(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = 1 / Math.sqrt(Math.max(s, 1e-24));
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

/** Splits indices sorted by length into batches of at most `batchSize`. */
function plan(lengths, batchSize) {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches = [];
  for (let s = 0; s < order.length; s += batchSize) batches.push(order.slice(s, s + batchSize));
  return batches;
}

/** The teacher: a converted USE Lite bundle directory (manifest.json, model.onnx, vocab.json). */
export async function teacherEncoder(dir, { runtime: kind = 'node', threads = 1 } = {}) {
  const { Tokenizer } = require('@tensorflow-models/universal-sentence-encoder');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const tok = new Tokenizer(JSON.parse(readFileSync(path.join(dir, manifest.tokenizer.file), 'utf8')));
  const { ort, session: s } = await session(kind, path.join(dir, manifest.model.file), threads);
  const max = manifest.maxLength;
  return {
    name: manifest.name,
    tokenize: (text) => tok.encode(text).slice(0, max),
    encodeIds: async (texts) => texts.map((t) => tok.encode(t).slice(0, max)),
    async embedIds(ids, { batchSize = 32 } = {}) {
      const out = new Array(ids.length);
      for (const idx of plan(ids.map((x) => x.length), batchSize)) {
        const T = Math.max(1, ...idx.map((i) => ids[i].length));
        const a = new BigInt64Array(idx.length * T);
        const m = new BigInt64Array(idx.length * T);
        idx.forEach((i, r) => ids[i].forEach((id, t) => { a[r * T + t] = BigInt(id); m[r * T + t] = 1n; }));
        const res = await s.run({ input_ids: new ort.Tensor('int64', a, [idx.length, T]),
          attention_mask: new ort.Tensor('int64', m, [idx.length, T]) });
        const y = res[manifest.output].data;
        idx.forEach((i, r) => { out[i] = l2(Float32Array.from(y.subarray(r * DIMS, (r + 1) * DIMS))); });
      }
      return out;
    },
    async embed(texts, options) {
      return this.embedIds(await this.encodeIds(texts), options);
    },
    release: () => s.release?.(),
  };
}

/**
 * A student: `tokenizerJson` (Hugging Face tokenizer.json, truncating at the model's maximum)
 * and an ONNX file with inputs input_ids/attention_mask/token_type_ids and output
 * last_hidden_state [B, T, 512] (mean-pooled here), or sentence_embedding [B, 512] (a centred
 * student pools in its graph: center.py).
 */
export async function studentEncoder(modelPath, tokenizerJson, { runtime: kind = 'node', threads = 1, name } = {}) {
  const { Tokenizer } = require('@anush008/tokenizers');
  const tok = Tokenizer.fromFile(tokenizerJson);
  const { ort, session: s } = await session(kind, modelPath, threads);
  const encodeIds = async (texts) => (await tok.encodeBatch(texts)).map((e) => e.getIds());
  return {
    name: name ?? path.basename(modelPath),
    encodeIds,
    async embedIds(ids, { batchSize = 32 } = {}) {
      const out = new Array(ids.length);
      for (const idx of plan(ids.map((x) => x.length), batchSize)) {
        const T = Math.max(...idx.map((i) => ids[i].length));
        const a = new BigInt64Array(idx.length * T);
        const m = new BigInt64Array(idx.length * T);
        idx.forEach((i, r) => ids[i].forEach((id, t) => { a[r * T + t] = BigInt(id); m[r * T + t] = 1n; }));
        const res = await s.run({ input_ids: new ort.Tensor('int64', a, [idx.length, T]),
          attention_mask: new ort.Tensor('int64', m, [idx.length, T]),
          token_type_ids: new ort.Tensor('int64', new BigInt64Array(idx.length * T), [idx.length, T]) });
        if (res.sentence_embedding) {
          const y = res.sentence_embedding.data;
          idx.forEach((i, r) => { out[i] = l2(Float32Array.from(y.subarray(r * DIMS, (r + 1) * DIMS))); });
          continue;
        }
        const y = res.last_hidden_state.data;
        idx.forEach((i, r) => {
          const v = new Float32Array(DIMS);
          const n = ids[i].length;
          for (let t = 0; t < n; t++) {
            const row = (r * T + t) * DIMS;
            for (let d = 0; d < DIMS; d++) v[d] += y[row + d];
          }
          for (let d = 0; d < DIMS; d++) v[d] /= n;
          out[i] = l2(v);
        });
      }
      return out;
    },
    async embed(texts, options) {
      return this.embedIds(await encodeIds(texts), options);
    },
    release: () => s.release?.(),
  };
}

export function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function summary(values) {
  const v = Float64Array.from(values).sort();
  const q = (p) => v[Math.min(v.length - 1, Math.floor(p * (v.length - 1)))];
  return { n: v.length, mean: v.reduce((a, b) => a + b, 0) / v.length, min: v[0], p1: q(0.01), p10: q(0.1), median: q(0.5) };
}
