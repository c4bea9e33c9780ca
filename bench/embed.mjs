#!/usr/bin/env node
// Posts -> embeddings throughput, ours vs transformers.js's feature-extraction pipeline, on the
// same MiniLM-L6-shaped int8 BERT and the same thread count, measured side by side in one run:
//   Node:     transformers.js (onnxruntime-node) | ours on onnxruntime-node | ours on ORT Web wasm
//   Chromium: transformers.js (ORT Web wasm)     | ours (ORT Web wasm)
// plus the embedded models: texts/s, ms per short post, and loadModel in a process where ONNX
// Runtime is already started (a user's cold and warm start: bench/demo.mjs).
// Usage: node bench/embed.mjs [--texts 2000] [--threads 1] [--batch 32] [--no-browser]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Command } from 'commander';
import { env, pipeline } from '@huggingface/transformers';
import { DEFAULT_MODEL, init, loadModel } from 'localrec';
import { benchTexts } from './texts.mjs';

const opts = new Command()
  .option('--texts <n>', 'number of texts', (v) => Number.parseInt(v, 10), 2000)
  .option('--threads <n>', 'ONNX Runtime threads for every contender', (v) => Number.parseInt(v, 10), 1)
  .option('--batch <n>', 'batch size for every contender', (v) => Number.parseInt(v, 10), 32)
  .option('--no-browser', 'skip the Chromium part')
  .parse().opts();

const ROOT = new URL('../', import.meta.url);
const MINILM = new URL('.cache/models/minilm-l6-shaped/', ROOT);
if (!existsSync(new URL('onnx/model_quantized.onnx', MINILM))) {
  console.error('bench: generating the MiniLM-L6-shaped int8 model (scripts/build-models.sh minilm-shaped)');
  execFileSync('bash', [fileURLToPath(new URL('scripts/build-models.sh', ROOT)), 'minilm-shaped'], { stdio: ['ignore', 2, 2] });
}

const { texts, source } = benchTexts(opts.texts);
const chars = texts.reduce((s, t) => s + t.length, 0);
const dot = (a, b) => { let s = 0; for (let i = 0; i < a.length; ++i) s += a[i] * b[i]; return s; };
const fmt = (x, d = 1) => x.toFixed(d);

async function timeIt(fn) {
  const t0 = performance.now();
  const out = await fn();
  return { ms: performance.now() - t0, out };
}

console.log(`# embed benchmark — ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(`texts: ${texts.length} (${source}), ${(chars / texts.length).toFixed(0)} chars on average; ` +
  `threads ${opts.threads}, batch ${opts.batch}\n`);

// ---- Node ----------------------------------------------------------------------------------
env.allowRemoteModels = false;
env.localModelPath = fileURLToPath(new URL('.cache/models/', ROOT));
const tjs = await pipeline('feature-extraction', 'minilm-l6-shaped', {
  dtype: 'q8', device: 'cpu', session_options: { intraOpNumThreads: opts.threads, interOpNumThreads: 1 },
});
async function runTransformers() {
  const out = [];
  for (let i = 0; i < texts.length; i += opts.batch) {
    const t = await tjs(texts.slice(i, i + opts.batch), { pooling: 'mean', normalize: true, truncation: true });
    out.push(...t.tolist());
  }
  return out;
}
await init();
const cold = await timeIt(() => loadModel({ dir: fileURLToPath(MINILM), backend: 'node', numThreads: opts.threads }));
const oursNode = cold.out;
const oursWeb = await loadModel({ dir: fileURLToPath(MINILM), backend: 'web', numThreads: opts.threads });

// Warm up each once, then verify they agree before timing anything.
const warm = texts.slice(0, opts.batch);
await tjs(warm, { pooling: 'mean', normalize: true });
await oursNode.embed(warm);
await oursWeb.embed(warm);

const a = await timeIt(runTransformers);
const b = await timeIt(() => oursNode.embed(texts, { batchSize: opts.batch }));
const c = await timeIt(() => oursWeb.embed(texts, { batchSize: opts.batch }));
let worst = 1;
for (let i = 0; i < texts.length; ++i) worst = Math.min(worst, dot(a.out[i], b.out[i]));
const rate = (r) => texts.length / (r.ms / 1000);
console.log('## Node (MiniLM-L6-shaped, int8)');
console.log('| contender | texts/s | vs transformers.js |');
console.log('| --- | ---: | ---: |');
console.log(`| transformers.js pipeline (onnxruntime-node, input-order batches) | ${fmt(rate(a))} | 1.00x |`);
console.log(`| localrec on onnxruntime-node (length-sorted batches) | ${fmt(rate(b))} | ${fmt(rate(b) / rate(a), 2)}x |`);
console.log(`| localrec on ORT Web wasm | ${fmt(rate(c))} | ${fmt(rate(c) / rate(a), 2)}x |`);
console.log(`\nagreement: worst cosine ours vs transformers.js ${worst.toFixed(4)} (int8, different batch mates)`);
console.log(`loadModel (onnxruntime-node, core already loaded): ${fmt(cold.ms, 0)} ms; ` +
  `RSS ${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB\n`);
await oursNode.dispose();
await oursWeb.dispose();
await tjs.dispose();

// ---- The embedded models: USE Lite (the default) and the BERT distilled from it -----------
console.log('## Embedded models (int8, ORT Web wasm in Node)');
// Not a cold start: ONNX Runtime Web is already started in this process (a user's start-up, cold
// and warm, in Node and Chromium, is `npm run bench:demo`).
console.log('| model | loadModel (ORT Web already started) | texts/s, batches | median ms per short post |');
console.log('| --- | ---: | ---: | ---: |');
const shortPosts = texts.slice(0, 50).map((t) => t.split('\n')[0]);
for (const name of ['use-lite', 'use-lite-bert-2x128']) {
  const cold = await timeIt(() => loadModel({ name, backend: 'web', numThreads: opts.threads }));
  const m = cold.out;
  await m.embed(warm);
  const u = await timeIt(() => m.embed(texts, { batchSize: opts.batch }));
  const perPost = [];
  for (const t of shortPosts) perPost.push((await timeIt(() => m.embed([t]))).ms);
  perPost.sort((x, y) => x - y);
  console.log(`| ${name}${name === DEFAULT_MODEL ? ' (default)' : ''} | ${fmt(cold.ms, 0)} ms | ${fmt(rate(u))} (${opts.batch}) | ` +
    `${fmt(perPost[perPost.length >> 1], 2)} |`);
  await m.dispose();
}
console.log('');

// ---- Chromium -------------------------------------------------------------------------------
if (opts.browser) {
  const { launchBrowser, openModulePage, startServer } = await import('../dev/harness.mjs');
  const server = await startServer({ isolated: opts.threads > 1 });
  const browser = await launchBrowser();
  try {
    const { page } = await openModulePage(browser, server);
    const r = await page.evaluate(async ({ texts, threads, batch }) => {
      const lr = await import('localrec');
      const { env: tenv, pipeline: tpipe } = await import('@huggingface/transformers');
      tenv.allowRemoteModels = false;
      tenv.allowLocalModels = true;
      tenv.localModelPath = '/.cache/models/';
      tenv.backends.onnx.wasm.wasmPaths = '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/';
      tenv.backends.onnx.wasm.numThreads = threads;
      const t = await tpipe('feature-extraction', 'minilm-l6-shaped', { dtype: 'q8', device: 'wasm' });
      const ours = await lr.loadModel({ url: '/.cache/models/minilm-l6-shaped/', numThreads: threads });
      const warm = texts.slice(0, batch);
      await t(warm, { pooling: 'mean', normalize: true });
      await ours.embed(warm);
      let t0 = performance.now();
      for (let i = 0; i < texts.length; i += batch) await t(texts.slice(i, i + batch), { pooling: 'mean', normalize: true, truncation: true });
      const theirs = performance.now() - t0;
      t0 = performance.now();
      await ours.embed(texts, { batchSize: batch });
      const mine = performance.now() - t0;
      return { theirs, mine };
    }, { texts, threads: opts.threads, batch: opts.batch });
    const tr = texts.length / (r.theirs / 1000), ou = texts.length / (r.mine / 1000);
    console.log('## Chromium (ORT Web wasm, both)');
    console.log('| contender | texts/s | vs transformers.js |');
    console.log('| --- | ---: | ---: |');
    console.log(`| transformers.js pipeline | ${fmt(tr)} | 1.00x |`);
    console.log(`| localrec | ${fmt(ou)} | ${fmt(ou / tr, 2)}x |`);
  } finally {
    await browser.close();
    await server.close();
  }
}
