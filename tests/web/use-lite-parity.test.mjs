// Parity of the converted embedded default (web/models/use-lite{,-fp32}, written by
// models/use_lite/convert.py) with the original TF.js Universal Sentence Encoder Lite, on the
// 1,250 real texts of tests/fixtures/sentences.jsonl, in onnxruntime-node and onnxruntime-web (wasm).
// Tokenisation is the original TF.js tokenizer's, so only the model conversion is under test.
// Needs the bundles: scripts/build-models.sh (the reference's embeddings are cached, see
// dev/use-reference.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { referenceEmbeddings, referenceTokens, MAX_LENGTH, DIMS } from '../../dev/use-reference.mjs';
import { embedTokens } from '../../dev/ort-run.mjs';
import { cosine, dot, rng, spearman, summary } from '../../dev/stats.mjs';

const ROOT = new URL('../../', import.meta.url);
const BUNDLES = { fp32: 'web/models/use-lite-fp32/', int8: 'web/models/use-lite/' };
const MIN_COSINE = { fp32: 0.99999, int8: 0.995 };
const MIN_SPEARMAN = { fp32: 0.9999, int8: 0.99 };
const PAIRS = 5000;

ortWeb.env.wasm.numThreads = 1;  // no worker threads in the test process
const RUNTIMES = { 'onnxruntime-node': ortNode, 'onnxruntime-web (wasm)': ortWeb };

let texts, tokens, reference, pairs, referenceSims;

before(async () => {
  for (const dir of Object.values(BUNDLES)) {
    assert.ok(existsSync(new URL(`${dir}manifest.json`, ROOT)),
      `${dir} is missing: run scripts/build-models.sh`);
  }
  texts = readFileSync(new URL('tests/fixtures/sentences.jsonl', ROOT), 'utf8')
    .trim().split('\n').map((l) => JSON.parse(l).text);
  tokens = (await referenceTokens(texts)).map((t) => t.slice(0, MAX_LENGTH));
  reference = await referenceEmbeddings(texts);
  const random = rng(20240601);
  pairs = Array.from({ length: PAIRS }, () => {
    const a = Math.floor(random() * texts.length);
    let b = Math.floor(random() * (texts.length - 1));
    if (b >= a) b++;
    return [a, b];
  });
  referenceSims = pairs.map(([a, b]) => dot(reference[a], reference[b]));
});

test('the test data exercise what matters: >= 1,000 texts, some longer than 128 tokens', () => {
  assert.ok(texts.length >= 1000);
  assert.ok(tokens.every((t) => t.length > 0));
  const long = texts.filter((_, i) => tokens[i].length === MAX_LENGTH);
  assert.ok(long.length >= 20, `only ${long.length} texts reach ${MAX_LENGTH} tokens`);
  // The reference is not degenerate: unrelated pairs are far apart on average.
  const s = summary(referenceSims);
  assert.ok(s.mean < 0.4 && s.max > 0.6, JSON.stringify(s));
});

function sessionOptions(ort) {
  return ort === ortWeb ? { executionProviders: ['wasm'] } : { intraOpNumThreads: 1 };
}

for (const [runtime, ort] of Object.entries(RUNTIMES)) {
  for (const variant of ['fp32', 'int8']) {
    test(`${variant} on ${runtime}: every text's cosine to the original >= ${MIN_COSINE[variant]}, `
      + `pair-similarity ranking preserved`, async (t) => {
      const bytes = readFileSync(new URL(`${BUNDLES[variant]}model.onnx`, ROOT));
      const session = await ort.InferenceSession.create(bytes, sessionOptions(ort));
      try {
        assert.deepEqual(session.inputNames, ['input_ids', 'attention_mask']);
        assert.deepEqual(session.outputNames, ['embedding']);
        const ours = await embedTokens(ort, session, tokens, { batchSize: 32 });
        const cos = ours.map((v, i) => {
          assert.equal(v.length, DIMS);
          assert.ok(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-4, `text ${i} not L2-normalised`);
          return cosine(v, reference[i]);
        });
        const worst = cos.indexOf(Math.min(...cos));
        const s = summary(cos);
        const rho = spearman(referenceSims, pairs.map(([a, b]) => dot(ours[a], ours[b])));
        t.diagnostic(`cosine min ${s.min.toFixed(6)} (1 - min = ${(1 - s.min).toExponential(1)}) `
          + `p01 ${s.p01.toFixed(6)} mean ${s.mean.toFixed(6)}; `
          + `Spearman over ${PAIRS} pairs ${rho.toFixed(6)}`);
        assert.ok(s.min >= MIN_COSINE[variant],
          `text ${worst} (${JSON.stringify(texts[worst].slice(0, 80))}): cosine ${s.min}`);
        assert.ok(rho >= MIN_SPEARMAN[variant], `Spearman ${rho}`);
      } finally {
        await session.release();
      }
    });
  }
}

test('int8 one text per run (no other texts in the batch) on onnxruntime-node', async (t) => {
  const bytes = readFileSync(new URL(`${BUNDLES.int8}model.onnx`, ROOT));
  const session = await ortNode.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const ours = await embedTokens(ortNode, session, tokens, { batchSize: 1 });
    const s = summary(ours.map((v, i) => cosine(v, reference[i])));
    t.diagnostic(`cosine min ${s.min.toFixed(6)} mean ${s.mean.toFixed(6)}`);
    assert.ok(s.min >= MIN_COSINE.int8, `min cosine ${s.min}`);
  } finally {
    await session.release();
  }
});
