// The tokenizers in a real browser (Debian's Chromium): the wasm build, imported the way an
// application imports the package, against the same reference goldens as the Node and Catch2
// tests (dev/gen/token-goldens.mjs writes them to build/goldens/tokenizers/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { repoRoot, useBrowser } from '../../dev/harness.mjs';

const GOLDENS = '/build/goldens/tokenizers';
const env = useBrowser({
  setup() {
    assert.ok(existsSync(`${repoRoot}${GOLDENS}/wordpiece.jsonl`),
      'no tokenizer goldens: run node dev/gen/token-goldens.mjs');
  },
});

test('WordPiece and Unigram in Chromium match the reference goldens', async () => {
  const { page, errors } = await env.open();
  const result = await page.evaluate(async (dir) => {
    const { init, Tokenizer } = await import('localrec');
    await init();
    const bytes = async (name) => new Uint8Array(await (await fetch(`${dir}/${name}`)).arrayBuffer());
    const lines = async (name) => (await (await fetch(`${dir}/${name}`)).text()).trim().split('\n')
      .map((l) => JSON.parse(l));
    const out = { checked: 0, bad: [] };
    const check = (tok, goldens, ids, maxLength) => {
      for (const g of goldens) {
        const got = Array.from(tok.encode(g.text, { maxLength }).inputIds, Number);
        out.checked++;
        if (got.join() !== ids(g).join() && out.bad.length < 3) out.bad.push({ text: g.text.slice(0, 100), got });
      }
    };
    const wordpiece = await lines('wordpiece.jsonl');
    for (const format of ['vocab.txt', 'tokenizer.json']) {
      const tok = Tokenizer.fromBytes(await bytes(format), { kind: 'wordpiece', format });
      check(tok, wordpiece, (g) => g.ids, 2 ** 30);
      check(tok, wordpiece.slice(0, 3000), (g) => g.ids32, 32);
      const batch = tok.encodeBatch(wordpiece.slice(0, 8).map((g) => g.text), { maxLength: 32 });
      out.batchRow0 = Array.from(batch.inputIds.subarray(0, batch.sequenceLength), Number);
      out.wantRow0 = wordpiece[0].ids32;
      tok.dispose();
    }
    const unigram = Tokenizer.fromBytes(await bytes('use-vocab.json'), { kind: 'unigram' });
    check(unigram, await lines('unigram.jsonl'), (g) => g.ids, 2 ** 30);
    try {
      unigram.encode('lone \uD800 surrogate');
    } catch (e) {
      out.surrogateCode = e.code;
    }
    out.afterError = unigram.encode('hello world').length;
    unigram.dispose();
    return out;
  }, GOLDENS);
  assert.deepEqual(result.bad, []);
  assert.ok(result.checked > 3 * 18000, `only ${result.checked} checks`);
  assert.deepEqual(result.batchRow0.slice(0, result.wantRow0.length), result.wantRow0);
  assert.equal(result.surrogateCode, 'InvalidUtf8');
  assert.equal(result.afterError, 3);
  assert.deepEqual(errors, []);
  await page.close();
});
