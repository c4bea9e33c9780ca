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
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { launchBrowser, repoRoot } from './harness.mjs';

const CACHE = path.join(repoRoot, '.cache', 'bundler-apps');
const bin = (p) => path.join(repoRoot, 'node_modules', p);
const PAGE_TIMEOUT_MS = 180_000;

/** The README's example app: the first ```js block of the bundlers section. */
export function readmeApp() {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf('## Using localrec with Vite / webpack / esbuild');
  assert.ok(at >= 0, 'README.md has no "Using localrec with Vite / webpack / esbuild" section');
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the bundlers section has no js example');
  return m[1];
}

const INDEX_HTML = (script, type = 'module') => `<!doctype html>
<meta charset="utf-8">
<title>localrec in a bundled app</title>
<pre id="worker"></pre>
<pre id="main"></pre>
<script ${type === 'module' ? 'type="module"' : 'defer'} src="${script}"></script>
`;

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout}\n${e.stderr}`);
  }
}

// Packs the package and installs the tarball (and its dependencies) once per tarball content.
function installPackage() {
  const packDir = path.join(CACHE, 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], repoRoot));
  const tarball = path.join(packDir, packed.filename);
  const key = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, key);
  if (!existsSync(path.join(dir, '.installed'))) {
    for (const old of readdirSync(CACHE)) if (old !== 'pack') rmSync(path.join(CACHE, old), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(tarball, path.join(dir, 'localrec.tgz'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'apps', private: true, type: 'module' }));
    run('npm', ['install', './localrec.tgz', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
    writeFileSync(path.join(dir, '.installed'), key);
  }
  return dir;
}

// A fresh app folder (under the install, so `localrec` resolves from its node_modules).
function freshApp(dir, name, files) {
  const app = path.join(dir, 'apps', name);
  rmSync(app, { recursive: true, force: true });
  for (const [file, text] of Object.entries({ 'package.json': JSON.stringify({ name: `${name}-app`, private: true, type: 'module' }), ...files })) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), text);
  }
  return app;
}

function distSizes(dist) {
  const rows = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else rows.push({ file: path.relative(dist, p), raw: statSync(p).size, gzip: gzipSync(readFileSync(p)).length });
    }
  };
  walk(dist);
  return rows.sort((a, b) => b.raw - a.raw);
}

function printSizes(name, rows) {
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const lines = rows.map((r) => `  ${r.file.padEnd(48)} ${String(r.raw).padStart(10)} ${String(r.gzip).padStart(10)}`);
  console.log(`# ${name} dist (bytes raw, gzip)\n${lines.join('\n')}\n  ${'total'.padEnd(48)} ${String(total.raw).padStart(10)} ${String(total.gzip).padStart(10)}`);
}

async function serveStatic(root) {
  const serve = sirv(root, { dev: true, dotfiles: false });
  const server = http.createServer((req, res) => serve(req, res, () => { res.statusCode = 404; res.end('not found'); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

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
async function checkApp(origin, { modelFile = /\.onnx$/ } = {}) {
  const page = await browser.context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Anything for another origin is refused (and recorded above), so a leak fails the checks below.
  await page.route((url) => url.origin !== origin && !['data:', 'blob:'].includes(url.protocol), (r) => r.abort());
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.querySelector('#worker').textContent && document.querySelector('#main').textContent,
      null, { timeout: PAGE_TIMEOUT_MS }).catch((e) => { throw new Error(`no recommendations: ${errors.join('\n') || e.message}`); });
    const [viaWorker, viaMain] = await page.evaluate(() => ['#worker', '#main'].map((s) => document.querySelector(s).textContent));
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
    console.log(`# ${origin}: worker [${viaWorker.replaceAll('\n', ' | ')}], main thread [${viaMain.replaceAll('\n', ' | ')}], ` +
      `${network.length} requests: ${network.map((u) => new URL(u).pathname.split('/').pop()).filter((f) => /\.(onnx|wasm|json)$/.test(f)).join(' ')}`);
    return { viaWorker, viaMain, requests: network };
  } finally {
    await page.close();
  }
}

const results = {};

test('Vite: `vite build` of the README example, served statically', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'vite', { 'index.html': INDEX_HTML('./src/main.js'), 'src/main.js': readmeApp() });
  run(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);
  results.vite = distSizes(path.join(app, 'dist'));
  printSizes('vite', results.vite);
  const server = await serveStatic(path.join(app, 'dist'));
  try {
    await checkApp(server.url);
  } finally {
    await server.close();
  }
});

test('webpack 5: `webpack --mode production` (its defaults: src/index.js -> dist/main.js)', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'webpack', { 'src/index.js': readmeApp() });
  run(process.execPath, [bin('webpack-cli/bin/cli.js'), '--mode', 'production', '--no-stats'], app);
  writeFileSync(path.join(app, 'dist', 'index.html'), INDEX_HTML('main.js', 'classic'));
  results.webpack = distSizes(path.join(app, 'dist'));
  printSizes('webpack', results.webpack);
  const server = await serveStatic(path.join(app, 'dist'));
  try {
    await checkApp(server.url);
  } finally {
    await server.close();
  }
});

test('esbuild: the worker as a second entry point, then `localrec copy-assets`', { timeout: 600_000 }, async () => {
  const app = freshApp(installDir, 'esbuild', { 'src/main.js': readmeApp() });
  run(bin('.bin/esbuild'), ['src/main.js', 'localrec/worker', '--bundle', '--format=esm', '--minify',
    '--outdir=dist', '--entry-names=[name]', '--log-level=warning'], app);
  run(process.execPath, [path.join(installDir, 'node_modules/localrec/web/cli.js'), 'copy-assets', 'dist'], app);
  writeFileSync(path.join(app, 'dist', 'index.html'), INDEX_HTML('main.js'));
  results.esbuild = distSizes(path.join(app, 'dist'));
  printSizes('esbuild', results.esbuild);
  const server = await serveStatic(path.join(app, 'dist'));
  try {
    await checkApp(server.url);
  } finally {
    await server.close();
  }
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
    await checkApp(origin);
  } finally {
    child.kill();
  }
});
