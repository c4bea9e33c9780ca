import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorker, init, version } from 'localrec';

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
