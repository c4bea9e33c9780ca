// The committed distilled students (models/distilled/NAME/, docs/distill.md) are complete model
// bundles that load through the BERT path:
// - manifest.json follows the bundle contract and agrees with the files (sha256, sizes, the ONNX
//   graph's inputs/outputs, the int8 op set);
// - tokenizer.json and vocab.txt are bert-base-uncased's vocabulary, and the Hugging Face Rust
//   tokenizer (@anush008/tokenizers) reading tokenizer.json gives the ids that vocab.txt implies;
// - run by onnxruntime-node, mean-pooled and normalised as the manifest says, the student agrees
//   with the teacher (the embedded default, web/models/use-lite) on real sentences it was not
//   trained on, and ranks a related pair above an unrelated one like the teacher does;
// - when the package's loadModel() exists, loadModel({ name }) gives the same vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

import { dot, studentEncoder, teacherEncoder } from '../../dev/encoders.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DISTILLED = path.join(ROOT, 'models/distilled');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const names = existsSync(DISTILLED) ? readdirSync(DISTILLED).sort() : [];

// Held-out texts of the distillation corpus (never trained on): Debian descriptions, dictionary
// definitions and fortune cookies, taken from WORK/corpus/heldout.tsv when the bundle was made.
const heldout = readFileSync(path.join(ROOT, 'models/distill/heldout-sample.tsv'), 'utf8')
  .split('\n').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1));

test('at least one distilled student is committed', () => {
  assert.ok(names.length >= 1, `no bundle in ${DISTILLED}`);
});

for (const name of names) {
  const dir = path.join(DISTILLED, name);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

  test(`${name}: the manifest follows the bundle contract and matches the files`, async () => {
    assert.equal(manifest.format, 'localrec-model');
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.name, name);
    assert.equal(manifest.license, 'Apache-2.0');
    assert.equal(manifest.dims, 512);
    assert.equal(manifest.maxLength, 128);
    // English students: bert-base-uncased's 30,522 pieces; bilingual ones add Han characters.
    const bilingual = (manifest.languages ?? ['en']).includes('zh');
    if (bilingual) assert.ok(manifest.vocabSize > 30522 && manifest.vocabSize < 65536, `${manifest.vocabSize}`);
    else assert.equal(manifest.vocabSize, 30522);
    assert.deepEqual(manifest.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.equal(manifest.output, 'last_hidden_state');
    assert.equal(manifest.pooling, 'mean');
    assert.equal(manifest.normalize, true);
    assert.equal(manifest.precision, 'int8');
    assert.deepEqual({ ...manifest.tokenizer, sha256: undefined },
      { kind: 'wordpiece', format: 'tokenizer.json', file: 'tokenizer.json', options: {}, sha256: undefined });
    const model = readFileSync(path.join(dir, manifest.model.file));
    assert.equal(model.length, manifest.model.bytes);
    assert.ok(model.length <= 15e6, `${model.length} bytes is over the 15 MB budget`);
    assert.ok(manifest.calibration && manifest.calibration.joinThreshold < manifest.calibration.mergeThreshold,
      'no calibration in the manifest (models/distill/calibrate.mjs --write)');
    assert.equal(sha256(model), manifest.model.sha256);
    assert.equal(sha256(readFileSync(path.join(dir, 'tokenizer.json'))), manifest.tokenizer.sha256);
    for (const f of ['LICENSE', 'PROVENANCE.md', 'config.json', 'tokenizer_config.json', 'vocab.txt']) {
      assert.ok(existsSync(path.join(dir, f)), `${f} is missing`);
    }
    const session = await ort.InferenceSession.create(model);
    assert.deepEqual([...session.inputNames].sort(), ['attention_mask', 'input_ids', 'token_type_ids']);
    assert.deepEqual(session.outputNames, ['last_hidden_state']);
    // The int8 op set of Optimum's dynamic quantisation, which ORT Web runs.
    const text = model.toString('latin1');
    for (const op of ['DynamicQuantizeLinear', 'MatMulInteger']) assert.ok(text.includes(op), `no ${op} node`);
  });

  test(`${name}: tokenizer.json and vocab.txt are bert-base-uncased's (plus Han characters)`, async () => {
    const vocab = readFileSync(path.join(dir, 'vocab.txt'), 'utf8').split('\n').slice(0, -1);
    assert.equal(vocab.length, manifest.vocabSize);
    // Added pieces are single CJK characters or punctuation: whole words for BERT's pre-tokenizer.
    assert.ok(vocab.slice(30522).every((p) => [...p].length === 1 && !/[a-z0-9#]/.test(p)));
    assert.deepEqual([vocab[0], vocab[100], vocab[101], vocab[102], vocab[1996]], ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the']);
    const tj = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
    assert.deepEqual(Object.entries(tj.model.vocab).sort((a, b) => a[1] - b[1]).map(([t]) => t), vocab);
    assert.equal(tj.truncation.max_length, 128);
    const { Tokenizer } = await import('@anush008/tokenizers');
    const tok = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    // Ids every bert-base-uncased user has seen, and the WordPiece example of Hugging Face's
    // tokenizer summary ("I have a new GPU!"); the accent is stripped by the uncased normaliser.
    assert.deepEqual((await tok.encode('Héllo, world!')).getIds(), [101, 7592, 1010, 2088, 999, 102]);
    assert.deepEqual((await tok.encode('I have a new GPU!')).getIds().map((i) => vocab[i]),
      ['[CLS]', 'i', 'have', 'a', 'new', 'gp', '##u', '!', '[SEP]']);
  });

  test(`${name}: agrees with the teacher on held-out sentences`, async () => {
    const teacherDir = path.join(ROOT, 'web/models/use-lite');
    assert.ok(existsSync(path.join(teacherDir, 'manifest.json')), 'web/models/use-lite is missing: run scripts/build-models.sh');
    const teacher = await teacherEncoder(teacherDir);
    const student = await studentEncoder(path.join(dir, 'model.onnx'), path.join(dir, 'tokenizer.json'));
    const [t, s] = [await teacher.embed(heldout), await student.embed(heldout)];
    const cos = s.map((v, i) => dot(v, t[i]));
    const mean = cos.reduce((a, b) => a + b, 0) / cos.length;
    // The figure measured when the bundle was made is in PROVENANCE.md; this bound leaves room
    // for the sample, not for a broken model (an untrained student scores ~0.05).
    assert.ok(mean >= 0.75, `mean cosine to the teacher ${mean.toFixed(3)}`);
    // Related above unrelated, as for the teacher.
    const [a, b, c] = await student.embed(['a text editor for programmers',
      'an editor for source code with syntax highlighting', 'a game of chess against the computer']);
    assert.ok(dot(a, b) > dot(a, c) + 0.1, `related ${dot(a, b).toFixed(3)} vs unrelated ${dot(a, c).toFixed(3)}`);
  });

  test(`${name}: loadModel({ name }) gives the reference vectors`, async () => {
    const localrec = await import('localrec');
    const web = path.join(ROOT, 'web/models', name, 'manifest.json');
    assert.ok(existsSync(web), `${web} is missing: run scripts/build-models.sh distilled`);
    await localrec.init();
    const model = await localrec.loadModel({ name });
    try {
      assert.equal(model.dims, 512);
      assert.equal(model.fingerprint, manifest.model.sha256);
      const student = await studentEncoder(path.join(dir, 'model.onnx'), path.join(dir, 'tokenizer.json'));
      const texts = heldout.slice(0, 40);
      const [ours, ref] = [await model.embed(texts), await student.embed(texts)];
      // int8 activations are quantised per batch, so batch composition may differ slightly.
      ours.forEach((v, i) => assert.ok(dot(v, ref[i]) >= 0.995, `text ${i}: ${dot(v, ref[i])}`));
    } finally {
      model.dispose();
    }
  });
}
