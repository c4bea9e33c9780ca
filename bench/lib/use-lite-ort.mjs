// A stand-in for the package's `loadModel()` (contract 3: name, dims, fingerprint, maxLength,
// embed, dispose) used by the eval and the benchmarks until the real one works on this branch:
// the embedded default model bundle (web/models/use-lite, Universal Sentence Encoder Lite int8)
// run with onnxruntime-node, tokenised with the original TF.js tokenizer
// (@tensorflow-models/universal-sentence-encoder), which the bundle's vocab.json comes from.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function loadUseLiteOrt(dir, { threads = 1 } = {}) {
  const ort = require('onnxruntime-node');
  const { Tokenizer } = require('@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js');
  const manifest = JSON.parse(await readFile(new URL('manifest.json', dir), 'utf8'));
  const modelBytes = await readFile(new URL(manifest.model.file, dir));
  const fingerprint = createHash('sha256').update(modelBytes).digest('hex');
  if (fingerprint !== manifest.model.sha256) throw new Error(`${dir}: model.onnx does not match its manifest`);
  const vocab = JSON.parse(await readFile(new URL(manifest.tokenizer.file, dir), 'utf8'));
  const tokenizer = new Tokenizer(vocab);
  const session = await ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const maxLength = manifest.maxLength;

  async function embed(texts, { batchSize = 32 } = {}) {
    const ids = texts.map((t) => {
      const list = tokenizer.encode(t).slice(0, maxLength);
      return list.length ? list : [0];  // an empty text still gets one (unknown) token
    });
    // Deterministic length-sorted batches: the int8 activation scale depends on the batch.
    const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
    const out = new Array(texts.length);
    for (let s = 0; s < order.length; s += batchSize) {
      const rows = order.slice(s, s + batchSize);
      const T = Math.max(...rows.map((i) => ids[i].length));
      const inputIds = new BigInt64Array(rows.length * T);
      const mask = new BigInt64Array(rows.length * T);
      rows.forEach((i, r) => ids[i].forEach((id, t) => {
        inputIds[r * T + t] = BigInt(id);
        mask[r * T + t] = 1n;
      }));
      const result = await session.run({
        input_ids: new ort.Tensor('int64', inputIds, [rows.length, T]),
        attention_mask: new ort.Tensor('int64', mask, [rows.length, T]),
      });
      const data = result[manifest.output].data;
      const D = manifest.dims;
      rows.forEach((i, r) => {
        const v = Float32Array.from(data.subarray(r * D, (r + 1) * D));
        let n = 0;
        for (const x of v) n += x * x;
        n = Math.sqrt(n) || 1;
        for (let d = 0; d < D; d++) v[d] /= n;
        out[i] = v;
      });
    }
    return out;
  }

  return {
    name: manifest.name, dims: manifest.dims, fingerprint, maxLength, embed,
    dispose() { session.release?.(); },
  };
}
