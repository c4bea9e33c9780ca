import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, openModulePage, startServer } from '../../dev/harness.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url)));
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const isolated of [true, false]) {
  test(`the wasm core loads in Chromium (${isolated ? 'with' : 'without'} cross-origin isolation)`, async () => {
    const server = await startServer({ isolated });
    try {
      const { page, errors } = await openModulePage(browser, server);
      const result = await page.evaluate(async () => {
        const lr = await import('localrec');
        await lr.init();
        return { version: lr.version(), isolated: globalThis.crossOriginIsolated };
      });
      assert.equal(result.version, pkg.version);
      assert.equal(result.isolated, isolated);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await server.close();
    }
  });
}
