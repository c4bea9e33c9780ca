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
