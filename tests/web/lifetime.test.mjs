// Dropped objects give their wasm memory back (web/src/lifetime.js): a long-lived page that
// loads catalogues and forgets to dispose() them does not run out of memory (issue 14: 257
// dropped demo catalogues reached OutOfMemory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { init, Catalog, CatalogBuilder, InterestProfile, createWorker } from 'localrec';
import { getCore } from '../../web/src/core.js';
import { fakeModel } from '../../dev/fake-model.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
await init();

async function collect() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));  // finalizers run in a later task
  }
}

function bigCatalogBytes(items, dims) {
  const builder = new CatalogBuilder({ dims, modelFingerprint: 'f'.repeat(64) });
  let s = 1;
  const v = new Float32Array(dims);
  for (let i = 0; i < items; i++) {
    let n = 0;
    for (let d = 0; d < dims; d++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      v[d] = s / 2 ** 32 - 0.5;
      n += v[d] * v[d];
    }
    for (let d = 0; d < dims; d++) v[d] /= Math.sqrt(n);
    builder.add({ id: `item-${i}`, vector: v });
  }
  const catalog = builder.finish();
  const bytes = catalog.toBytes();
  catalog.dispose();
  return bytes;
}

test('400 dropped catalogues do not exhaust wasm memory', async () => {
  const bytes = bigCatalogBytes(25_000, 384);  // about 11 MB: 400 of them would need 4.3 GB
  assert.ok(bytes.length * 400 > 4 * 2 ** 30, `${bytes.length} bytes`);
  const kept = Catalog.fromBytes(bytes);
  const query = kept.vector(7);
  const expected = kept.search([query], { k: 3 });
  for (let i = 0; i < 400; i++) {
    const dropped = Catalog.fromBytes(bytes);  // never disposed
    assert.equal(dropped.size, 25_000);
    if (i % 16 === 15) await collect();
  }
  await collect();
  const memory = getCore().HEAPU8.length;
  assert.ok(memory < 1.5 * 2 ** 30, `wasm memory reached ${memory} bytes`);
  assert.deepEqual(kept.search([query], { k: 3 }), expected);  // the one kept is untouched
  kept.dispose();
});

test('a dropped profile is freed, a disposed one is not freed twice', async () => {
  const model = fakeModel();
  const before = getCore().HEAPU8.length;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 200; i++) {
      const p = new InterestProfile(model);
      await p.addPosts([{ id: 'a', text: `telescope galaxy nebula ${i}`, time: Date.UTC(2024, 0, 1) }]);
      if (i % 2) p.dispose();  // disposing unregisters: the collector must not delete it again
    }
    await collect();
  }
  assert.ok(getCore().HEAPU8.length - before < 64 * 2 ** 20, `grew ${getCore().HEAPU8.length - before}`);
});

test('near a full heap, copying a long string into wasm fails with OutOfMemory and nothing breaks', async () => {
  const bytes = bigCatalogBytes(25_000, 384);
  const cats = [];
  try {
    for (;;) {
      try {
        cats.push(Catalog.fromBytes(bytes));
      } catch (e) {
        assert.equal(e.code, 'OutOfMemory', e.message);
        break;
      }
      assert.ok(cats.length < 1000, 'the heap never filled');
    }
    // Embind's string copy used to write a failed malloc's 20 MB from address 0 and hang.
    for (let i = 0; i < 3; i++) {
      assert.throws(() => cats[0].indexOf('x'.repeat(20e6)), (e) => e.code === 'OutOfMemory');
    }
    assert.equal(cats[0].indexOf('item-3'), 3);
    assert.equal(cats.at(-1).indexOf('item-24999'), 24999);
  } finally {
    for (const c of cats) c.dispose();
  }
  const again = Catalog.fromBytes(bytes);
  assert.equal(again.indexOf('x'.repeat(20e6)), -1);
  again.dispose();
});

test("the worker releases the objects of remote handles the page dropped", async () => {
  const w = await createWorker();
  try {
    const make = () => w.callStatic('Catalog', 'fromVectors', {
      ids: ['a', 'b'], vectors: [new Float32Array([1, 0]), new Float32Array([0, 1])], modelFingerprint: 'f'.repeat(64),
    });
    const kept = await make();
    for (let i = 0; i < 20; i++) assert.equal(await (await make()).size, 2);  // dropped at once
    const disposed = await make();
    await disposed.dispose();
    let count = await w.handleCount();
    for (let i = 0; i < 50 && count > 1; i++) {
      await collect();
      count = await w.handleCount();
    }
    assert.equal(count, 1);  // only `kept`
    assert.deepEqual((await kept.search([new Float32Array([1, 0])], { k: 1 })).map((r) => r.id), ['a']);
  } finally {
    await w.terminate();
  }
});

test('a dropped handle whose object another worker object uses is forgotten, not disposed', async () => {
  const w = await createWorker();
  try {
    let model = await w.loadModel();
    const profile = await w.construct('InterestProfile', model);
    const before = await w.handleCount();
    model = null;  // the page drops its handle; the profile in the worker still uses the model
    let count = before;
    for (let i = 0; i < 50 && count === before; i++) {
      await collect();
      count = await w.handleCount();
    }
    assert.equal(count, before - 1);
    assert.equal(await profile.addPosts([{ id: 'a', text: 'Saturn through a small telescope', time: Date.UTC(2025, 0, 1) }]), 1);
    assert.ok((await profile.interests()).length === 1);
    await profile.dispose();
  } finally {
    await w.terminate();
  }
});
