import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorker, defaults, init, version } from 'localrec';

test('the worker runs localrec off the main thread and reports errors as Errors', async () => {
  await init();
  const w = await createWorker();
  try {
    assert.equal(await w.version(), version());
    await assert.rejects(w.call('noSuchFunction'), /noSuchFunction is not a method/);
    await assert.rejects(w.construct('NoSuchClass'), /no class NoSuchClass/);
    // The worker keeps serving after errors.
    assert.equal(await w.version(), version());
  } finally {
    await w.terminate();
  }
});

test('the worker serves its classes and functions by their exported names only', async () => {
  const w = await createWorker();
  try {
    await assert.rejects(w.call('ModelLoadError'), /ModelLoadError is not a method/);
    await assert.rejects(w.callStatic('Catalog', 'constructor'), /no static method Catalog\.constructor/);
    await assert.rejects(w.callStatic('Object', 'keys', {}), /no static method Object\.keys/);
    await assert.rejects(w.construct('ModelLoadError', 'x'), /no class ModelLoadError/);
  } finally {
    await w.terminate();
  }
});

test('in the worker, a profile ranks a remote Catalog (the real one behind the handle) and defaults() is served', async () => {
  await init();
  const w = await createWorker();
  try {
    assert.deepEqual(await w.call('defaults'), defaults());
    const model = await w.loadModel();
    const texts = ['Planetarium and telescope software for the night sky', 'Bread baking timer for the oven'];
    const vectors = await model.embed(texts);
    const catalog = await w.callStatic('Catalog', 'fromVectors', { ids: ['sky', 'bread'], vectors, texts, modelFingerprint: model.fingerprint });
    const profile = await w.construct('InterestProfile', model);
    await profile.addPosts([{ id: 'p', text: 'Saturn and its rings through my telescope tonight' }]);
    const ranked = await profile.rank(catalog, { k: 1 });
    assert.deepEqual(ranked.map((r) => r.id), ['sky']);
    assert.ok(ranked[0].reasons.keywords.includes('telescope'), JSON.stringify(ranked[0].reasons));
    await profile.dispose();
    await catalog.dispose();
    await model.dispose();
  } finally {
    await w.terminate();
  }
});
