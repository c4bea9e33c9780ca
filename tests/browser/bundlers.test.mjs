// The package as a web front end gets it: `npm pack`, the tarball installed into fresh Vite,
// webpack 5 and esbuild apps whose only code is the README's "Using localrec with Vite / webpack /
// esbuild" example, each built with no bundler configuration, served on 127.0.0.1 and opened in
// headless Chromium. Recommendations must appear through createWorker() and through the
// main-thread API, the default model must come from the app's own output, and no request may
// leave the page's origin. Vite's dev server (dependency pre-bundling) is checked too.
//
// The tarball's install is cached in .cache/bundler-apps/<sha256 of the tarball> (npm pack is
// reproducible), so a run with an unchanged package only builds and browses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../dev/harness.mjs';
import {
  bin, distSizes, freshApp, INDEX_HTML, installPackage, printSizes, readmeApp, run, serveStatic,
} from '../../dev/bundler-apps.mjs';

const PAGE_TIMEOUT_MS = 180_000;

let browser;
let installDir;
before(async () => {
  installDir = installPackage();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Opens the app, waits for both lists, and checks where every request went.
async function checkApp(origin, { modelFile = /\.onnx$/, isolated = false } = {}) {
  const page = await browser.context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Anything for another origin is refused (and recorded above), so a leak fails the checks below.
  await page.route((url) => url.origin !== origin && !['data:', 'blob:'].includes(url.protocol), (r) => r.abort());
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.querySelector('#worker').textContent && document.querySelector('#main').textContent,
      null, { timeout: PAGE_TIMEOUT_MS }).catch((e) => { throw new Error(`no recommendations: ${errors.join('\n') || e.message}`); });
    const [viaWorker, viaMain, isIsolated] = await page.evaluate(() => [
      ...['#worker', '#main'].map((s) => document.querySelector(s).textContent), globalThis.crossOriginIsolated]);
    assert.equal(isIsolated, isolated);
    // Isolated, ONNX Runtime's thread workers start besides localrec's own worker.
    if (isolated) assert.ok(workers.length >= 2, `ONNX Runtime started no threads: workers ${workers.join(', ')}`);
    for (const [how, text] of [['createWorker()', viaWorker], ['main thread', viaMain]]) {
      const top = text.split('\n').map((l) => l.split(' ')[0]);
      assert.equal(top.length, 2, `${how}: ${text}`);
      assert.ok(top.every((id) => ['stellarium', 'kstars'].includes(id)), `${how}: the astronomy items come first, got ${text}`);
      // Keyword reasons come from the texts given to Catalog.fromVectors.
      assert.match(text, /planet|telescop/, `${how}: keyword reasons are empty: ${text}`);
    }
    const network = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:'));
    const foreign = network.filter((u) => new URL(u).origin !== origin);
    assert.deepEqual(foreign, [], 'every request goes to the page\'s own origin');
    assert.ok(network.some((u) => modelFile.test(new URL(u).pathname)), `the default model was loaded from the app (${network.join(', ')})`);
    assert.ok(network.some((u) => /ort-wasm.*\.wasm$|\.wasm$/.test(new URL(u).pathname)), 'ONNX Runtime\'s wasm came from the app');
    console.log(`# ${origin}${isolated ? ' (isolated)' : ''}: ${workers.length} workers, worker [${viaWorker.replaceAll('\n', ' | ')}], main thread [${viaMain.replaceAll('\n', ' | ')}], ` +
      `${network.length} requests: ${network.map((u) => new URL(u).pathname.split('/').pop()).filter((f) => /\.(onnx|wasm|json)$/.test(f)).join(' ')}`);
    return { viaWorker, viaMain, requests: network };
  } finally {
    await page.close();
  }
}

const results = {};

// Served plainly and cross-origin isolated (COOP/COEP): isolated, ONNX Runtime starts threads,
// whose workers must find ONNX Runtime's own script in the output.
async function checkDist(dist) {
  for (const isolated of [false, true]) {
    const server = await serveStatic(dist, { isolated });
    try {
      await checkApp(server.url, { isolated });
    } finally {
      await server.close();
    }
  }
}

test('Vite: `vite build` of the README example, served statically', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'vite', { 'index.html': INDEX_HTML('./src/main.js'), 'src/main.js': readmeApp() });
  run(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);
  results.vite = distSizes(path.join(app, 'dist'));
  printSizes('vite', results.vite);
  await checkDist(path.join(app, 'dist'));
});

test('webpack 5: `webpack --mode production` (its defaults: src/index.js -> dist/main.js)', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'webpack', { 'src/index.js': readmeApp() });
  run(process.execPath, [bin('webpack-cli/bin/cli.js'), '--mode', 'production', '--no-stats'], app);
  writeFileSync(path.join(app, 'dist', 'index.html'), INDEX_HTML('main.js', 'classic'));
  results.webpack = distSizes(path.join(app, 'dist'));
  printSizes('webpack', results.webpack);
  await checkDist(path.join(app, 'dist'));
});

test('esbuild: the worker as a second entry point, then `localrec copy-assets`', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'esbuild', { 'src/main.js': readmeApp() });
  run(bin('.bin/esbuild'), ['src/main.js', 'localrec/worker', '--bundle', '--format=esm', '--splitting', '--minify',
    '--outdir=dist', '--entry-names=[name]', '--log-level=warning'], app);
  run(process.execPath, [path.join(installDir, 'node_modules/localrec/web/cli.js'), 'copy-assets', 'dist'], app);
  writeFileSync(path.join(app, 'dist', 'index.html'), INDEX_HTML('main.js'));
  results.esbuild = distSizes(path.join(app, 'dist'));
  printSizes('esbuild', results.esbuild);
  await checkDist(path.join(app, 'dist'));
});

test('Vite dev server (dependency pre-bundling) shows recommendations too', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'vite-dev', { 'index.html': INDEX_HTML('./src/main.js'), 'src/main.js': readmeApp() });
  const child = spawn(process.execPath, [bin('vite/bin/vite.js'), '--host', '127.0.0.1', '--port', '0', '--strictPort', 'false'],
    { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  try {
    const origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${out}`)), 60_000);
      const onData = (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => reject(new Error(`vite dev exited (${code}):\n${out}`)));
    });
    const { requests } = await checkApp(origin);
    // The package went through Vite's dependency optimizer (pre-bundled into .vite/deps).
    assert.ok(requests.some((u) => /\/node_modules\/\.vite\/deps\/localrec\.js/.test(u)),
      `localrec was not pre-bundled: ${requests.filter((u) => u.includes('localrec')).join(', ')}`);
  } finally {
    child.kill();
  }
});
