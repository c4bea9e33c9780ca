// What `npm install localrec` gets: the files npm would publish (npm pack --dry-run) hold the
// package's code, types, wasm core, the embedded default model (the distilled BERT) and USE Lite
// (by name), and nothing meant for development only (the demo, test fixtures, the fp32 model);
// every `exports` target exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

test('the published files are the package, its wasm and the default model, and no more', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = new Set(packed.files.map((f) => f.path));
  for (const f of ['web/index.js', 'web/index.d.ts', 'web/worker.js', 'web/cli.js', 'web/dist/localrec_core.mjs',
    'web/dist/localrec_core.wasm', 'web/dist/localrec-zh.dict.gz', 'web/ZH-DICT-NOTICE.md',
    'web/models/use-lite/manifest.json', 'web/models/use-lite/model.onnx',
    'web/models/use-lite/LICENSE', 'web/models/use-lite-bert-2x128/manifest.json',
    'web/models/use-lite-bert-2x128/model.onnx', 'web/models/use-lite-bert-2x128/tokenizer.json',
    'web/models/use-lite-bert-2x128/LICENSE', 'web/fetch-model.mjs', 'web/model-registry.json',
    'LICENSE', 'README.md', 'package.json', 'web/assets.js', 'web/index.node.js', 'web/src/platform-node.js',
    'docs/bundlers.md']) {
    assert.ok(files.has(f), `${f} is not published`);
  }
  for (const f of files) {
    assert.ok(!/^web\/demo\/|^web\/models\/(tiny-bert|use-lite-fp32)\/|^(tests|src|dev|bench|models|scripts|build|\.cache)\//.test(f), `${f} should not be published`);
  }
  // Three embedded models (use-lite 7.2 MB, the distilled students 4.6 and 4.9 MB) + the wasm.
  assert.ok(packed.size < 20 * 2 ** 20, `package is ${packed.size} bytes`);
});

test('package.json: a "node" condition, sideEffects, a prepack check, the licence', () => {
  assert.equal(pkg.exports['.'].node, './web/index.node.js');
  assert.equal(pkg.exports['.'].default, './web/index.js');
  assert.equal(pkg.exports['./worker'], './web/worker.js');
  assert.ok(Array.isArray(pkg.sideEffects) && pkg.sideEffects.includes('./web/worker.js'));
  assert.match(pkg.scripts.prepack, /check-package/);
  assert.equal(pkg.license, 'Apache-2.0');
  assert.match(readFileSync(new URL('LICENSE', root), 'utf8'), /Apache License\s+Version 2\.0/);
});

// README links must work on the registry's page: relative links only to files that ship.
test('README links point at files in the package', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = new Set(packed.files.map((f) => f.path));
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
  assert.ok(links.length > 3);
  for (const l of links) assert.ok(files.has(l.replace(/^\.\//, '')), `README links to ${l}, which is not in the package`);
});

// The browser graph: no module reachable from web/index.js or web/worker.js imports Node code.
test('the browser module graph (from index.js and worker.js) holds no Node-only import', () => {
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const src = readFileSync(url, 'utf8');
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*(?:\/\*[^*]*\*\/\s*)*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      assert.ok(!/^node:|^onnxruntime-node$|^(fs|path|url|worker_threads|child_process|zlib|crypto)$/.test(spec),
        `${url.pathname} imports ${spec}`);
      if (spec.startsWith('.')) visit(new URL(spec, url));
    }
  };
  visit(new URL('web/index.js', root));
  visit(new URL('web/worker.js', root));
  assert.ok(seen.size > 8, `${seen.size} modules`);
  assert.ok(![...seen].some((u) => u.endsWith('platform-node.js')));
});

test('every exports target and the bin exist', () => {
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const t of targets.filter((t) => !t.includes('*'))) assert.ok(existsSync(new URL(t, root)), t);
  assert.ok(existsSync(new URL('web/dist/localrec_core.wasm', root)));
  for (const bin of Object.values(pkg.bin)) assert.ok(existsSync(new URL(bin, root)), bin);
});
