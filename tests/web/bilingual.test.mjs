// The bilingual students (manifest languages include "zh", models/distill --bilingual): Chinese
// posts land where their English meaning does, so a Chinese post joins the interest of English
// posts on its topic, and Chinese posts rank an English catalogue. Needs scripts/build-models.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, loadModel, InterestProfile } from 'localrec';
import { exactRanking, smallAppCatalog } from '../../dev/exact-ranker.mjs';

await init();
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bilingual = readdirSync(path.join(ROOT, 'models/distilled')).filter((n) => {
  const m = JSON.parse(readFileSync(path.join(ROOT, 'models/distilled', n, 'manifest.json'), 'utf8'));
  return (m.languages ?? []).includes('zh');
});

const T0 = Date.UTC(2024, 2, 1);
const DAY = 86400000;
// Written for this test (no package text): an amateur astronomer and a baker, in both languages.
const ASTRO_EN = ['Saw Jupiter and four of its moons through the telescope tonight.',
  'The Orion nebula looked amazing in my new 8 inch Dobsonian.',
  'Collimated the telescope mirrors before the star party.'];
const BAKING_EN = ['My sourdough starter finally doubled overnight, baking bread tomorrow.',
  'Preheat the oven with the dutch oven inside for a crispy crust.',
  'Croissants need cold butter and patience.'];
const ASTRO_ZH = ['今晚用望远镜看到了木星和它的四颗卫星。', '我想找一个星图软件，规划今晚的观测。',
  '天文摄影：叠加了两百张猎户座星云的照片。'];

test('a bilingual student is committed', () => {
  assert.ok(bilingual.length >= 1, 'no models/distilled bundle lists "zh" in its languages');
});

for (const name of bilingual) {
  test(`${name}: a Chinese post joins the interest of English posts on its topic`, async (t) => {
    assert.ok(existsSync(path.join(ROOT, 'web/models', name, 'manifest.json')), 'run scripts/build-models.sh distilled');
    const model = await loadModel({ name });
    t.after(() => model.dispose());
    const profile = new InterestProfile(model);
    t.after(() => profile.dispose());
    const posts = [...ASTRO_EN.map((text, i) => ({ id: `a${i}`, text, time: T0 + i * DAY })),
      ...BAKING_EN.map((text, i) => ({ id: `b${i}`, text, time: T0 + (i + 0.5) * DAY }))];
    await profile.addPosts(posts);
    await profile.addPosts([{ id: 'zh0', text: ASTRO_ZH[0], time: T0 + 5 * DAY }]);
    const interests = profile.interests();
    const home = interests.find((i) => i.postIds.includes('zh0'));
    assert.ok(home.postIds.some((id) => id.startsWith('a')), JSON.stringify(interests.map((i) => i.postIds)));
    assert.ok(!home.postIds.some((id) => id.startsWith('b')), JSON.stringify(interests.map((i) => i.postIds)));
  });

  test(`${name}: Chinese posts rank an English catalogue by meaning`, async (t) => {
    const model = await loadModel({ name });
    t.after(() => model.dispose());
    const { catalog, items } = await smallAppCatalog(model);
    t.after(() => catalog.dispose());
    const profile = new InterestProfile(model);
    t.after(() => profile.dispose());
    await profile.addPosts(ASTRO_ZH.map((text, i) => ({ id: `z${i}`, text, time: T0 + i * DAY })));
    const ranked = profile.rank(catalog, { k: 3, strategy: 'centroid' });
    assert.deepEqual(ranked.slice(0, 2).map((r) => r.id).toSorted(), ['kstars', 'stellarium'], JSON.stringify(ranked.map((r) => r.id)));
    // The real Catalog's order is the brute-force exact one.
    assert.deepEqual(ranked.map((r) => r.id), exactRanking(items, profile.query('centroid'), { k: 3 }).map((r) => r.id));
  });
}
