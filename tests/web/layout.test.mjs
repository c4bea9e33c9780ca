// The layout's one rule for imports (README, "Development"; docs/architecture.md): tests/, bench/,
// models/ and scripts/ may import dev/ and the package (web/); dev/ imports only the package;
// nothing imports tests/, bench/ or models/ from outside them. Read from the JS import statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard',
  '*.mjs', '*.js'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n')
  .filter((f) => !/^web\/(dist|models)\//.test(f));

// Every relative module a file imports (import/export ... from, import()), as a path from the
// repository root.
function importsOf(file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)]
    .map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
}

const top = (f) => f.split('/')[0];

// What a top-level folder may import besides itself (tests/ may import the scripts they test).
const ALLOWED = {
  dev: ['web'],
  tests: ['dev', 'web', 'scripts'],
  bench: ['dev', 'web'],
  models: ['dev', 'web'],
  scripts: ['dev', 'web'],
  web: [],
};

test('imports point one way: into dev/ and the package, never into tests/, bench/ or models/', () => {
  const wrong = [];
  let count = 0;
  for (const file of files) {
    for (const target of importsOf(file)) {
      count++;
      const from = top(file);
      const to = top(target);
      if (from !== to && !(ALLOWED[from] ?? []).includes(to)) wrong.push(`${file} -> ${target}`);
    }
  }
  assert.ok(count > 100, `only ${count} imports read: the scan is broken`);
  assert.deepEqual(wrong, []);
});

test('the scan reads imports across folders', () => {
  assert.ok(importsOf('bench/crossings.mjs').includes('dev/crossings.mjs'));
  assert.ok(importsOf('models/distill/bars.mjs').includes('dev/harness.mjs'));  // a dynamic import()
});
