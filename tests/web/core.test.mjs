import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, version } from 'localrec';

test('init is idempotent and the wasm version matches package.json', async () => {
  const a = init();
  const b = init();
  assert.equal(a, b);
  await a;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url)));
  assert.equal(version(), pkg.version);
});
