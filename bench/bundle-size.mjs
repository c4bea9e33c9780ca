// What a page that only calls createWorker() carries in its main chunk, per bundler, next to the
// README example app (main-thread API + worker). Builds the packed package into fresh apps (the
// install is cached like the integration test's) and prints raw and gzip bytes side by side.
//   node bench/bundle-size.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bin, freshApp, INDEX_HTML, installPackage, readmeApp, run } from '../dev/bundler-apps.mjs';

const WORKER_ONLY = `import { createWorker } from 'localrec';

const lr = await createWorker();
const model = await lr.loadModel();
document.body.textContent = String((await model.embed(['hello']))[0].length);
`;

const BUILDS = {
  vite: (app) => {
    run(process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], app);
    const assets = path.join(app, 'dist', 'assets');
    const html = readFileSync(path.join(app, 'dist', 'index.html'), 'utf8');
    const main = /src="\/assets\/([^"]+\.js)"/.exec(html)[1];
    return { main: path.join(assets, main), dist: path.join(app, 'dist') };
  },
  webpack: (app) => {
    run(process.execPath, [bin('webpack-cli/bin/cli.js'), '--mode', 'production', '--no-stats'], app);
    return { main: path.join(app, 'dist', 'main.js'), dist: path.join(app, 'dist') };
  },
  esbuild: (app) => {
    run(bin('.bin/esbuild'), ['src/main.js', 'localrec/worker', '--bundle', '--format=esm', '--splitting', '--minify',
      '--outdir=dist', '--entry-names=[name]', '--log-level=error'], app);
    return { main: path.join(app, 'dist', 'main.js'), dist: path.join(app, 'dist') };
  },
};

function jsBytes(dir) {
  let raw = 0, gzip = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? e.path, e.name);
    if (e.isFile() && /\.m?js$/.test(e.name)) { raw += statSync(p).size; gzip += gzipSync(readFileSync(p)).length; }
  }
  return { raw, gzip };
}
// The entry chunk and the chunks it imports statically (esbuild --splitting puts the shared code
// in chunks the entry imports): what the page must load before its code runs.
function initialLoad(file, seen = new Set()) {
  if (seen.has(file)) return { raw: 0, gzip: 0 };
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const total = { raw: statSync(file).size, gzip: gzipSync(text).length };
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.\.?\/[^"']+\.js)["']/g)) {
    const sub = initialLoad(path.join(path.dirname(file), m[1]), seen);
    total.raw += sub.raw;
    total.gzip += sub.gzip;
  }
  return total;
}
const kb = ({ raw, gzip }) => `${(raw / 1024).toFixed(1).padStart(7)} KiB ${(gzip / 1024).toFixed(1).padStart(6)} KiB gz`;

const installDir = installPackage();
console.log('# main chunk of the page with its static imports / all JS emitted (raw, gzip)\n');
console.log('| bundler | app | main chunk | all JS |\n| --- | --- | --- | --- |');
for (const [name, build] of Object.entries(BUILDS)) {
  for (const [label, code] of [['createWorker() only', WORKER_ONLY], ['README example', readmeApp()]]) {
    const entry = name === 'webpack' ? 'src/index.js' : 'src/main.js';
    const app = freshApp(installDir, `size-${name}`, { [entry]: code, 'index.html': INDEX_HTML('./src/main.js') });
    const { main, dist } = build(app);
    console.log(`| ${name} | ${label} | ${kb(initialLoad(main))} | ${kb(jsBytes(dist))} |`);
  }
}
