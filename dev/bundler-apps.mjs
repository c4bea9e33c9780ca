// Fresh apps built by real bundlers from the packed package: shared by the integration test
// (tests/browser/bundlers.test.mjs) and the size benchmark (bench/bundle-size.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { repoRoot } from './harness.mjs';

export const CACHE = path.join(repoRoot, '.cache', 'bundler-apps');
export const bin = (p) => path.join(repoRoot, 'node_modules', p);

/** The README's example app: the first ```js block of the bundlers section. */
export function readmeApp() {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf('## Using localrec with Vite / webpack / esbuild');
  assert.ok(at >= 0, 'README.md has no "Using localrec with Vite / webpack / esbuild" section');
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'the bundlers section has no js example');
  return m[1];
}

export const INDEX_HTML = (script, type = 'module') => `<!doctype html>
<meta charset="utf-8">
<title>localrec in a bundled app</title>
<pre id="worker"></pre>
<pre id="main"></pre>
<script ${type === 'module' ? 'type="module"' : 'defer'} src="${script}"></script>
`;

export function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout}\n${e.stderr}`);
  }
}

// Packs the package and installs the tarball (and its dependencies) once per tarball content.
export function installPackage() {
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
export function freshApp(dir, name, files) {
  const app = path.join(dir, 'apps', name);
  rmSync(app, { recursive: true, force: true });
  for (const [file, text] of Object.entries({ 'package.json': JSON.stringify({ name: `${name}-app`, private: true, type: 'module' }), ...files })) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), text);
  }
  return app;
}

export function distSizes(dist) {
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

export function printSizes(name, rows) {
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const lines = rows.map((r) => `  ${r.file.padEnd(48)} ${String(r.raw).padStart(10)} ${String(r.gzip).padStart(10)}`);
  console.log(`# ${name} dist (bytes raw, gzip)\n${lines.join('\n')}\n  ${'total'.padEnd(48)} ${String(total.raw).padStart(10)} ${String(total.gzip).padStart(10)}`);
}

/** Serves `root` on 127.0.0.1; `isolated` adds COOP/COEP (cross-origin isolation: ORT threads). */
export async function serveStatic(root, { isolated = false } = {}) {
  const serve = sirv(root, {
    dev: true,
    dotfiles: false,
    setHeaders(res) {
      if (!isolated) return;
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    },
  });
  const server = http.createServer((req, res) => serve(req, res, () => { res.statusCode = 404; res.end('not found'); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

