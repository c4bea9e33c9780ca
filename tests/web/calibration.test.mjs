// Every shipped model (web/models/: the default and the distilled students), with the profile's
// default options: the similarity thresholds come from the model's calibration (manifest), so
// unrelated topics stay separate interests and related posts join one; text the model cannot
// read (most tokens unknown to its vocabulary) is refused with an error naming the model and
// the share, never stored as if it meant something. Needs scripts/build-models.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, loadModel, InterestProfile } from 'localrec';

await init();
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = path.join(ROOT, 'web/models');
// The models loadModel({ name }) offers: the default and the committed distilled students.
const distilled = readdirSync(path.join(ROOT, 'models/distilled')).sort();
const shipped = ['use-lite', ...distilled].filter((n) => existsSync(path.join(MODELS, n, 'manifest.json')));

const DAY = 86400000;
const T0 = Date.UTC(2024, 2, 1);
// The demo's two English personas (web/demo/personas.js) and a third, unrelated topic.
const personas = await import(path.join(ROOT, 'web/demo/personas.js'));
const byName = (re) => personas.personas.find((p) => re.test(p.name)).posts;
const ASTRONOMY = byName(/astronom/i);
const MUSIC = byName(/music/i);
const BAKING = [
  'My sourdough starter finally doubled overnight, baking bread tomorrow.',
  'Tried a higher hydration dough, the crumb was much more open.',
  'Croissants need cold butter and patience, lamination took all afternoon.',
  'Preheat the oven with the dutch oven inside for a crispy crust.',
];
const asPosts = (texts, prefix, offset) => texts.map((t, i) => ({
  id: `${prefix}${i}`, text: typeof t === 'string' ? t : t.text, time: T0 + (i + offset) * DAY,
}));
// Chinese: nothing in use-lite's vocabulary covers it.
const ZH = '我喜欢AI和电影，最近在研究旅游和科技。';

test('every shipped model is tested here', () => {
  assert.ok(shipped.includes('use-lite') && shipped.length === 1 + distilled.length, shipped.join(', '));
});

for (const name of shipped) {
  const manifest = JSON.parse(readFileSync(path.join(MODELS, name, 'manifest.json'), 'utf8'));

  test(`${name}: the profile takes its thresholds from the model's calibration`, async (t) => {
    const model = await loadModel({ name });
    t.after(() => model.dispose());
    const c = model.calibration;
    if (manifest.calibration) {
      assert.equal(c.measured, true);
      assert.equal(c.joinThreshold, manifest.calibration.joinThreshold);
      assert.equal(c.mergeThreshold, manifest.calibration.mergeThreshold);
      assert.ok(c.joinThreshold > -1 && c.joinThreshold < c.mergeThreshold && c.mergeThreshold < 1);
    } else {
      assert.equal(name, 'use-lite', 'a distilled student must ship a measured calibration');
      assert.deepEqual({ ...c }, { joinThreshold: 0.4, mergeThreshold: 0.8, measured: false });
    }
    const profile = new InterestProfile(model);
    t.after(() => profile.dispose());
    assert.equal(profile.options.joinThreshold, c.joinThreshold);
    assert.equal(profile.options.mergeThreshold, c.mergeThreshold);
    const explicit = new InterestProfile(model, { joinThreshold: 0.3 });
    t.after(() => explicit.dispose());
    assert.equal(explicit.options.joinThreshold, 0.3, 'an explicit option wins over the calibration');
  });

  test(`${name}: unrelated topics stay separate interests, related posts join one`, async (t) => {
    const model = await loadModel({ name });
    t.after(() => model.dispose());
    const profile = new InterestProfile(model);
    t.after(() => profile.dispose());
    await profile.addPosts([...asPosts(ASTRONOMY, 'a', 0), ...asPosts(MUSIC, 'm', 0.5), ...asPosts(BAKING, 'b', 0.25)]);
    const interests = profile.interests();
    const of = (prefix) => new Set(interests.filter((i) => i.postIds.some((id) => id.startsWith(prefix))).map((i) => i.id));
    const shared = (p, q) => [...of(p)].some((id) => of(q).has(id));
    const show = JSON.stringify(interests.map((i) => i.postIds));
    assert.ok(!shared('a', 'm') && !shared('a', 'b') && !shared('m', 'b'), `topics merged: ${show}`);
    // Related posts join: each topic's posts mostly sit in one interest.
    for (const [prefix, n] of [['a', ASTRONOMY.length], ['m', MUSIC.length], ['b', BAKING.length]]) {
      const biggest = Math.max(...interests.map((i) => i.postIds.filter((id) => id.startsWith(prefix)).length));
      assert.ok(biggest >= Math.ceil(n / 2), `${prefix}: largest interest holds ${biggest} of ${n}: ${show}`);
    }
  });

  test(`${name}: embed() reports the unknown-token share, and unreadable posts are refused`, async (t) => {
    const model = await loadModel({ name });
    t.after(() => model.dispose());
    const v = await model.embed(['A telescope for the night sky.', ZH, '']);
    assert.equal(v.unknownShares.length, 3);
    assert.equal(v.unknownShares[0], 0);
    assert.equal(v.unknownShares[2], 0);
    const zhShare = v.unknownShares[1];
    const profile = new InterestProfile(model);
    t.after(() => profile.dispose());
    await profile.addPosts([{ id: 'en', text: 'A telescope for the night sky.', time: T0 }]);
    const readsChinese = (manifest.languages ?? ['en']).includes('zh');
    if (readsChinese) {
      assert.ok(zhShare < 0.05, `${name} claims Chinese but ${zhShare} of the tokens are unknown`);
      assert.equal(await profile.addPosts([{ id: 'zh', text: ZH, time: T0 }]), 2);
    } else {
      assert.ok(zhShare > 0.5, `${name}: ${zhShare} of a Chinese post's tokens unknown`);
      await assert.rejects(profile.addPosts([{ id: 'zh', text: ZH, time: T0 }, { id: 'en2', text: 'Jupiter tonight.', time: T0 }]), (e) => {
        assert.equal(e.code, 'UnreadableText');
        assert.equal(e.postId, 'zh');
        assert.equal(e.unknownShare, zhShare);
        assert.match(e.message, new RegExp(`'${model.name}'`));
        assert.match(e.message, new RegExp(`${Math.round(zhShare * 100)} %`));
        return true;
      });
      assert.equal(profile.size, 1, 'nothing of the refused batch is stored');
      // The caller may accept such posts knowingly.
      const lax = new InterestProfile(model, { maxUnknownShare: 1 });
      t.after(() => lax.dispose());
      assert.equal(await lax.addPosts([{ id: 'zh', text: ZH, time: T0 }]), 1);
    }
    assert.throws(() => new InterestProfile(model, { maxUnknownShare: 1.5 }), RangeError);
  });
}
