// createWorker() in Chromium without a bundler: the worker starts from the package's own
// web/worker.js, and one that cannot load rejects createWorker() with its URL and a reason (a
// browser's error event for a failed worker script carries no message of its own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from '../../dev/harness.mjs';

const env = useBrowser();

test('a worker script that is missing or is an HTML page: createWorker() rejects with the URL', async () => {
  const { page } = await env.open();
  try {
    const results = await page.evaluate(async () => {
      const { createWorker } = await import('localrec');
      const out = [];
      for (const url of ['/web/no-such-worker.js', '/tests/browser/pages/blank.html']) {
        try {
          await createWorker({ url });
          out.push({ url, ok: true });
        } catch (e) {
          out.push({ url, code: e.code, message: e.message });
        }
      }
      const w = await createWorker();
      const version = await w.version();
      w.terminate();
      return { out, version };
    });
    for (const r of results.out) {
      assert.equal(r.code, 'WorkerFailed', JSON.stringify(r));
      assert.ok(r.message.includes(r.url), r.message);
      assert.doesNotMatch(r.message, /undefined/);
    }
    assert.match(results.version, /^\d+\.\d+\.\d+/);
  } finally {
    await page.close();
  }
});

test('createWorker({ worker }) takes over a worker created earlier, whose ready message nobody heard', async () => {
  const { page } = await env.open();
  try {
    const result = await page.evaluate(async () => {
      // Started like the demo's index.html does, before the page listens: its { ready } is lost.
      const worker = new Worker('/web/worker.js', { type: 'module' });
      const heard = await new Promise((resolve) => {
        worker.addEventListener('message', (e) => resolve(e.data), { once: true });
      });
      const { createWorker } = await import('localrec');
      const lr = await Promise.race([
        createWorker({ worker }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('createWorker({ worker }) hung')), 20000)),
      ]);
      const version = await lr.version();
      lr.terminate();
      return { heard, version };
    });
    assert.deepEqual(result.heard, { ready: true }, 'the worker had announced itself before createWorker()');
    assert.match(result.version, /^\d+\.\d+\.\d+/);
  } finally {
    await page.close();
  }
});
