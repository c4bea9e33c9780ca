// Shared by the browser tests and benchmarks: a static server for the repository (with or
// without cross-origin isolation) and Debian's Chromium driven by playwright-core.

import { before, after } from 'node:test';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Import map for pages that import the package the way an application would. */
export const importMap = {
  imports: {
    localrec: '/web/index.js',
    'onnxruntime-web/wasm': '/node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs',
    // transformers.js (a reference in parity tests) and the ONNX Runtime build it ships with.
    '@huggingface/transformers': '/node_modules/@huggingface/transformers/dist/transformers.web.js',
    'onnxruntime-web/webgpu': '/node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs',
    'onnxruntime-common': '/node_modules/@huggingface/transformers/node_modules/onnxruntime-common/dist/esm/index.js',
  },
};

/**
 * Serves `root` on 127.0.0.1 (a random free port). `isolated` adds the COOP/COEP headers that
 * give pages cross-origin isolation (ORT threads). `etag` serves files with ETags and
 * `Cache-Control: no-cache` as scripts/serve-demo.mjs does, so a second visit revalidates and the
 * browser's HTTP and code caches apply (the default, no-store, makes every visit download).
 * Every request is recorded in `requests`.
 */
export async function startServer({ root = repoRoot, isolated = true, etag = false } = {}) {
  const requests = [];
  const serve = sirv(root, {
    dev: true,
    etag,
    dotfiles: false,
    setHeaders(res) {
      if (isolated) {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    },
  });
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    serve(req, res, () => { res.statusCode = 404; res.end('not found'); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Launches headless Chromium (Debian's /usr/bin/chromium) with a fresh profile; `args` adds flags.
 * `profileDir` reopens a profile that an earlier `close({ keepProfile: true })` left (a returning
 * user: HTTP cache, code cache, Cache API and IndexedDB as they were).
 */
export async function launchBrowser({ args = [], profileDir: reuse } = {}) {
  const profileDir = reuse ?? await mkdtemp(path.join(tmpdir(), 'localrec-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
  return {
    context,
    profileDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** Opens `pagePath` on `server`, with the package's import map installed before any module runs. */
export async function openModulePage(browser, server, pagePath = '/tests/browser/pages/blank.html') {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}${pagePath}`);
  await page.evaluate((map) => {
    const s = document.createElement('script');
    s.type = 'importmap';
    s.textContent = JSON.stringify(map);
    document.head.append(s);
  }, importMap);
  return { page, errors };
}

/**
 * The usual setup of a browser test file: Chromium and a server of the repository, started in
 * `before` (after `setup`, when given) and closed in `after`. `browser` and `server` are set once
 * `before` has run; `open(path)` is openModulePage on them.
 */
export function useBrowser({ isolated = false, setup } = {}) {
  const env = {
    browser: null,
    server: null,
    open: (pagePath) => openModulePage(env.browser, env.server, pagePath),
  };
  before(async () => {
    await setup?.();
    env.browser = await launchBrowser();
    env.server = await startServer({ isolated });
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
