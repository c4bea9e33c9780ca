// The package's encoder, end to end as a user calls it: loadModel() -> model.embed(), for the
// embedded default (the distilled BERT, docs/distill.md), USE Lite (held against the TF.js original) and a Hugging Face BERT folder (held against
// transformers.js's feature-extraction pipeline on the same files), plus the load-time checks
// that refuse broken or mismatched bundles. Needs the bundles from scripts/build-models.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { env, pipeline } from '@huggingface/transformers';
import { DEFAULT_MODEL, init, loadModel } from 'localrec';
import { referenceEmbeddings } from '../../dev/use-reference.mjs';
import { cosine, rng, spearman } from '../../dev/stats.mjs';

const ROOT = new URL('../../', import.meta.url);
const MODELS = new URL('web/models/', ROOT);
const sentences = readFileSync(new URL('tests/fixtures/sentences.jsonl', ROOT), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l).text);

function readDir(dir, files) {
  return Object.fromEntries(files.map((f) => [f, readFileSync(new URL(f, dir))]));
}
const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

let useLite;
before(async () => {
  await init();
  useLite = await loadModel({ name: 'use-lite', backend: 'web' });
});
after(async () => { await useLite?.dispose(); });

test('loadModel() gives the embedded default, USE Lite, without any network', async () => {
  assert.equal(DEFAULT_MODEL, 'use-lite');
  const model = await loadModel({ backend: 'web' });
  try {
    assert.equal(model.name, 'use-lite-int8');
    assert.equal(model.dims, 512);
    assert.equal(model.maxLength, 128);
    assert.equal(model.backend, 'web');
    const manifest = JSON.parse(readFileSync(new URL('use-lite/manifest.json', MODELS)));
    assert.equal(model.fingerprint, manifest.model.sha256);
    assert.equal(model.fingerprint, useLite.fingerprint);
    assert.match(model.fingerprint, /^[0-9a-f]{64}$/);
  } finally {
    await model.dispose();
  }
});

test('the distilled BERT loads by name, without any network, and reproduces USE Lite', async () => {
  const model = await loadModel({ name: 'use-lite-bert-2x128', backend: 'web' });
  try {
    assert.equal(model.name, 'use-lite-bert-2x128');
    assert.equal(model.dims, 512);
    const manifest = JSON.parse(readFileSync(new URL('use-lite-bert-2x128/manifest.json', MODELS)));
    assert.equal(model.fingerprint, manifest.model.sha256);
    // A related pair is closer than an unrelated one for both.
    const texts = ['a text editor for programmers', 'an editor for source code with syntax highlighting',
      'a game of chess against the computer'];
    for (const [a, b, c] of [await model.embed(texts), await useLite.embed(texts)]) {
      assert.ok(cosine(a, b) > cosine(a, c) + 0.1, `${cosine(a, b)} vs ${cosine(a, c)}`);
    }
  } finally {
    await model.dispose();
  }
});

test('USE Lite matches the TF.js original on 1,000+ real sentences', async () => {
  const texts = sentences.slice(0, 1000);
  const ours = await useLite.embed(texts);
  const reference = await referenceEmbeddings(texts);
  let worst = 1;
  for (let i = 0; i < texts.length; ++i) {
    assert.equal(ours[i].length, 512);
    assert.ok(Math.abs(norm(ours[i]) - 1) < 1e-4, `vector ${i} is not unit length`);
    worst = Math.min(worst, cosine(ours[i], reference[i]));
  }
  assert.ok(worst >= 0.995, `worst cosine to the TF.js original ${worst.toFixed(5)} < 0.995`);
  // Which of two sentences is closer to a third is preserved: similarities correlate by rank.
  const random = rng(7);
  const a = [], b = [];
  for (let k = 0; k < 3000; ++k) {
    const i = Math.floor(random() * texts.length), j = Math.floor(random() * texts.length);
    a.push(cosine(ours[i], ours[j]));
    b.push(cosine(reference[i], reference[j]));
  }
  assert.ok(spearman(a, b) >= 0.99, `similarity ranking Spearman ${spearman(a, b)}`);
});

test('embedding is deterministic, order-preserving, and independent of the input order', async () => {
  const texts = sentences.slice(0, 40);
  const a = await useLite.embed(texts, { batchSize: 8 });
  const b = await useLite.embed(texts, { batchSize: 8 });
  assert.deepEqual(a.map((v) => [...v]), b.map((v) => [...v]));
  // Reversed input: batches are planned from the texts' content, so the same batches form and
  // every text gets exactly the same vector back, at its own position.
  const reversed = await useLite.embed([...texts].reverse(), { batchSize: 8 });
  for (let i = 0; i < texts.length; ++i) assert.deepEqual([...reversed[texts.length - 1 - i]], [...a[i]]);
  // Batch composition changes int8 activations only slightly.
  const single = await useLite.embed(texts.slice(0, 5), { batchSize: 1 });
  for (let i = 0; i < 5; ++i) assert.ok(cosine(a[i], single[i]) > 0.995);
});

test('long texts are cut at the model maximum and reported; empty strings embed', async () => {
  const long = 'astronomy telescope '.repeat(400);
  const out = await useLite.embed(['short text', long, '']);
  assert.deepEqual(out.truncated, [1]);
  assert.equal(out.tokenCounts[1], 128);
  assert.ok(Math.abs(norm(out[2]) - 1) < 1e-4 || norm(out[2]) === 0);
});

test('embed() refuses bad input clearly and keeps working', async () => {
  await assert.rejects(useLite.embed([]), { code: 'InvalidArgument', message: /at least one text/ });
  await assert.rejects(useLite.embed('not an array'), { code: 'InvalidArgument', message: /array of strings/ });
  await assert.rejects(useLite.embed(['ok', 42]), /text 1 is number/);
  await assert.rejects(useLite.embed(['ok', null]), /text 1 is null/);
  await assert.rejects(useLite.embed(['bad \ud800 surrogate']), { code: 'InvalidUtf8', message: /lone UTF-16 surrogate/ });
  await assert.rejects(useLite.embed(['x'], { batchSize: 0 }), { code: 'InvalidArgument', message: /batchSize/ });
  const [v] = await useLite.embed(['still works']);
  assert.equal(v.length, 512);
});

test('a Hugging Face BERT folder matches transformers.js (fp32 and int8)', async () => {
  env.localModelPath = fileURLToPath(MODELS);
  env.allowRemoteModels = false;
  const texts = sentences.filter((_, i) => i % 5 === 0).slice(0, 200);
  for (const [dtype, quantized, batchSize, bar] of [['fp32', false, 16, 0.9999], ['q8', true, 1, 0.999]]) {
    const ours = await loadModel({ dir: fileURLToPath(new URL('tiny-bert/', MODELS)), quantized, backend: 'node' });
    const extractor = await pipeline('feature-extraction', 'tiny-bert', { dtype });
    try {
      assert.equal(ours.dims, 128);
      const mine = await ours.embed(texts, { batchSize });
      let worst = 1;
      // int8: one text per call on both sides, so each sees the same batch (per-tensor dynamic
      // quantisation makes a text's result depend on its batch mates).
      for (let i = 0; i < texts.length; i += batchSize) {
        const chunk = texts.slice(i, i + batchSize);
        const theirs = (await extractor(chunk, { pooling: 'mean', normalize: true })).tolist();
        chunk.forEach((_, j) => { worst = Math.min(worst, cosine(mine[i + j], theirs[j])); });
      }
      assert.ok(worst >= bar, `${dtype}: worst cosine to transformers.js ${worst} < ${bar}`);
    } finally {
      await ours.dispose();
      await extractor.dispose();
    }
  }
});

test('bundles whose parts do not belong together are refused at load time', async () => {
  const use = readDir(new URL('use-lite/', MODELS), ['manifest.json', 'model.onnx', 'vocab.json']);
  const bert = readDir(new URL('tiny-bert/', MODELS), ['vocab.txt']);
  const manifest = JSON.parse(use['manifest.json']);
  // A WordPiece vocabulary (30522 tokens) on USE Lite (8000-row embedding table).
  const wrongTokenizer = { ...manifest, tokenizer: { kind: 'wordpiece', format: 'vocab.txt', file: 'vocab.txt' } };
  await assert.rejects(loadModel({ files: { ...use, 'vocab.txt': bert['vocab.txt'], 'manifest.json': JSON.stringify(wrongTokenizer) } }),
    /do not belong together/);
  // Model bytes that changed after the manifest was written.
  const damaged = new Uint8Array(use['model.onnx']);
  damaged[damaged.length - 10] ^= 0xff;
  await assert.rejects(loadModel({ files: { ...use, 'model.onnx': damaged } }), /does not match its manifest/);
  // Garbage instead of a model, with a manifest that agrees with it.
  const garbage = new TextEncoder().encode('not an onnx model');
  const { sha256Hex } = await import('../../web/src/hash.js');
  const m2 = { ...manifest, model: { file: 'model.onnx', sha256: await sha256Hex(garbage) } };
  await assert.rejects(loadModel({ files: { ...use, 'model.onnx': garbage, 'manifest.json': JSON.stringify(m2) } }),
    /not a model ONNX Runtime can load/);
  // Wrong dims in the manifest.
  const m3 = { ...manifest, dims: 384 };
  await assert.rejects(loadModel({ files: { ...use, 'manifest.json': JSON.stringify(m3) } }), /implies \[1,384\]/);
  // Missing files and bad manifests.
  await assert.rejects(loadModel({ files: { 'manifest.json': use['manifest.json'] } }), /model.onnx is missing/);
  await assert.rejects(loadModel({ files: { 'manifest.json': '{"format":"localrec-model","formatVersion":9}' } }), /formatVersion 9 is not supported/);
  await assert.rejects(loadModel({ files: { 'manifest.json': '{oops' } }), /not valid JSON/);
  await assert.rejects(loadModel({ files: {} }), /neither manifest.json nor a Hugging Face config.json/);
  await assert.rejects(loadModel({ name: '../etc' }), /invalid model name/);
  await assert.rejects(loadModel({ url: 'x', dir: 'y' }), /only one of/);
});

test('loadModel({ url }) downloads a bundle, and a failed download is a clear error', async () => {
  const dir = new URL('use-lite/', MODELS);
  let mode = 'ok';
  const server = http.createServer((req, res) => {
    const file = req.url.replace(/^\/m\//, '');
    if (mode === 'fail' && file === 'model.onnx') { res.writeHead(503); res.end(); return; }
    if (mode === 'drop' && file === 'model.onnx') {
      res.writeHead(200, { 'Content-Length': 7222296 });
      res.write(new Uint8Array(1000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    try { res.end(readFileSync(new URL(file, dir))); } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/m/`;
  try {
    const model = await loadModel({ url, backend: 'web' });
    assert.equal(model.fingerprint, useLite.fingerprint);
    const [a] = await model.embed(['the same text']);
    const [b] = await useLite.embed(['the same text']);
    assert.ok(cosine(a, b) > 0.99999);
    await model.dispose();
    mode = 'fail';
    await assert.rejects(loadModel({ url }), /HTTP 503/);
    mode = 'drop';
    await assert.rejects(loadModel({ url }), /interrupted|truncated|terminated|failed/);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('a disposed model refuses further work', async () => {
  const model = await loadModel({ backend: 'web' });
  await model.dispose();
  await model.dispose();  // twice is fine
  await assert.rejects(model.embed(['x']), { code: 'Disposed', message: /disposed/ });
});

test('loadModel({ dir }) takes a relative path, an absolute path or a file: URL', async () => {
  const folder = new URL('tiny-bert/', MODELS);
  const { relative } = await import('node:path');
  const [probe] = sentences;
  const results = [];
  for (const dir of [relative(process.cwd(), fileURLToPath(folder)), fileURLToPath(folder), folder]) {
    const m = await loadModel({ dir, backend: 'node' });
    try {
      results.push(Array.from((await m.embed([probe]))[0]));
    } finally {
      m.dispose();
    }
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(results[0], results[2]);
  await assert.rejects(loadModel({ dir: 'no/such/folder' }), /manifest|not found|no such|missing/i);
});
