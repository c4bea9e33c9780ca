// The wasm tokenizers against the golden files written by the reference implementations
// (dev/gen/token-goldens.mjs; the Catch2 tests read the same files for the native build):
// native == wasm == reference. Plus the JS surface: options, errors, dispose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { init, Tokenizer } from 'localrec';

const goldenDir = process.env.LOCALREC_TOKEN_GOLDENS ??
  new URL('../../build/goldens/tokenizers/', import.meta.url).pathname;
if (!existsSync(`${goldenDir}/wordpiece.jsonl`)) {
  throw new Error(`no tokenizer goldens in ${goldenDir}: run node dev/gen/token-goldens.mjs`);
}
const file = (name) => readFileSync(`${goldenDir}/${name}`);
const lines = (name) => file(name).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
const wordpieceGoldens = lines('wordpiece.jsonl');
const unigramGoldens = lines('unigram.jsonl');
const optionGoldens = lines('wordpiece-options.jsonl');

await init();
const NO_LIMIT = 2 ** 30;
const asNumbers = (big) => Array.from(big, Number);

function firstMismatches(goldens, check, limit = 3) {
  const bad = [];
  for (const g of goldens) {
    const problem = check(g);
    if (problem && bad.push({ text: g.text.slice(0, 200), ...problem }) >= limit) break;
  }
  return bad;
}

for (const format of ['vocab.txt', 'tokenizer.json']) {
  test(`WordPiece (${format}) matches the Rust reference on all ${wordpieceGoldens.length} goldens`, (t) => {
    const tok = Tokenizer.fromBytes(file(format), { kind: 'wordpiece', format });
    t.after(() => tok.dispose());
    assert.equal(tok.vocabSize, 30522);
    assert.equal(tok.maxLength, 512);
    assert.equal(tok.usesTokenTypeIds, true);
    assert.ok(wordpieceGoldens.length >= 10000);
    const bad = firstMismatches(wordpieceGoldens, (g) => {
      const full = tok.encode(g.text, { maxLength: NO_LIMIT });
      const ids = asNumbers(full.inputIds);
      if (ids.join() !== g.ids.join() || full.truncated) return { ids, want: g.ids };
      const cut = tok.encode(g.text, { maxLength: 32 });
      if (asNumbers(cut.inputIds).join() !== g.ids32.join() || cut.truncated !== g.ids.length > 32) {
        return { cut: asNumbers(cut.inputIds), want: g.ids32 };
      }
      if (asNumbers(cut.attentionMask).some((m) => m !== 1) || asNumbers(cut.tokenTypeIds).some((t) => t !== 0)) {
        return { mask: 'attention mask or token types wrong' };
      }
      const pieces = tok.tokenize(g.text);
      if (JSON.stringify(pieces) !== JSON.stringify(g.tokens)) return { pieces, want: g.tokens };
      return null;
    });
    assert.deepEqual(bad, []);
  });
}

test('WordPiece with the bilingual vocabulary matches the Rust reference on Chinese, Traditional, full-width and mixed text', (t) => {
  const goldens = lines('wordpiece-zh.jsonl');
  assert.ok(goldens.length >= 600);
  assert.ok(goldens.some((g) => /[\u4e00-\u9fff]/.test(g.text) && !g.ids.includes(100)), 'no Chinese text read without [UNK]');
  for (const [format, name] of [['vocab.txt', 'vocab-zh.txt'], ['tokenizer.json', 'tokenizer-zh.json']]) {
    const tok = Tokenizer.fromBytes(file(name), { kind: 'wordpiece', format });
    t.after(() => tok.dispose());
    assert.ok(tok.vocabSize > 30522);
    const bad = firstMismatches(goldens, (g) => {
      const ids = asNumbers(tok.encode(g.text, { maxLength: NO_LIMIT }).inputIds);
      return ids.join() === g.ids.join() ? null : { format, ids, want: g.ids };
    });
    assert.deepEqual(bad, []);
  }
});

test('WordPiece encodeBatch equals the goldens row by row, padded', (t) => {
  const tok = Tokenizer.fromBytes(file('tokenizer.json'), { kind: 'wordpiece', format: 'tokenizer.json' });
  t.after(() => tok.dispose());
  for (let start = 0; start < wordpieceGoldens.length; start += 997) {
    const slice = wordpieceGoldens.slice(start, start + 64);
    const batch = tok.encodeBatch(slice.map((g) => g.text), { maxLength: 32 });
    assert.equal(batch.batchSize, slice.length);
    assert.equal(batch.sequenceLength, Math.max(...slice.map((g) => g.ids32.length)));
    slice.forEach((g, r) => {
      const T = batch.sequenceLength;
      const row = asNumbers(batch.inputIds.subarray(r * T, (r + 1) * T));
      const mask = asNumbers(batch.attentionMask.subarray(r * T, (r + 1) * T));
      const want = g.ids32;
      assert.deepEqual(row, [...want, ...Array(T - want.length).fill(tok.padId)]);
      assert.deepEqual(mask, [...Array(want.length).fill(1), ...Array(T - want.length).fill(0)]);
      assert.equal(batch.lengths[r], want.length);
      assert.equal(batch.truncated[r], g.ids.length > 32);
    });
    assert.ok(asNumbers(batch.tokenTypeIds).every((t) => t === 0));
  }
  const empty = tok.encodeBatch([]);
  assert.equal(empty.batchSize, 0);
  assert.equal(empty.inputIds.length, 0);
});

test('WordPiece normaliser options match the Rust reference', () => {
  const toks = new Map();
  try {
    const bad = firstMismatches(optionGoldens, (g) => {
      if (!toks.has(g.variant)) {
        toks.set(g.variant, [
          Tokenizer.fromBytes(file('vocab.txt'), { kind: 'wordpiece', format: 'vocab.txt', ...g.options }),
          Tokenizer.fromBytes(file(`tokenizer-${g.variant}.json`), { kind: 'wordpiece', format: 'tokenizer.json' }),
        ]);
      }
      for (const tok of toks.get(g.variant)) {
        const ids = asNumbers(tok.encode(g.text, { maxLength: NO_LIMIT }).inputIds);
        if (ids.join() !== g.ids.join()) return { variant: g.variant, ids, want: g.ids };
      }
      return null;
    });
    assert.deepEqual(bad, []);
  } finally {
    for (const pair of toks.values()) pair.forEach((t) => t.dispose());
  }
});

test(`Unigram matches the original USE tokenizer on all ${unigramGoldens.length} goldens`, (t) => {
  const tok = Tokenizer.fromBytes(file('use-vocab.json'), { kind: 'unigram' });
  t.after(() => tok.dispose());
  assert.equal(tok.vocabSize, 8000);
  assert.equal(tok.maxLength, 128);
  assert.equal(tok.usesTokenTypeIds, false);
  const vocab = JSON.parse(file('use-vocab.json'));
  const bad = firstMismatches(unigramGoldens, (g) => {
    const all = asNumbers(tok.encode(g.text, { maxLength: NO_LIMIT }).inputIds);
    if (all.join() !== g.ids.join()) return { ids: all, want: g.ids };
    const capped = tok.encode(g.text);
    if (asNumbers(capped.inputIds).join() !== g.ids.slice(0, 128).join() || capped.truncated !== g.ids.length > 128) {
      return { capped: asNumbers(capped.inputIds) };
    }
    if (g.text.length < 2000) {
      const pieces = tok.tokenize(g.text);
      if (pieces.join('\u0001') !== g.ids.map((id) => vocab[id][0]).join('\u0001')) return { pieces };
    }
    return null;
  });
  assert.deepEqual(bad, []);
  const batch = tok.encodeBatch(['Hello World, localrec!', '']);
  assert.deepEqual(asNumbers(batch.inputIds), [341, 4125, 1369, 8, 681, 53, 131, 78, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(batch.lengths), [8, 0]);
});

test('bad files, bad arguments and invalid text give clear errors; the instance keeps working', (t) => {
  const tok = Tokenizer.fromBytes(file('vocab.txt'), { kind: 'wordpiece', format: 'vocab.txt' });
  t.after(() => tok.dispose());
  const probe = () => assert.deepEqual(asNumbers(tok.encode('Hello, world!').inputIds), [101, 7592, 1010, 2088, 999, 102]);
  const expectError = (fn, code, pattern) => {
    assert.throws(fn, (e) => e instanceof Error && e.code === code && pattern.test(e.message));
    probe();  // the tokenizer and the wasm instance are still fine
    const fresh = Tokenizer.fromBytes(file('use-vocab.json'), { kind: 'unigram' });
    assert.equal(fresh.vocabSize, 8000);
    fresh.dispose();
  };
  probe();
  // Files.
  expectError(() => Tokenizer.fromBytes(new Uint8Array(0), { kind: 'wordpiece', format: 'vocab.txt' }), 'CorruptData', /empty/);
  expectError(() => Tokenizer.fromBytes('hello\nworld\n', { kind: 'wordpiece', format: 'vocab.txt' }), 'CorruptData', /\[UNK\]/);
  expectError(() => Tokenizer.fromBytes(file('use-vocab.json'), { kind: 'wordpiece', format: 'tokenizer.json' }), 'CorruptData', /JSON object/);
  expectError(() => Tokenizer.fromBytes('{"model": {', { kind: 'wordpiece', format: 'tokenizer.json' }), 'CorruptData', /not valid JSON/);
  expectError(() => Tokenizer.fromBytes('{"model": {"type": "BPE"}}', { kind: 'wordpiece', format: 'tokenizer.json' }), 'Unsupported', /BPE/);
  expectError(() => Tokenizer.fromBytes(file('vocab.txt'), { kind: 'unigram' }), 'CorruptData', /JSON/);
  expectError(() => Tokenizer.fromBytes('[["a", "b"]]', { kind: 'unigram' }), 'CorruptData', /score/);
  expectError(() => Tokenizer.fromBytes(new Uint8Array([0x5b, 0x55, 0x4e, 0x4b, 0x5d, 0x0a, 0xff]), { kind: 'wordpiece', format: 'vocab.txt' }), 'InvalidUtf8', /UTF-8/);
  // Arguments.
  expectError(() => Tokenizer.fromBytes(42, { kind: 'wordpiece' }), 'InvalidArgument', /Uint8Array/);
  expectError(() => Tokenizer.fromBytes(file('vocab.txt'), { kind: 'bpe' }), 'InvalidArgument', /kind/);
  expectError(() => Tokenizer.fromBytes(file('vocab.txt'), { kind: 'wordpiece', format: 'merges.txt' }), 'InvalidArgument', /format/);
  expectError(() => Tokenizer.fromBytes(file('vocab.txt'), { lowercase: 'yes' }), 'InvalidArgument', /lowercase/);
  expectError(() => tok.encode(42), 'InvalidArgument', /string/);
  expectError(() => tok.encode(null), 'InvalidArgument', /string/);
  expectError(() => tok.encode(['a']), 'InvalidArgument', /string/);
  expectError(() => tok.encode('x', { maxLength: -1 }), 'InvalidArgument', /maxLength/);
  expectError(() => tok.encode('x', { maxLength: 1.5 }), 'InvalidArgument', /maxLength/);
  expectError(() => tok.encode('x', { maxLength: 1 }), 'InvalidArgument', /special tokens/);
  expectError(() => tok.encodeBatch('text'), 'InvalidArgument', /array/);
  expectError(() => tok.encodeBatch(['ok', 7]), 'InvalidArgument', /texts\[1\]/);
  expectError(() => tok.tokenize(undefined), 'InvalidArgument', /string/);
  // Lone surrogates have no UTF-8 form.
  expectError(() => tok.encode('abc\uD800def'), 'InvalidUtf8', /lone surrogate U\+D800 at index 3/);
  expectError(() => tok.encode('\uDC00'), 'InvalidUtf8', /surrogate/);
  expectError(() => tok.encodeBatch(['fine', 'x\uDBFF']), 'InvalidUtf8', /texts\[1\]/);
  expectError(() => tok.tokenize('\uD83D'), 'InvalidUtf8', /surrogate/);
  // A proper pair is fine.
  assert.deepEqual(asNumbers(tok.encode('a\uD83D\uDE00b').inputIds), [101, 100, 102]);
});

test('dispose frees the tokenizer; later calls throw', () => {
  const tok = Tokenizer.fromBytes(file('vocab.txt'));
  assert.equal(tok.kind, 'wordpiece');
  assert.equal(tok.encode('hi').length, 3);
  tok.dispose();
  tok.dispose();  // idempotent
  assert.throws(() => tok.encode('hi'), (e) => e.code === 'Disposed');
  assert.throws(() => tok.vocabSize, (e) => e.code === 'Disposed');
  const scoped = Tokenizer.fromBytes(file('use-vocab.json'), { kind: 'unigram', format: 'use-vocab.json' });
  assert.equal(scoped.encode('hello world').length, 3);
  scoped[Symbol.dispose]();  // what a `using` declaration calls
  assert.throws(() => scoped.encode('hello world'), (e) => e.code === 'Disposed');
  assert.throws(() => new Tokenizer({}), (e) => e.code === 'InvalidArgument');
});
