// The generated tiny BERT (web/models/tiny-bert/, models/tiny_bert/generate.py) is a valid
// Hugging Face BERT: transformers.js loads it from the local folder and its feature-extraction
// pipeline (mean pooling, normalised) agrees with onnxruntime-node running the same files and
// with a numpy BERT written from the definition (models/tiny_bert/reference.py), in fp32 and
// int8; and its tokenizer.json tokenises like a WordPiece tokenizer built from its vocab.txt.
// Needs the bundle: scripts/build-models.sh.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { env, pipeline } from '@huggingface/transformers';
import * as hf from '@anush008/tokenizers';
import { cosine, summary } from '../../dev/stats.mjs';

const ROOT = new URL('../../', import.meta.url);
const DIR = new URL('web/models/tiny-bert/', ROOT);
const BATCH = 16;
const FILES = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' };
// Same files, same runtime: only float summation order may differ. Independent numpy: fp32
// differs by rounding; int8 by the rare activation that rounds the other way.
const MIN_COSINE = { fp32: 0.9999, q8: 0.999 };

let texts, config;

before(() => {
  assert.ok(existsSync(new URL('config.json', DIR)), 'web/models/tiny-bert is missing: run scripts/build-models.sh');
  config = JSON.parse(readFileSync(new URL('config.json', DIR)));
  texts = readFileSync(new URL('tests/fixtures/sentences.jsonl', ROOT), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l).text).filter((_, i) => i % 5 === 0);
  env.localModelPath = fileURLToPath(new URL('web/models/', ROOT));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
});

test('the folder has the Hugging Face layout and a bert-base-uncased vocabulary', () => {
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json',
    'special_tokens_map.json', 'vocab.txt', FILES.fp32, FILES.q8]) {
    assert.ok(existsSync(new URL(f, DIR)), f);
  }
  assert.equal(config.model_type, 'bert');
  assert.equal(config.num_hidden_layers, 2);
  assert.equal(config.hidden_size, 128);
  const vocab = readFileSync(new URL('vocab.txt', DIR), 'utf8').split('\n').slice(0, -1);
  assert.equal(vocab.length, 30522);
  assert.deepEqual([vocab[0], vocab[1], vocab[100], vocab[101], vocab[102], vocab[103]],
    ['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  // Well-known bert-base-uncased ids ("Hello, my dog is cute" = 7592 1010 2026 3899 2003 10140).
  assert.deepEqual(['hello', ',', 'my', 'dog', 'is', 'cute', 'the', '##s'].map((t) => vocab.indexOf(t)),
    [7592, 1010, 2026, 3899, 2003, 10140, 1996, 2015]);
});

test('tokenizer.json == vocab.txt: transformers.js, HF tokenizers (Rust) from tokenizer.json and '
  + 'from vocab.txt give the same ids', async () => {
  const fromJson = hf.Tokenizer.fromString(readFileSync(new URL('tokenizer.json', DIR), 'utf8'));
  const fromVocab = new hf.Tokenizer(await hf.WordPiece.fromFile(fileURLToPath(new URL('vocab.txt', DIR)),
    { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 }));
  fromVocab.setNormalizer(hf.bertNormalizer({ cleanText: true, handleChineseChars: true, lowercase: true }));
  fromVocab.setPreTokenizer(hf.bertPreTokenizer());
  fromVocab.setPostProcessor(hf.bertProcessing(['[SEP]', 102], ['[CLS]', 101]));
  const extractor = await pipeline('feature-extraction', 'tiny-bert', { dtype: 'fp32' });
  const probe = [...texts, 'Ünïcödé façade, naïve café — 東京 and emoji 🎉!', 'x'.repeat(120), ''];
  for (const text of probe) {
    const a = Array.from((await fromJson.encode(text)).getIds());
    const b = Array.from((await fromVocab.encode(text)).getIds());
    const c = extractor.tokenizer(text, { truncation: false }).input_ids.tolist()[0].map(Number);
    assert.deepEqual(a, b, text);
    assert.deepEqual(c, a, text);
  }
  await extractor.dispose();
});

/** transformers.js's tokenisation of one batch, padded to its longest member. */
function tokenizeBatch(tokenizer, batch) {
  const enc = tokenizer(batch, { padding: true, truncation: true });
  const rows = (t) => t.tolist().map((r) => r.map(Number));
  return {
    input_ids: rows(enc.input_ids),
    attention_mask: rows(enc.attention_mask),
    token_type_ids: rows(enc.token_type_ids),
  };
}

async function ortEmbed(session, batches) {
  const out = [];
  for (const b of batches) {
    const B = b.input_ids.length;
    const T = b.input_ids[0].length;
    const feed = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [B, T]);
    const res = await session.run({
      input_ids: feed(b.input_ids), attention_mask: feed(b.attention_mask),
      token_type_ids: feed(b.token_type_ids),
    });
    const h = res.last_hidden_state;
    const H = h.dims[2];
    for (let r = 0; r < B; r++) {
      const v = new Float64Array(H);
      let n = 0;
      for (let t = 0; t < T; t++) {
        if (!b.attention_mask[r][t]) continue;
        n++;
        for (let d = 0; d < H; d++) v[d] += h.data[(r * T + t) * H + d];
      }
      const norm = Math.hypot(...v.map((x) => x / n));
      out.push(Float32Array.from(v, (x) => x / n / norm));
    }
  }
  return out;
}

function numpyEmbed(modelFile, batches) {
  const stdout = execFileSync('/usr/bin/python3', [fileURLToPath(new URL('models/tiny_bert/reference.py', ROOT))], {
    input: JSON.stringify({ model: fileURLToPath(new URL(modelFile, DIR)), heads: config.num_attention_heads, batches }),
    maxBuffer: 1 << 28,
  });
  return JSON.parse(stdout).embeddings;
}

for (const dtype of ['fp32', 'q8']) {
  test(`${dtype}: transformers.js pipeline == onnxruntime-node == numpy BERT on ${BATCH}-text batches`, async (t) => {
    const extractor = await pipeline('feature-extraction', 'tiny-bert', { dtype });
    const batches = [];
    const theirs = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      batches.push(tokenizeBatch(extractor.tokenizer, batch));
      const out = await extractor(batch, { pooling: 'mean', normalize: true });
      theirs.push(...out.tolist().map((v) => Float32Array.from(v)));
    }
    await extractor.dispose();
    const session = await ort.InferenceSession.create(fileURLToPath(new URL(FILES[dtype], DIR)),
      { intraOpNumThreads: 1 });
    const ours = await ortEmbed(session, batches);
    await session.release();
    const numpy = numpyEmbed(FILES[dtype], batches);

    assert.equal(theirs.length, texts.length);
    assert.equal(ours.length, texts.length);
    assert.equal(numpy.length, texts.length);
    const vsPipeline = summary(ours.map((v, i) => cosine(v, theirs[i])));
    const vsNumpy = summary(ours.map((v, i) => cosine(v, numpy[i])));
    // What an unrelated text scores, so that the thresholds above mean something.
    const others = summary(ours.map((v, i) => cosine(v, numpy[(i + 1) % numpy.length])));
    t.diagnostic(`${texts.length} texts: cosine to transformers.js min ${vsPipeline.min.toFixed(6)}, `
      + `to numpy min ${vsNumpy.min.toFixed(6)}; neighbouring texts mean ${others.mean.toFixed(3)}`);
    assert.ok(vsPipeline.min >= MIN_COSINE[dtype], `vs transformers.js ${vsPipeline.min}`);
    assert.ok(vsNumpy.min >= MIN_COSINE[dtype], `vs numpy ${vsNumpy.min}`);
    assert.ok(others.mean < 0.8 && others.max < 0.99, `the model is degenerate: ${JSON.stringify(others)}`);
  });
}
