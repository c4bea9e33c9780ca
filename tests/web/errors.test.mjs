// Errors cross the JS <-> wasm boundary as a status (src/wasm/bind_util.h, web/src/core.js):
// a long-lived page can fail hundreds of thousands of core calls and keep working. Before the
// status channel every error leaked wasm stack and an exception object; the instance broke after
// 23,416 bad catalogues (issue 14), and objects loaded before broke with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Catalog, InterestProfile } from 'localrec';
import { getCore } from '../../web/src/core.js';
import { fakeModel } from '../../dev/fake-model.mjs';

await init();

const N = 200_001;  // failing calls of each kind (the issue asks for more than 200,000)
const DIMS = 128;
const T0 = Date.UTC(2024, 0, 1);
const WORDS = ['telescope', 'galaxy', 'nebula', 'sourdough', 'bread', 'guitar', 'chord', 'chess'];

function unit(seed) {
  const v = new Float32Array(DIMS);
  let s = seed >>> 0;
  for (let d = 0; d < DIMS; d++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[d] = s / 2 ** 32 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

// Calls fn n times; every call must throw an Error with `code` and a clean message.
function failMany(n, code, fn) {
  let message = null;
  for (let i = 0; i < n; i++) {
    try {
      fn(i);
    } catch (e) {
      if (e?.code !== code || typeof e.message !== 'string' || e.message.includes('\0')) {
        assert.fail(`call ${i}: expected ${code}, got ${e?.code}: ${String(e?.message).replace(/\0/g, '\\0')}`);
      }
      message ??= e.message;
      if (e.message !== message) assert.fail(`call ${i}: message changed to '${e.message}'`);
      continue;
    }
    assert.fail(`call ${i} did not throw`);
  }
}

test(`${N} failing core calls of each kind leave the instance and earlier objects intact`, async () => {
  const core = getCore();
  const model = fakeModel({ dims: DIMS });
  const catalog = Catalog.fromVectors({
    ids: Array.from({ length: 50 }, (_, i) => `item${i}`),
    vectors: Array.from({ length: 50 }, (_, i) => unit(i + 1)),
    texts: Array.from({ length: 50 }, (_, i) => `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]}`),
    modelFingerprint: model.fingerprint,
  });
  const profile = new InterestProfile(model);
  await profile.addPosts(WORDS.map((w, i) => ({ id: `p${i}`, text: `${w} ${WORDS[(i + 1) % 8]}`, time: T0 + i * 1000 })));
  const saved = profile.toBytes();
  const query = [unit(7), unit(8)];
  const expectedSearch = catalog.search(query, { k: 5 });
  const expectedRank = profile.rank(catalog, { k: 5 });
  const expectedInterests = profile.interests({ now: T0 });
  const memoryBefore = core.HEAPU8.length;

  // The four kinds of the issue: a bad catalogue, a bad post time, a corrupt profile, a
  // search with another model's fingerprint.
  const bad = new Uint8Array(10);
  failMany(N, 'CorruptData', () => Catalog.fromBytes(bad));
  const corrupt = saved.slice();
  corrupt[corrupt.length - 1] ^= 0xff;
  failMany(N, 'CorruptData', () => InterestProfile.fromBytes(model, corrupt));
  failMany(N, 'ModelMismatch', () => catalog.search(query, { k: 3, modelFingerprint: 'a'.repeat(64) }));
  // addPosts' time is refused by the core (the JS layer only checks that it is a finite number).
  let rejected = 0;
  const batch = 1000;
  for (let i = 0; i < N; i += batch) {
    const calls = [];
    for (let j = i; j < Math.min(N, i + batch); j++) {
      calls.push(profile.addPosts([{ id: `bad${j}`, text: 'telescope galaxy', time: 2e15 }]).then(
        () => assert.fail(`addPosts ${j} was accepted`),
        (e) => { assert.equal(e.code, 'InvalidArgument', e.message); rejected++; }));
    }
    await Promise.all(calls);
  }
  assert.equal(rejected, N);

  // Objects loaded before answer as before; new ones load.
  assert.deepEqual(catalog.search(query, { k: 5 }), expectedSearch);
  assert.deepEqual(profile.rank(catalog, { k: 5 }), expectedRank);
  assert.deepEqual(profile.interests({ now: T0 }), expectedInterests);
  assert.deepEqual(profile.toBytes(), saved);
  const again = InterestProfile.fromBytes(model, saved);
  assert.deepEqual(again.interests({ now: T0 }), expectedInterests);
  again.dispose();
  const copy = Catalog.fromBytes(catalog.toBytes());
  assert.deepEqual(copy.search(query, { k: 5 }), expectedSearch);
  copy.dispose();
  // 800,000 failures cost no memory (the old way leaked an exception object per error).
  assert.ok(core.HEAPU8.length - memoryBefore <= 1 << 20,
    `wasm memory grew by ${core.HEAPU8.length - memoryBefore} bytes`);
  profile.dispose();
  catalog.dispose();
});

test('core errors and JS exceptions inside core calls leave the stack where it was', () => {
  const core = getCore();
  const sp = core.stackSave();
  assert.equal(core.probeStatus(0), 1);
  for (let i = 0; i < 100_000; i++) {
    assert.throws(() => core.probeStatus(1), (e) => e.code === 'CorruptData' && e.message === 'probe: bad input');
    // Wasm's catch (...) does not catch a JS exception (here JSON.parse's): it unwinds through
    // the wasm frames, and the wrapper of web/src/core.js restores the stack pointer.
    assert.throws(() => core.probeStatus(2), SyntaxError);
    assert.equal(core.stackSave(), sp);
  }
  assert.equal(core.probeStatus(0), 1);
});
