// createWorker() in Chromium without a bundler: the worker starts from the package's own
// web/worker.js, and one that cannot load rejects createWorker() with its URL and a reason (a
// browser's error event for a failed worker script carries no message of its own).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openModulePage, startServer } from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ isolated: false });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a worker script that is missing or is an HTML page: createWorker() rejects with the URL', async () => {
  const { page } = await openModulePage(browser, server);
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
