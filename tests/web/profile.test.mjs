import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog, init, InterestProfile } from 'localrec';
import { cosine, fakeModel } from '../../dev/fake-model.mjs';
import { exactRanking } from '../../dev/exact-ranker.mjs';

await init();

const DAY = 86400000;
const T0 = Date.UTC(2024, 0, 1);

const ASTRONOMY = ['telescope', 'galaxy', 'nebula', 'planet', 'orbit', 'comet', 'eclipse',
  'stargazing', 'observatory', 'astronomy', 'meteor', 'constellation'];
const BAKING = ['sourdough', 'bread', 'flour', 'oven', 'yeast', 'dough', 'crust', 'baking',
  'pastry', 'croissant', 'butter', 'kneading'];

// Deterministic pseudo-random posts: two anchor words of the topic plus five more.
function topicPosts(vocab, n, { prefix, startDay = 0, seed = 1 } = {}) {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % vocab.length;
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    text: `I: ${vocab[0]}, ${vocab[1]}: ${Array.from({ length: 5 }, next).map((j) => vocab[j]).join(' and the ')}.`,
    time: T0 + (startDay + i) * DAY,
  }));
}

// Disposes a profile when the test ends, whatever happens (Node 20 has no `using`).
function track(t, profile) {
  t.after(() => profile.dispose());
  return profile;
}

function norm(v) { return Math.sqrt(cosine(v, v)); }

test('posts become interests, keywords and unit user vectors', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model, { halfLifeDays: 14, joinThreshold: 0.3, mergeThreshold: 0.6 }));
  const size = await profile.addPosts([
    ...topicPosts(ASTRONOMY, 10, { prefix: 'a' }),
    ...topicPosts(BAKING, 10, { prefix: 'b', startDay: 0.5, seed: 7 }),
  ]);
  assert.equal(size, 20);
  assert.equal(profile.size, 20);
  assert.ok(profile.has('a3'));

  const interests = profile.interests({ labelTerms: 3, now: T0 + 20 * DAY });
  assert.equal(interests.length, 2);
  assert.ok(Math.abs(interests[0].weight + interests[1].weight - 1) < 1e-9);
  for (const it of interests) {
    const vocab = it.postIds[0].startsWith('a') ? ASTRONOMY : BAKING;
    assert.equal(it.postIds.length, 10);
    assert.ok(it.postIds.every((id) => id[0] === it.postIds[0][0]), 'an interest mixes topics');
    assert.equal(it.keywords.length, 3);
    for (const kw of it.keywords) assert.ok(vocab.includes(kw.text), `${kw.text} labels a ${vocab[0]} interest`);
    assert.ok(it.vector instanceof Float32Array && it.vector.length === 128);
    assert.ok(Math.abs(norm(it.vector) - 1) < 1e-5);
    assert.ok(it.lastActive >= T0 + 9 * DAY);
    assert.ok(it.importance > 0 && it.importance < 10);  // decayed below the raw count
    assert.ok(it.postIds.includes(it.representative));
  }

  const keywords = profile.keywords({ limit: 8 });
  assert.equal(keywords.length, 8);
  for (let i = 1; i < keywords.length; i++) assert.ok(keywords[i - 1].weight >= keywords[i].weight);
  assert.ok(keywords.every((k) => !/\b(the|and|i)\b/.test(k.text)), 'stop words are no keywords');

  const [astro] = await model.embed(['telescope galaxy nebula planet orbit']);
  const [cars] = await model.embed(['engine gearbox exhaust clutch radiator']);
  for (const strategy of ['keywords', 'centroid']) {
    const u = profile.userVector(strategy);
    assert.ok(Math.abs(norm(u) - 1) < 1e-5);
    assert.ok(cosine(u, astro) > cosine(u, cars) + 0.2, strategy);
  }
  assert.throws(() => profile.userVector('interests'), TypeError);
});

test('each batch is one model call, and no keyword candidate is embedded twice', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model));
  await profile.addPosts([{ id: '1', text: 'Comet hunting with binoculars', time: T0 }]);
  assert.equal(model.calls, 1);
  assert.ok(model.embedded.includes('comet hunting'));  // candidates rode along with the post
  const before = model.embedded.length;
  await profile.addPosts([{ id: '2', text: 'Comet hunting with binoculars', time: T0 + DAY }]);
  assert.equal(model.calls, 2);
  assert.deepEqual(model.embedded.slice(before), ['Comet hunting with binoculars']);
  await profile.addPosts(topicPosts(ASTRONOMY, 5, { prefix: 'x' }), { batchSize: 2 });
  assert.equal(model.calls, 5);
  const embedded = model.embedded.slice(before + 1);
  const posts = new Set(topicPosts(ASTRONOMY, 5, { prefix: 'x' }).map((p) => p.text));
  const candidates = embedded.filter((t) => !posts.has(t));
  assert.equal(new Set(candidates).size, candidates.length, 'a candidate was embedded twice');
});

test('duplicate ids update in place; removal forgets the post', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model));
  await profile.addPosts([{ id: 'p', text: 'telescope galaxy nebula', time: T0 }]);
  await profile.addPosts([{ id: 'p', text: 'sourdough bread flour oven', time: new Date(T0 + DAY) }]);
  assert.equal(profile.size, 1);
  assert.ok(profile.keywords().every((k) => !ASTRONOMY.includes(k.text)));
  await profile.addPosts([{ id: 'q', text: 'telescope galaxy nebula', time: T0 }]);
  const withQ = profile.userVector();
  assert.equal(profile.removePost('q'), true);
  assert.equal(profile.removePost('q'), false);
  assert.equal(profile.size, 1);
  const [bread] = await model.embed(['sourdough bread flour oven']);
  assert.ok(cosine(profile.userVector(), bread) > cosine(withQ, bread));
  assert.equal(profile.interests().length, 1);
});

test('a new topic overtakes the old one within the half-life', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model, { halfLifeDays: 10, joinThreshold: 0.3, mergeThreshold: 0.6 }));
  await profile.addPosts(topicPosts(ASTRONOMY, 40, { prefix: 'a' }));
  const weightOf = (vocab) => profile.interests({ labelTerms: 3 })
    .filter((it) => it.keywords.some((k) => vocab.includes(k.text)))
    .reduce((s, it) => s + it.weight, 0);
  let crossed = null;
  const baking = topicPosts(BAKING, 20, { prefix: 'b', startDay: 40, seed: 3 });
  for (let day = 0; day < baking.length; day++) {
    await profile.addPosts([baking[day]]);
    if (crossed === null && weightOf(BAKING) > weightOf(ASTRONOMY)) crossed = day + 1;
  }
  assert.ok(crossed !== null && crossed > 2 && crossed <= 10, `crossed after ${crossed} days`);
});

test('bad input is refused with a clear error and changes nothing', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model));
  await profile.addPosts([{ id: 'ok', text: 'planet orbit comet', time: T0 }]);
  const before = profile.toBytes();
  const bad = [
    [{ id: '', text: 'x y', time: T0 }], [{ id: 'a', text: 42, time: T0 }],
    [{ id: 'a', text: '   ', time: T0 }], [{ id: 'a', text: 'bad \uD800 text', time: T0 }],
    [{ id: 'a', text: 'fine text', time: NaN }], [null], 'not an array',
  ];
  for (const posts of bad) {
    await assert.rejects(profile.addPosts(posts), (e) => e instanceof TypeError || e instanceof RangeError);
  }
  assert.deepEqual(profile.toBytes(), before);

  // A model that breaks its contract is caught before the core sees its output.
  const broken = { ...fakeModel(), embed: async (texts) => texts.map(() => new Float32Array(3)) };
  const other = track(t, new InterestProfile(broken));
  await assert.rejects(other.addPosts([{ id: 'a', text: 'words here', time: T0 }]), /expected 128/);
  assert.equal(other.size, 0);
  const nan = { ...fakeModel(), embed: async (texts) => texts.map(() => new Float32Array(128).fill(NaN)) };
  const third = track(t, new InterestProfile(nan));
  await assert.rejects(third.addPosts([{ id: 'a', text: 'words here', time: T0 }]), (e) => e.code === 'InvalidArgument');
  assert.equal(third.size, 0);

  assert.throws(() => new InterestProfile(model, { halfLifeDays: -1 }), (e) => e.code === 'InvalidArgument');
  assert.throws(() => new InterestProfile(model, { halfLife: 3 }), /unknown profile option/);
  assert.throws(() => new InterestProfile({ dims: 4 }), TypeError);
});

test('bytes round-trip; another model, corrupt or truncated bytes are refused', async (t) => {
  const model = fakeModel();
  const profile = track(t, new InterestProfile(model, { halfLifeDays: 7 }));
  await profile.addPosts(topicPosts(ASTRONOMY, 6, { prefix: 'a' }));
  await profile.feedback('item-1', 'dismiss');
  const bytes = profile.toBytes();
  assert.ok(bytes instanceof Uint8Array);

  const copy = track(t, InterestProfile.fromBytes(model, bytes.buffer.slice(0)));
  assert.deepEqual(copy.toBytes(), bytes);
  assert.deepEqual(copy.userVector(), profile.userVector());
  assert.deepEqual(copy.interests().map((i) => i.postIds), profile.interests().map((i) => i.postIds));
  assert.equal(copy.options.halfLifeDays, 7);
  assert.deepEqual(copy.feedbackItems(), [{ id: 'item-1', kind: 'dismiss' }]);

  const otherModel = fakeModel({ fingerprint: 'e'.repeat(64) });
  assert.throws(() => InterestProfile.fromBytes(otherModel, bytes), (e) => e.code === 'ModelMismatch');
  const flipped = bytes.slice();
  flipped[flipped.length >> 1] ^= 0x40;
  assert.throws(() => InterestProfile.fromBytes(model, flipped), (e) => e.code === 'CorruptData' && /checksum/.test(e.message));
  assert.throws(() => InterestProfile.fromBytes(model, bytes.subarray(0, 100)), (e) => e.code === 'CorruptData');
  assert.throws(() => InterestProfile.fromBytes(model, 'bytes'), TypeError);

  // load() replaces the content, or leaves it intact.
  assert.throws(() => copy.load(flipped), (e) => e.code === 'CorruptData');
  assert.deepEqual(copy.toBytes(), bytes);
  const empty = track(t, new InterestProfile(model));
  empty.load(bytes);
  assert.equal(empty.size, 6);

  profile.clear();
  assert.equal(profile.size, 0);
  assert.deepEqual(profile.interests(), []);
  assert.deepEqual(profile.feedbackItems(), []);
});

test('rank() follows the interests, explains itself and honours feedback', async (t) => {
  const model = fakeModel();
  const texts = {
    'scope-1': 'A telescope control program for the night sky, galaxy and nebula charts',
    'scope-2': 'Planet and comet orbit calculator for stargazing and the observatory',
    'bread-1': 'Sourdough bread recipes and an oven timer for baking with yeast and flour',
    'car-1': 'Engine diagnostics for the gearbox and the exhaust',
    'car-2': 'Clutch and radiator repair manual',
  };
  const ids = Object.keys(texts);
  const vectors = await model.embed(ids.map((id) => texts[id]));
  // A real Catalog without a lexical part, exact (float32) so that exactRanking can check it.
  const catalog = Catalog.fromVectors({
    ids, vectors, modelFingerprint: model.fingerprint, precision: 'float32',
    metadata: ids.map((id) => ({ title: id, text: texts[id] })),
  });
  t.after(() => catalog.dispose());
  const items = ids.map((id, i) => ({ id, vector: vectors[i] }));

  const profile = track(t, new InterestProfile(model, { joinThreshold: 0.3, mergeThreshold: 0.6 }));
  assert.deepEqual(profile.rank(catalog, { strategy: 'interests' }), []);  // knows nothing yet
  await profile.addPosts([...topicPosts(ASTRONOMY, 8, { prefix: 'a' }), ...topicPosts(BAKING, 4, { prefix: 'b', seed: 5 })]);

  // The default (hybrid) on a catalogue without a lexical part is its dense half: 'interests'.
  assert.deepEqual(profile.rank(catalog, { k: 4 }).map((r) => r.id), profile.rank(catalog, { k: 4, strategy: 'interests' }).map((r) => r.id));
  assert.throws(() => profile.rank(catalog, { strategy: 'lexical' }), /no lexical part/);
  for (const strategy of ['interests', 'keywords', 'centroid']) {
    const ranked = profile.rank(catalog, { k: 3, strategy });
    assert.equal(ranked.length, 3);
    const exact = exactRanking(items, profile.query(strategy), { k: 3 });
    assert.deepEqual(ranked.map((r) => [r.id, r.reasons.interest?.id ?? 0]), exact.map((r) => [r.id, r.interest]), strategy);
    ranked.forEach((r, i) => assert.ok(Math.abs(r.score - exact[i].score) < 1e-5, `${strategy}: ${r.score} vs ${exact[i].score}`));
    assert.ok(ranked[0].id.startsWith('scope'), `${strategy}: ${ranked[0].id}`);
    assert.ok(!ranked.some((r) => r.id.startsWith('car')), strategy);
  }
  const ranked = profile.rank(catalog, { k: 5, strategy: 'interests' });
  const top = ranked[0];
  assert.ok(top.reasons.interest && top.reasons.interest.keywords.some((k) => ASTRONOMY.includes(k)));
  assert.ok(top.reasons.keywords.length > 0 && top.reasons.keywords.every((k) => texts[top.id].toLowerCase().includes(k.split(' ')[0])));
  assert.equal(typeof top.reasons.dense, 'number');
  assert.equal(top.metadata.title, top.id);
  // The interest that produced the bread item is the baking one.
  const bread = ranked.find((r) => r.id === 'bread-1');
  assert.ok(bread.reasons.interest.keywords.some((k) => BAKING.includes(k)));

  await profile.feedback('scope-1', 'dismiss');
  assert.ok(!profile.rank(catalog, { k: 5, strategy: 'interests' }).some((r) => r.id === 'scope-1'));
  const excluded = profile.rank(catalog, { k: 5, strategy: 'interests', exclude: ['scope-2'] });
  assert.ok(!excluded.some((r) => r.id === 'scope-2'));
  assert.deepEqual(excluded.map((r) => r.id),
    exactRanking(items, profile.query('interests'), { k: 5, exclude: ['scope-1', 'scope-2'] }).map((r) => r.id));
  // Liking a car item pulls the profile towards cars.
  const carBefore = cosine(profile.userVector('centroid'), vectors[3]);
  await profile.feedback('car-1', 'like', { catalog });
  assert.ok(profile.has('like:car-1'));
  assert.ok(cosine(profile.userVector('centroid'), vectors[3]) > carBefore);
  assert.equal(profile.forgetFeedback('car-1'), true);
  assert.ok(!profile.has('like:car-1'));

  const wrong = Catalog.fromVectors({ ids: ['x'], vectors: [vectors[0]], modelFingerprint: 'd'.repeat(64) });
  t.after(() => wrong.dispose());
  assert.throws(() => profile.rank(wrong, { strategy: 'interests' }), (e) => e.code === 'ModelMismatch');
  assert.throws(() => profile.rank(catalog, { strategy: 'magic' }), (e) => e instanceof TypeError && /'hybrid'/.test(e.message));
  assert.throws(() => profile.rank({}), TypeError);
  // Only a Catalog: a look-alike with a search() method is not one.
  assert.throws(() => profile.rank({ search: () => [], hasTerms: false }), /needs a Catalog/);
});

test('dispose frees the profile; later calls throw', () => {
  const profile = new InterestProfile(fakeModel());
  profile.dispose();
  profile.dispose();
  assert.throws(() => profile.size, /disposed/);
});

test('clear() while the model is embedding cancels the posts being added (forget means forget)', async (t) => {
  const base = fakeModel();
  let profile;
  let cleared = false;
  const slow = {
    ...base,
    async embed(texts) {
      const out = await base.embed(texts);
      if (!cleared) {
        cleared = true;
        profile.clear();  // the user pressed "forget me" while the model ran
      }
      return out;
    },
  };
  profile = track(t, new InterestProfile(slow));
  await assert.rejects(profile.addPosts([{ id: 'a', text: 'telescope galaxy nebula', time: T0 }]),
    (e) => e.code === 'Cancelled');
  assert.equal(profile.size, 0);
  assert.equal(profile.has('a'), false);
  assert.equal(profile.keywords().length, 0);
  // Posts added after clear() are kept.
  await profile.addPosts([{ id: 'b', text: 'sourdough bread oven', time: T0 }]);
  assert.equal(profile.size, 1);
  assert.ok(profile.keywords().length > 0);
});
