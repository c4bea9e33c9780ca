// The smaller findings of issue 14, one test each: lone surrogates, half-applied feedback, k
// validation, absurd catalogue vectors, wordless posts, codes on JS-layer errors, fingerprint
// case, and what is (and is not) guaranteed about order and batch composition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Catalog, InterestProfile } from 'localrec';
import { fakeModel } from '../../dev/fake-model.mjs';

await init();

const T = Date.UTC(2025, 0, 1);
const code = (c) => (e) => e?.code === c;

function unit(dims, i) {
  const v = new Float32Array(dims);
  v[i % dims] = 1;
  return v;
}
function small(model, extra = {}) {
  return Catalog.fromVectors({
    ids: ['a', 'b', 'c'], vectors: [unit(model.dims, 0), unit(model.dims, 1), unit(model.dims, 2)],
    modelFingerprint: model.fingerprint, ...extra,
  });
}

test('lone surrogates in ids, terms and texts are refused with InvalidUtf8 (no silent collisions)', async () => {
  const model = fakeModel();
  const p = new InterestProfile(model);
  await assert.rejects(p.addPosts([{ id: 'x\uD800a', text: 'telescope', time: T }]), code('InvalidUtf8'));
  await assert.rejects(p.addPosts([{ id: 'x', text: 'tele\uDC00scope', time: T }]), code('InvalidUtf8'));
  await p.addPosts([{ id: 'x\u{1F600}a', text: 'telescope', time: T }]);  // a real pair is fine
  assert.equal(p.has('x\u{1F600}a'), true);
  assert.equal(p.has('x\uD83Da'), false);
  assert.throws(() => p.removePost('x\uD800a'), code('InvalidUtf8'));
  await assert.rejects(p.feedback('i\uDC00', 'dismiss'), code('InvalidUtf8'));
  assert.throws(() => p.forgetFeedback('i\uD800'), code('InvalidUtf8'));
  assert.throws(() => small(model, { ids: ['x\uD800a', 'x\uDC00a', 'c'] }), code('InvalidUtf8'));
  const c = small(model);
  assert.throws(() => c.indexOf('a\uD800'), code('InvalidUtf8'));
  assert.throws(() => c.metadata('a\uD800'), code('InvalidUtf8'));
  assert.throws(() => c.search([unit(model.dims, 0)], { exclude: ['\uD800'] }), code('InvalidUtf8'));
  assert.throws(() => c.search([], { terms: [{ term: 'x\uDFFF', weight: 1 }] }), code('InvalidUtf8'));
  assert.equal(c.indexOf('a'), 0);
  c.dispose();
  p.dispose();
});

test('a like whose post is refused records no feedback (not half-applied)', async () => {
  const p = new InterestProfile(fakeModel());
  await assert.rejects(p.feedback('a\nb', 'like', { text: 'telescope galaxy', time: T }), code('InvalidArgument'));
  assert.deepEqual(p.feedbackItems(), []);
  await assert.rejects(p.feedback('ok', 'like', { text: 'x'.repeat(70000), time: T }), code('InvalidArgument'));
  assert.deepEqual(p.feedbackItems(), []);
  await p.feedback('ok', 'like', { text: 'telescope galaxy', time: T });
  assert.deepEqual(p.feedbackItems(), [{ id: 'ok', kind: 'like' }]);
  assert.equal(p.has('like:ok'), true);
  p.dispose();
});

test('k and candidates are validated, never wrapped to 32 bits', async () => {
  const model = fakeModel();
  const c = small(model);
  const q = [unit(model.dims, 0)];
  assert.throws(() => c.search(q, { k: 2 ** 32 + 1 }), code('InvalidArgument'));
  assert.throws(() => c.search(q, { k: 2 ** 31 }), code('InvalidArgument'));
  assert.throws(() => c.search(q, { k: 0 }), code('InvalidArgument'));
  assert.throws(() => c.search(q, { k: 1.5 }), code('InvalidArgument'));
  assert.throws(() => c.search(q, { candidates: 2 ** 32 }), code('InvalidArgument'));
  assert.equal(c.search(q, { k: 2 ** 31 - 1 }).length, 3);  // all items, no huge allocation
  const p = new InterestProfile(model);
  await p.addPosts([{ id: 'p', text: 'telescope galaxy', time: T }]);
  assert.throws(() => p.rank(c, { k: 2 ** 32 + 1 }), code('InvalidArgument'));
  assert.equal(p.rank(c, { k: 2 ** 31 - 1 }).length, 3);
  p.dispose();
  c.dispose();
});

test('catalogue vectors longer than unit length are refused; shorter and zero ones are accepted', () => {
  const model = fakeModel({ dims: 4 });
  const huge = new Float32Array([1e30, 0, 0, 0]);
  const big = new Float32Array([3.4e38, 0, 0, 0]);
  for (const v of [huge, big, new Float32Array([1, 1, 0, 0])]) {
    assert.throws(() => Catalog.fromVectors({ ids: ['x'], vectors: [v], modelFingerprint: model.fingerprint }),
      (e) => e.code === 'InvalidArgument' && /L2-normalised/.test(e.message));
  }
  const c = Catalog.fromVectors({
    ids: ['zero', 'half', 'unit'],
    vectors: [new Float32Array(4), new Float32Array([0.5, 0, 0, 0]), new Float32Array([0, 1, 0, 0])],
    modelFingerprint: model.fingerprint,
  });
  assert.equal(c.search([new Float32Array([0, 1, 0, 0])], { k: 1 })[0].id, 'unit');
  c.dispose();
});

test('zero-width-only posts are empty; wordless posts do not open interests of their own', async () => {
  const model = fakeModel();
  const p = new InterestProfile(model);
  await assert.rejects(p.addPosts([{ id: 'z', text: '\u200B\u200D\uFEFF \u2060', time: T }]),
    (e) => e.code === 'InvalidArgument' && /empty/.test(e.message));
  await p.addPosts([{ id: 'a', text: 'telescope galaxy nebula', time: T }]);
  await p.addPosts([{ id: 'e1', text: '🎸🎶', time: T }, { id: 'e2', text: '🥁 🎺 !!', time: T }, { id: 'e3', text: '😀', time: T }]);
  assert.equal(p.size, 4);
  assert.equal(p.interests({ now: T }).length, 1);
  assert.equal(p.removePost('e2'), true);  // they are stored posts like any other
  const first = new InterestProfile(model);  // a wordless first post still has an interest
  await first.addPosts([{ id: 'e', text: '🎸', time: T }]);
  assert.equal(first.interests({ now: T }).length, 1);
  first.dispose();
  p.dispose();
});

test('errors raised by the JS layer carry a code', async () => {
  const model = fakeModel();
  const p = new InterestProfile(model);
  await assert.rejects(p.addPosts([{ id: 'a', text: '   ', time: T }]), code('InvalidArgument'));
  await assert.rejects(p.addPosts([{ id: 7, text: 'x y', time: T }]), code('InvalidArgument'));
  await assert.rejects(p.addPosts([{ id: 'a', text: 'x y', time: NaN }]), code('InvalidArgument'));
  await assert.rejects(p.addPosts('nope'), code('InvalidArgument'));
  assert.throws(() => p.interests({ labelTerms: -1 }), code('InvalidArgument'));
  assert.throws(() => p.query('nope'), code('InvalidArgument'));
  const c = small(model);
  assert.throws(() => c.search([new Float32Array(3)]), code('InvalidArgument'));  // dimension mismatch
  const sparse = new Array(model.dims);
  sparse[0] = 1;
  assert.throws(() => c.search([sparse]), code('InvalidArgument'));  // was an Embind BindingError
  assert.throws(() => Catalog.fromVectors({ ids: ['s'], vectors: [sparse], modelFingerprint: model.fingerprint }), code('InvalidArgument'));
  assert.throws(() => c.metadata('nope'), code('NotFound'));
  c.dispose();
  assert.throws(() => c.size, code('Disposed'));
  p.dispose();
  assert.throws(() => p.size, code('Disposed'));
  assert.throws(() => p.toBytes(), code('Disposed'));
});

test('an upper-case fingerprint is the same fingerprint for the catalogue and the profile', async () => {
  const upper = fakeModel({ fingerprint: 'ABCDEF0123456789'.repeat(4) });
  const lower = { ...upper, fingerprint: upper.fingerprint.toLowerCase() };
  const p = new InterestProfile(upper);
  await p.addPosts([{ id: 'a', text: 'telescope galaxy', time: T }]);
  const q = InterestProfile.fromBytes(lower, p.toBytes());
  assert.equal(q.modelFingerprint, lower.fingerprint);
  assert.equal(p.modelFingerprint, lower.fingerprint);
  const c = small(upper);
  assert.equal(c.modelFingerprint, lower.fingerprint);
  assert.equal(q.rank(c, { k: 1 }).length, 1);
  assert.equal(p.rank(c, { k: 1 }).length, 1);
  for (const x of [p, q, c]) x.dispose();
});

// What is guaranteed (docs/profile.md, "Determinism"): the same posts in the same order and the
// same batches give the same profile, bit for bit; the keyword weights, U and the centroid do not
// depend on the order or the batching; the interests may (online clustering).
test('determinism: same input, same bytes; order and batching change neither U nor keyword weights', async () => {
  const model = fakeModel();
  const words = ['telescope', 'galaxy', 'nebula', 'sourdough', 'bread', 'oven', 'guitar', 'chord', 'chess'];
  const posts = Array.from({ length: 19 }, (_, i) => ({
    id: `p${i}`, text: `${words[i % 9]} ${words[(i * 4) % 9]} ${words[(i * 7 + 3) % 9]}`, time: T + i * 3600e3,
  }));
  const build = async (list, batchSize) => {
    const p = new InterestProfile(model);
    await p.addPosts(list, { batchSize, now: T + 86400e3 });
    return p;
  };
  const a = await build(posts, 64);
  const b = await build(posts, 64);
  assert.deepEqual(a.toBytes(), b.toBytes());
  const oneByOne = await build(posts, 1);
  const reversed = await build([...posts].reverse(), 64);
  for (const other of [oneByOne, reversed]) {
    const w = new Map(other.keywords({ limit: 100, now: T }).map((k) => [k.text, k.weight]));
    for (const k of a.keywords({ limit: 100, now: T })) assert.ok(Math.abs(k.weight - w.get(k.text)) < 1e-9, k.text);
    const u = a.userVector('keywords');
    const v = other.userVector('keywords');
    let dot = 0;
    for (let i = 0; i < u.length; i++) dot += u[i] * v[i];
    assert.ok(dot > 1 - 1e-6);
  }
  for (const x of [a, b, oneByOne, reversed]) x.dispose();
});
