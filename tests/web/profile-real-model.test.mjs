// The profile with the embedded default model (Universal Sentence Encoder Lite, int8): real
// sentences, real similarities. Needs web/models/use-lite (scripts/build-models.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, loadModel, Catalog, InterestProfile } from 'localrec';
import { cosine } from '../../dev/fake-model.mjs';
import { exactRanking, smallAppCatalog } from '../../dev/exact-ranker.mjs';

await init();
const model = await loadModel();

const DAY = 86400000;
const T0 = Date.UTC(2024, 2, 1);
const ASTRONOMY = [
  'Saw Jupiter and four of its moons through the telescope tonight.',
  'The Orion nebula looked amazing in my new 8 inch Dobsonian.',
  'Planning to photograph the lunar eclipse next week, need a better mount.',
  'Counted over forty Perseid meteors from the dark sky site.',
  'Collimated the telescope mirrors before the star party.',
  'Saturn rings are tilted nicely this year, great views at the observatory.',
];
const BAKING = [
  'My sourdough starter finally doubled overnight, baking bread tomorrow.',
  'Tried a higher hydration dough, the crumb was much more open.',
  'Croissants need cold butter and patience, lamination took all afternoon.',
  'Preheat the oven with the dutch oven inside for a crispy crust.',
  'Rye flour makes the bread denser but the flavour is worth it.',
  'Shaped two baguettes and scored them with a razor blade.',
];
const posts = (texts, prefix, offset) => texts.map((text, i) => ({ id: `${prefix}${i}`, text, time: T0 + (i + offset) * DAY }));

test('real posts on two topics become two labelled interests', async (t) => {
  const profile = new InterestProfile(model, { halfLifeDays: 30 });
  t.after(() => profile.dispose());
  await profile.addPosts([...posts(ASTRONOMY, 'a', 0), ...posts(BAKING, 'b', 0.5)]);
  const interests = profile.interests({ labelTerms: 4 });
  assert.equal(interests.length, 2, JSON.stringify(interests.map((i) => i.postIds)));
  const astro = interests.find((i) => i.postIds[0].startsWith('a'));
  const bake = interests.find((i) => i.postIds[0].startsWith('b'));
  assert.deepEqual(astro.postIds.toSorted(), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
  assert.deepEqual(bake.postIds.toSorted(), ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
  assert.ok(astro.keywords.some((k) => /telescope|nebula|meteor|eclipse|dobsonian/.test(k.text)), JSON.stringify(astro.keywords));
  assert.ok(bake.keywords.some((k) => /bread|oven|dough|butter|crust|croissant/.test(k.text)), JSON.stringify(bake.keywords));
  const words = profile.keywords({ limit: 30 }).map((k) => k.text);
  assert.ok(words.includes('telescope') && words.includes('bread'), words.join(', '));
  assert.ok(!words.some((w) => /\b(two|tonight|tomorrow|the)\b/.test(w)), words.join(', '));

  // Each interest's vector is closer to a new sentence on its topic than the other one is.
  const [star, loaf] = await model.embed(['A star chart and telescope guide for beginners', 'How to bake a crusty loaf of bread']);
  assert.ok(cosine(astro.vector, star) > cosine(bake.vector, star) + 0.1);
  assert.ok(cosine(bake.vector, loaf) > cosine(astro.vector, loaf) + 0.1);

  // A new astronomy post joins the astronomy interest.
  await profile.addPosts([{ id: 'a6', text: 'Clear skies again, spent two hours on the Andromeda galaxy.', time: T0 + 7 * DAY }]);
  const after = profile.interests().find((i) => i.postIds.includes('a6'));
  assert.equal(after.id, astro.id);
});

test('rank() puts the apps of the user\'s topics first, with reasons', async (t) => {
  const { catalog, items } = await smallAppCatalog(model);
  t.after(() => catalog.dispose());
  const profile = new InterestProfile(model);
  t.after(() => profile.dispose());
  await profile.addPosts(posts(ASTRONOMY, 'a', 0));
  const ranked = profile.rank(catalog, { k: 3, strategy: 'interests' });
  assert.deepEqual(ranked.slice(0, 2).map((r) => r.id).toSorted(), ['kstars', 'stellarium']);
  // The real Catalog's ranking is the brute-force exact one: ids, interests, scores.
  const exact = exactRanking(items, profile.query('interests'), { k: 3 });
  assert.deepEqual(ranked.map((r) => [r.id, r.reasons.interest?.id ?? 0]), exact.map((r) => [r.id, r.interest]));
  ranked.forEach((r, i) => assert.ok(Math.abs(r.score - exact[i].score) < 1e-5, `${r.score} vs ${exact[i].score}`));
  assert.ok(ranked[0].reasons.keywords.includes('telescope'), JSON.stringify(ranked[0].reasons));
  assert.ok(ranked[0].reasons.interest.keywords.length > 0);

  // Persisted with the model's real fingerprint; another model's profile is refused.
  const bytes = profile.toBytes();
  const back = InterestProfile.fromBytes(model, bytes);
  t.after(() => back.dispose());
  assert.deepEqual(back.rank(catalog, { k: 3, strategy: 'interests' }).map((r) => r.id), ranked.map((r) => r.id));
  assert.throws(() => InterestProfile.fromBytes({ ...model, fingerprint: '0'.repeat(64), embed: model.embed }, bytes),
    (e) => e.code === 'ModelMismatch');
});

test('the default hybrid ranking over a real Catalog fuses dense and BM25 scores', async (t) => {
  const apps = {
    stellarium: 'Planetarium that shows a realistic sky: stars, planets, nebulae and meteor showers',
    kstars: 'Desktop planetarium and observation planner with telescope control for amateur astronomers',
    xephem: 'Interactive astronomical ephemeris, with orbit and eclipse calculations',
    breadcalc: 'Bread baking calculator for hydration, flour and sourdough starter ratios',
    gnucash: 'Personal and small business accounting with double entry bookkeeping',
    vlc: 'Multimedia player for video and audio files, streams and DVDs',
  };
  const ids = Object.keys(apps);
  const vectors = await model.embed(ids.map((id) => apps[id]));
  const catalog = Catalog.fromVectors({
    ids, vectors, modelFingerprint: model.fingerprint, texts: ids.map((id) => apps[id]),
    metadata: ids.map((id) => ({ title: id, text: apps[id] })),
  });
  t.after(() => catalog.dispose());
  const profile = new InterestProfile(model);
  t.after(() => profile.dispose());
  await profile.addPosts(posts(ASTRONOMY, 'a', 0));
  const ranked = profile.rank(catalog, { k: 4 });
  assert.ok(['kstars', 'stellarium', 'xephem'].includes(ranked[0].id), ranked[0].id);
  assert.ok(ranked.slice(0, 3).every((r) => ['kstars', 'stellarium', 'xephem'].includes(r.id)), ranked.map((r) => r.id).join());
  assert.ok(ranked.some((r) => r.reasons.lexical > 0), 'the BM25 half matched nothing');
  assert.ok(ranked.every((r) => r.reasons.dense !== 0), 'the dense half is missing');
  assert.ok(ranked[0].reasons.interest !== null);
  // A dismissed item is gone from the next ranking.
  await profile.feedback(ranked[0].id, 'dismiss');
  assert.ok(!profile.rank(catalog, { k: 6 }).some((r) => r.id === ranked[0].id));
});
