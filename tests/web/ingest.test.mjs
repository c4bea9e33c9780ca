// Adding posts (issue 15): the core prepares one batch per batch of posts (the posts and their
// keyword candidates not cached yet), the model embeds it, the core commits it. With a model from
// loadModel()/openModel() the texts cross into wasm once and no vector comes out; a model with
// only embed() is handed the batch's texts. Both give the same profile for the same vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, loadModel, openModel, InterestProfile } from 'localrec';
import { encodeInCore } from '../../web/src/model.js';
import { countCrossings } from '../../dev/crossings.mjs';

await init();
const model = await loadModel();

const T0 = Date.UTC(2025, 3, 1);
const NOW = T0 + 86400000;
const POSTS = [
  'Saw Jupiter and four of its moons through the telescope tonight.',
  'My sourdough starter finally doubled overnight, baking bread tomorrow.',
  'The Orion nebula looked amazing in my new 8 inch Dobsonian.',
  'Preheat the oven with the dutch oven inside for a crispy crust.',
].map((text, i) => ({ id: `p${i}`, text, time: T0 + i * 3600e3 }));

// The same model seen as a model with embed() only (an encoder the core knows nothing of).
const embedOnly = (m) => ({ dims: m.dims, fingerprint: m.fingerprint, name: m.name, calibration: m.calibration, embed: (texts) => m.embed(texts) });

async function build(m, posts = POSTS, options = {}) {
  const p = new InterestProfile(m);
  try {
    await p.addPosts(posts, { now: NOW, ...options });
    return p.toBytes();
  } finally {
    p.dispose();
  }
}

test('a post goes in with its text crossing once and no vector coming out', async () => {
  const p = new InterestProfile(model);
  try {
    const [post] = POSTS;
    const c = await countCrossings(() => p.addPosts([post], { now: NOW }));
    const names = Object.keys(c.byName).sort();
    assert.deepEqual(names, ['IngestBatch.consume', 'IngestBatch.inputs', 'IngestBatch.tokenize', 'IngestBatch.unknownShares',
      'InterestProfileCore.commitAdd', 'InterestProfileCore.postCount', 'InterestProfileCore.prepareAdd']);
    // The text goes in with prepareAdd; then only tensors cross (the model's inputs out, its
    // output in). Everything else is a count or the post's unknown share: no text, no vector.
    assert.ok(c.byName['InterestProfileCore.prepareAdd'].bytes >= Buffer.byteLength(post.text));
    for (const [name, { bytes }] of Object.entries(c.byName)) {
      if (!['InterestProfileCore.prepareAdd', 'IngestBatch.inputs', 'IngestBatch.consume'].includes(name)) {
        assert.ok(bytes <= 4, `${name}: ${bytes} bytes`);
      }
    }
    assert.ok(c.bytesOut - c.byName['IngestBatch.inputs'].bytes <= 4, `${c.bytesOut} bytes came out of wasm`);
    assert.equal(p.size, 1);
  } finally {
    p.dispose();
  }
});

test('a model with embed() only gives the same profile as the model itself', async () => {
  const posts = [...POSTS, { ...POSTS[1], id: 'again' }];  // one text twice, as the model is asked
  const inCore = await build(model, posts);
  assert.deepEqual(await build(embedOnly(model), posts), inCore);
  // Several batches: the second reuses candidates the first cached, both ways.
  assert.deepEqual(await build(embedOnly(model), posts, { batchSize: 2 }), await build(model, posts, { batchSize: 2 }));
});

test('a pending model embeds in the core once it is loaded, as the loaded model does', async () => {
  const pending = await openModel({ defer: true });
  try {
    assert.equal(pending.loaded, false);
    assert.deepEqual(await build(pending), await build(model));
    assert.equal(pending.loaded, true);
  } finally {
    await pending.dispose();
  }
});

// The model, embedding in the core only when the test lets it go.
function gated(m) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let started;
  const running = new Promise((resolve) => { started = resolve; });
  const wrapper = {
    dims: m.dims, fingerprint: m.fingerprint, embed: (texts) => m.embed(texts),
    async [encodeInCore](batch) {
      started();
      await gate;
      return m[encodeInCore](batch);
    },
  };
  return { wrapper, running, release };
}

test('a post removed while its batch is embedded leaves the batch complete, and stays removed', async () => {
  const p = new InterestProfile(model);
  await p.addPosts([{ id: 'a', text: 'telescope', time: T0 }], { now: NOW });
  const { wrapper, running, release } = gated(model);
  const q = InterestProfile.fromBytes(wrapper, p.toBytes());
  p.dispose();
  try {
    // "telescope" is cached; removing the post that holds it while the next batch is embedded
    // takes the word out of the cache, which that batch (prepared before) still needs.
    const pending = q.addPosts([{ id: 'b', text: 'telescope', time: T0 + 1 }, { id: 'c', text: 'nebula', time: T0 + 2 }], { now: NOW });
    await running;
    assert.equal(q.removePost('a'), true);
    assert.equal(q.removePost('c'), false);  // not stored yet: dropped from the pending batch
    release();
    assert.equal(await pending, 1);
    assert.equal(q.has('b'), true);
    assert.equal(q.has('c'), false);
    assert.deepEqual(q.keywords({ now: NOW }).map((k) => k.text), ['telescope']);
  } finally {
    q.dispose();
  }
});

test('clear() or load() while a batch is embedded in the core cancels it', async () => {
  for (const mutate of ['clear', 'load']) {
    const { wrapper, running, release } = gated(model);
    const p = new InterestProfile(wrapper);
    try {
      const empty = p.toBytes();
      const pending = p.addPosts(POSTS, { now: NOW });
      pending.catch(() => {});
      await running;
      if (mutate === 'clear') p.clear(); else p.load(empty);
      release();
      await assert.rejects(pending, (e) => e.code === 'Cancelled');
      assert.equal(p.size, 0);
      assert.deepEqual(p.toBytes(), empty);
      assert.equal(await p.addPosts(POSTS.slice(0, 1), { now: NOW }), 1);  // and still usable
    } finally {
      p.dispose();
    }
  }
});

test('a failure in the middle leaves the profile as it was and usable', async () => {
  const p = new InterestProfile(model);
  try {
    await p.addPosts(POSTS.slice(0, 2), { now: NOW });
    const saved = p.toBytes();
    // The model fails (disposed while the profile still uses it): nothing of the batch is stored.
    const doomed = await loadModel();
    const q = InterestProfile.fromBytes(doomed, saved);
    await doomed.dispose();
    await assert.rejects(q.addPosts(POSTS.slice(2), { now: NOW }), /disposed/);
    assert.deepEqual(q.toBytes(), saved);
    q.dispose();
    // ONNX Runtime failing after some of the batch was embedded, or before any of it.
    for (const failAfter of [true, false]) {
      const failing = {
        dims: model.dims, fingerprint: model.fingerprint, embed: (texts) => model.embed(texts),
        async [encodeInCore](batch) {
          if (failAfter) await model[encodeInCore](batch);
          throw new Error('session.run failed');
        },
      };
      const f = InterestProfile.fromBytes(failing, saved);
      await assert.rejects(f.addPosts(POSTS.slice(2), { now: NOW }), /session.run failed/);
      assert.deepEqual(f.toBytes(), saved);
      f.dispose();
    }
    // An unreadable post (Chinese for use-lite), before or after readable ones in its batch.
    await assert.rejects(p.addPosts([POSTS[2], { id: 'zh', text: '今晚用望远镜看到了木星和它的四颗卫星。', time: T0 }], { now: NOW }),
      (e) => e.code === 'UnreadableText' && e.postId === 'zh');
    assert.deepEqual(p.toBytes(), saved);
    // Disposed while its batch is embedded.
    const pending = p.addPosts(POSTS.slice(2), { now: NOW });
    p.dispose();
    await assert.rejects(pending, (e) => e.code === 'Disposed');
  } finally {
    p.dispose();
  }
  // The profile that was not disposed takes the same posts afterwards.
  const r = InterestProfile.fromBytes(model, await build(model, POSTS.slice(0, 2)));
  assert.equal(await r.addPosts(POSTS.slice(2), { now: NOW }), 4);
  r.dispose();
});
