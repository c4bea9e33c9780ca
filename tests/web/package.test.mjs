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
    'web/dist/localrec_core.wasm', 'web/models/use-lite/manifest.json', 'web/models/use-lite/model.onnx',
    'web/models/use-lite/LICENSE', 'web/models/use-lite-bert-2x128/manifest.json',
    'web/models/use-lite-bert-2x128/model.onnx', 'web/models/use-lite-bert-2x128/tokenizer.json',
    'web/models/use-lite-bert-2x128/LICENSE', 'models/fetch.mjs', 'models/registry.json']) {
    assert.ok(files.has(f), `${f} is not published`);
  }
  for (const f of files) {
    assert.ok(!/^web\/demo\/|^web\/models\/(tiny-bert|use-lite-fp32)\/|^tests\/|^src\/|^\.cache\//.test(f), `${f} should not be published`);
  }
  // Three embedded models (use-lite 7.2 MB, the distilled students 4.6 and 4.9 MB) + the wasm.
  assert.ok(packed.size < 20 * 2 ** 20, `package is ${packed.size} bytes`);
});

test('every exports target and the bin exist', () => {
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const t of targets.filter((t) => !t.includes('*'))) assert.ok(existsSync(new URL(t, root)), t);
  assert.ok(existsSync(new URL('web/dist/localrec_core.wasm', root)));
  for (const bin of Object.values(pkg.bin)) assert.ok(existsSync(new URL(bin, root)), bin);
});
