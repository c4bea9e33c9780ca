// The encoder in headless Chromium, as a page uses the package: the embedded default against the
// TF.js original, and a Hugging Face BERT folder against transformers.js running in the same page
// (both on ONNX Runtime Web's wasm backend), with and without cross-origin isolation (threads).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, openModulePage, startServer } from '../../dev/harness.mjs';
import { referenceEmbeddings } from '../../dev/use-reference.mjs';
import { cosine } from '../../dev/stats.mjs';

const sentences = readFileSync(new URL('../fixtures/sentences.jsonl', import.meta.url), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l).text);
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const isolated of [true, false]) {
  test(`USE Lite in Chromium matches the TF.js original (${isolated ? 'isolated, threads' : 'not isolated, 1 thread'})`, async () => {
    const server = await startServer({ isolated });
    try {
      const { page, errors } = await openModulePage(browser, server);
      const texts = sentences.slice(0, 1000);
      const result = await page.evaluate(async (texts) => {
        const lr = await import('localrec');
        const ort = await import('onnxruntime-web/wasm');
        const model = await lr.loadModel({ name: 'use-lite' });
        const vectors = await model.embed(texts);
        const out = {
          name: model.name, backend: model.backend, threads: ort.env.wasm.numThreads,
          vectors: vectors.map((v) => Array.from(v)),
        };
        await model.dispose();
        return out;
      }, texts);
      assert.equal(result.name, 'use-lite-int8');
      assert.equal(result.backend, 'web');
      assert.equal(result.threads > 1, isolated, `threads ${result.threads}`);
      const reference = await referenceEmbeddings(texts);
      let worst = 1;
      result.vectors.forEach((v, i) => { worst = Math.min(worst, cosine(v, reference[i])); });
      assert.ok(worst >= 0.995, `worst cosine ${worst}`);
      assert.deepEqual(errors, []);
      // Only same-origin requests, and none carrying the texts.
      for (const r of server.requests) assert.ok(!texts.some((t) => t.length > 20 && r.url.includes(encodeURIComponent(t.slice(0, 20)))));
      await page.close();
    } finally {
      await server.close();
    }
  });
}

test('a BERT folder in Chromium matches transformers.js in the same page (fp32 and int8)', async () => {
  const server = await startServer({ isolated: false });
  try {
    const { page, errors } = await openModulePage(browser, server);
    const texts = sentences.filter((_, i) => i % 5 === 0).slice(0, 200);
    const worst = await page.evaluate(async (texts) => {
      const lr = await import('localrec');
      const { env, pipeline } = await import('@huggingface/transformers');
      env.allowRemoteModels = false;
      env.allowLocalModels = true;  // off by default in browsers
      env.localModelPath = '/web/models/';
      env.backends.onnx.wasm.wasmPaths = '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/';
      env.backends.onnx.wasm.numThreads = 1;
      const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
      const out = {};
      for (const [dtype, quantized, batchSize] of [['fp32', false, 16], ['q8', true, 1]]) {
        const ours = await lr.loadModel({ url: '/web/models/tiny-bert/', quantized });
        const theirs = await pipeline('feature-extraction', 'tiny-bert', { dtype, device: 'wasm' });
        const mine = await ours.embed(texts, { batchSize });
        let w = 1;
        for (let i = 0; i < texts.length; i += batchSize) {
          const chunk = texts.slice(i, i + batchSize);
          const ref = (await theirs(chunk, { pooling: 'mean', normalize: true })).tolist();
          chunk.forEach((_, j) => { w = Math.min(w, dot(mine[i + j], ref[j])); });
        }
        out[dtype] = w;
        await ours.dispose();
        await theirs.dispose();
      }
      return out;
    }, texts);
    assert.ok(worst.fp32 >= 0.9999, `fp32 worst cosine ${worst.fp32}`);
    assert.ok(worst.q8 >= 0.999, `int8 worst cosine ${worst.q8}`);
    assert.deepEqual(errors, []);
    assert.ok(server.requests.every((r) => r.url.startsWith('/')), 'only same-origin requests');
    await page.close();
  } finally {
    await server.close();
  }
});
