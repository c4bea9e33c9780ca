// Forget means forget (issue 14): after removePost(), clear() or dispose() the words of a post
// are not left in wasm memory (freed blocks are zeroed, src/wasm/zero_on_free.cc; words only
// the removed post had leave the embedding cache), and the saved bytes hold what the README says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, InterestProfile } from 'localrec';
import { getCore } from '../../web/src/core.js';
import { fakeModel } from '../../dev/fake-model.mjs';

await init();

const T = Date.UTC(2025, 5, 1);
const WORD = 'qzxjvwkplm';  // a made-up word: found in wasm memory only if this test put it there
const ID = 'zzsecretpostidzz';
const TEXT = `my private question about ${WORD} treatment and the telescope`;

function inHeap(s) {
  return Buffer.from(getCore().HEAPU8.buffer).includes(Buffer.from(s, 'utf8'));
}

test('removePost, clear and dispose leave no trace of the post in wasm memory', async () => {
  const model = fakeModel();
  const other = new InterestProfile(model);
  await other.addPosts([{ id: 'keep', text: 'telescope galaxy nebula', time: T }]);

  const p = new InterestProfile(model);
  await p.addPosts([{ id: ID, text: TEXT, time: T }, { id: 'b', text: 'sourdough bread oven', time: T }]);
  assert.ok(inHeap(WORD) && inHeap(ID), 'the test cannot see the words it looks for');
  assert.equal(p.removePost(ID), true);
  assert.equal(inHeap(WORD), false, 'the removed post\'s word is still in wasm memory');
  assert.equal(inHeap(ID), false, 'the removed post\'s id is still in wasm memory');
  assert.equal(inHeap('private question'), false);

  await p.addPosts([{ id: ID, text: TEXT, time: T }]);
  assert.ok(inHeap(WORD));
  p.clear();
  assert.equal(inHeap(WORD) || inHeap(ID), false, 'clear() left the post in wasm memory');

  await p.addPosts([{ id: ID, text: TEXT, time: T }]);
  const saved = p.toBytes();
  p.dispose();
  assert.equal(inHeap(WORD) || inHeap(ID), false, 'dispose() left the post in wasm memory');
  const restored = InterestProfile.fromBytes(model, saved);
  restored.dispose();
  assert.equal(inHeap(WORD) || inHeap(ID), false, 'loading saved bytes left them in wasm memory');

  // The other profile is intact.
  assert.ok(other.keywords({ now: T }).some((k) => k.text === 'telescope'));
  assert.equal(other.size, 1);
  other.dispose();
});

test('saved bytes hold ids, times, embeddings, content words and short phrases, not the texts (README, Privacy)', async () => {
  const model = fakeModel();
  const p = new InterestProfile(model);
  await p.addPosts([{ id: ID, text: TEXT, time: T }]);
  await p.feedback('item-42', 'dismiss', { time: T });
  const bytes = Buffer.from(p.toBytes());
  assert.ok(bytes.includes(ID), 'post ids are stored');
  assert.ok(bytes.includes(WORD) && bytes.includes('treatment') && bytes.includes('telescope'),
    'content words are stored (as keyword candidates)');
  assert.ok(bytes.includes('private question'), 'so are phrases of up to maxPhraseWords content words');
  assert.ok(bytes.includes('item-42'), 'feedback item ids are stored');
  assert.equal(bytes.includes(TEXT), false, 'the text itself is not stored');
  assert.equal(bytes.includes('my private question about'), false, 'stop words and the sentence are not stored');
  p.dispose();
});
