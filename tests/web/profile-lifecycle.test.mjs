// A long-lived profile (issue 14): times far in the future are refused, removals recompute the
// decay reference so nothing turns NaN, and mutations apply in call order (forget means forget).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, InterestProfile } from 'localrec';
import { fakeModel } from '../../dev/fake-model.mjs';

await init();

const DAY = 86400000;
const NOW = Date.UTC(2026, 0, 1);
const WORDS = ['telescope', 'galaxy', 'nebula', 'planet', 'sourdough', 'bread', 'oven', 'yeast',
  'guitar', 'chord', 'melody', 'chess', 'opening', 'gambit', 'garden', 'tomato', 'compost'];

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function track(t, profile) {
  t.after(() => profile.dispose());
  return profile;
}

function cosine(a, b) {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

test('a post dated more than a day after now is refused; within a day, or with an explicit now, it is kept', async (t) => {
  const p = track(t, new InterestProfile(fakeModel()));
  await p.addPosts([{ id: 'a', text: 'Saturn telescope', time: NOW }], { now: NOW });
  await assert.rejects(p.addPosts([{ id: 'typo', text: 'gardening tomato', time: Date.UTC(3000, 0, 1) }]),
    (e) => e.code === 'InvalidArgument' && /more than a day after now/.test(e.message));
  await assert.rejects(p.addPosts([{ id: 'typo', text: 'gardening tomato', time: NOW + 2 * DAY }], { now: NOW }),
    (e) => e.code === 'InvalidArgument');
  assert.equal(p.has('typo'), false);
  await p.addPosts([{ id: 'soon', text: 'gardening tomato', time: NOW + 0.9 * DAY }], { now: NOW });
  assert.equal(p.size, 2);
  // The default "now" is the system clock: a post dated tomorrow-ish is fine, next year is not.
  await p.addPosts([{ id: 'clock', text: 'chess gambit', time: Date.now() + 3600e3 }]);
  await assert.rejects(p.addPosts([{ id: 'late', text: 'chess gambit', time: Date.now() + 365 * DAY }]),
    (e) => e.code === 'InvalidArgument');
  await assert.rejects(p.feedback('item', 'dismiss', { time: Date.now() + 365 * DAY }), (e) => e.code === 'InvalidArgument');
  assert.deepEqual(p.feedbackItems(), []);
  await assert.rejects(p.addPosts([{ id: 'nan', text: 'x y z', time: NaN }]), (e) => e.code === 'InvalidArgument');
});

test('removing a post that moved the decay clock far ahead leaves the profile as if it never came', async (t) => {
  const model = fakeModel();
  const far = Date.UTC(3000, 0, 1);  // allowed here because the caller says "now" is year 3000
  const p = track(t, new InterestProfile(model));
  await p.addPosts([{ id: 'a', text: 'Saturn telescope', time: NOW }, { id: 'b', text: 'home studio mixing', time: NOW }]);
  await p.addPosts([{ id: 'typo', text: 'gardening', time: far }], { now: far });
  assert.equal(p.removePost('typo'), true);
  await p.addPosts([{ id: 'c', text: 'chess openings', time: NOW }]);
  const importances = p.interests({ now: NOW }).map((i) => i.importance);
  assert.ok(importances.length > 0 && importances.every((x) => Number.isFinite(x) && x > 0), String(importances));
  assert.ok(p.keywords({ now: NOW }).length > 0);
  assert.ok(p.userVector('keywords').some((x) => x !== 0));
  assert.ok(p.userVector('centroid').some((x) => x !== 0));

  const rebuilt = track(t, new InterestProfile(model));
  await rebuilt.addPosts([{ id: 'a', text: 'Saturn telescope', time: NOW }, { id: 'b', text: 'home studio mixing', time: NOW }]);
  await rebuilt.addPosts([{ id: 'c', text: 'chess openings', time: NOW }]);
  assert.deepEqual(p.keywords({ now: NOW }).map((k) => k.text), rebuilt.keywords({ now: NOW }).map((k) => k.text));
  const round = InterestProfile.fromBytes(model, p.toBytes());
  t.after(() => round.dispose());
  assert.deepEqual(round.interests({ now: NOW }).map((i) => i.importance), p.interests({ now: NOW }).map((i) => i.importance));
  // A `now` before the newest post counts as its time: importances stay finite.
  for (const now of [0, NOW - 3650 * DAY, NOW, NOW + 3650 * DAY]) {
    for (const it of p.interests({ now })) assert.ok(Number.isFinite(it.importance) && it.importance >= 0, `now=${now}`);
  }
});

test('property: random times with removals keep importances finite and equal to a rebuilt profile', async (t) => {
  const model = fakeModel();
  for (let seed = 1; seed <= 12; seed++) {
    const random = rng(seed);
    const halfLifeDays = [0.01, 1, 30, 1000][seed % 4];
    const p = new InterestProfile(model, { halfLifeDays });
    const live = new Map();  // id -> post, in the order they were (last) added
    let next = 0;
    for (let step = 0; step < 40; step++) {
      if (live.size > 0 && random() < 0.35) {
        const ids = [...live.keys()];
        const id = ids[Math.floor(random() * ids.length)];
        assert.equal(p.removePost(id), true);
        live.delete(id);
      } else {
        const spread = [1, 100, 20000][Math.floor(random() * 3)];  // days
        const time = NOW - Math.floor(random() * spread * DAY);
        const text = Array.from({ length: 3 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
        const post = { id: `p${next++}`, text, time };
        await p.addPosts([post], { now: NOW });
        live.set(post.id, post);
      }
      for (const it of p.interests({ now: NOW })) {
        assert.ok(Number.isFinite(it.importance) && Number.isFinite(it.weight), `seed ${seed} step ${step}`);
      }
      for (const k of p.keywords({ now: NOW, limit: 50 })) assert.ok(Number.isFinite(k.weight) && Number.isFinite(k.frequency));
    }
    const rebuilt = new InterestProfile(model, { halfLifeDays });
    if (live.size) await rebuilt.addPosts([...live.values()], { now: NOW, batchSize: 1 });
    const a = p.keywords({ now: NOW, limit: 100 });
    const b = rebuilt.keywords({ now: NOW, limit: 100 });
    const weights = new Map(b.map((k) => [k.text, k.weight]));
    assert.equal(a.length, b.length, `seed ${seed}: keyword count`);
    for (const k of a) {
      assert.ok(Math.abs(k.weight - weights.get(k.text)) < 1e-9, `seed ${seed}: weight of ${k.text}`);
    }
    const total = (x) => x.interests({ now: NOW }).reduce((s, i) => s + i.importance, 0);
    assert.ok(Math.abs(total(p) - total(rebuilt)) <= 1e-9 * Math.max(1, total(p)), `seed ${seed}: ${total(p)} vs ${total(rebuilt)}`);
    assert.ok(cosine(p.userVector('centroid'), rebuilt.userVector('centroid')) > 1 - 1e-6, `seed ${seed}: centroid`);
    assert.ok(cosine(p.userVector('keywords'), rebuilt.userVector('keywords')) > 1 - 1e-6, `seed ${seed}: U`);
    p.dispose();
    rebuilt.dispose();
  }
});

// A model whose embed() waits until the test lets it go.
function gatedModel() {
  const base = fakeModel();
  const gates = [];
  return {
    ...base,
    gates,
    async embed(texts) {
      await new Promise((resolve) => gates.push(resolve));
      return base.embed(texts);
    },
    release() { while (gates.length) gates.shift()(); },
  };
}

async function settle(model, promise) {
  promise.catch(() => {});  // handled by the caller once settled; not an unhandled rejection
  for (let i = 0; i < 20; i++) {
    model.release();
    await new Promise((r) => setTimeout(r, 1));
  }
  return promise;
}

test('mutations apply in call order: clear, removePost and load during a pending addPosts', async (t) => {
  const model = gatedModel();
  const p = track(t, new InterestProfile(model));
  // The reproduction: "forget me" while a post is being embedded.
  const pending = p.addPosts([{ id: 'secret', text: 'my private medical question', time: NOW }]);
  p.clear();
  await assert.rejects(settle(model, pending), (e) => e.code === 'Cancelled');
  assert.equal(p.has('secret'), false);
  assert.equal(p.size, 0);

  // removePost of an id whose addPosts is pending: it stays removed; other posts are kept.
  const two = p.addPosts([{ id: 'x', text: 'telescope galaxy', time: NOW }, { id: 'y', text: 'bread oven', time: NOW }]);
  assert.equal(p.removePost('x'), false);  // not stored yet
  assert.equal(await settle(model, two), 1);
  assert.equal(p.has('x'), false);
  assert.equal(p.has('y'), true);
  // ... but an addPosts called after the removal stores it.
  p.removePost('y');
  const again = p.addPosts([{ id: 'y', text: 'bread oven', time: NOW }]);
  await settle(model, again);
  assert.equal(p.has('y'), true);

  // Batches queued behind one another: clear() cancels all of them.
  const saved = p.toBytes();
  const first = p.addPosts([{ id: 'q1', text: 'chess gambit', time: NOW }]);
  const second = p.addPosts([{ id: 'q2', text: 'guitar chord', time: NOW }]);
  p.load(saved);
  await assert.rejects(settle(model, first), (e) => e.code === 'Cancelled');
  await assert.rejects(settle(model, second), (e) => e.code === 'Cancelled');
  assert.equal(p.has('q1') || p.has('q2'), false);
  assert.deepEqual(p.toBytes(), saved);

  // A like whose addPosts is cancelled by clear() leaves no feedback behind either.
  const like = p.feedback('item1', 'like', { text: 'telescope nebula', time: NOW, now: NOW });
  p.clear();
  await assert.rejects(settle(model, like), (e) => e.code === 'Cancelled');
  assert.deepEqual(p.feedbackItems(), []);
  assert.equal(p.size, 0);
});
