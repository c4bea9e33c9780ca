// web/index.d.ts against a typed usage file (tests/types/usage.ts) with `tsc --noEmit --strict`,
// with the TypeScript version in the lock file and with the current major (7): the README's calls
// type-check, and the @ts-expect-error lines prove wrong calls do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

for (const pkg of ['typescript', 'typescript-7']) {
  const { version } = JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, root), 'utf8'));
  test(`index.d.ts type-checks a strict usage file with TypeScript ${version}`, () => {
    try {
      execFileSync(process.execPath, [new URL(`node_modules/${pkg}/bin/tsc`, root).pathname, '-p', 'tests/types'],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      assert.fail(`tsc ${version} failed:\n${e.stdout}${e.stderr}`);
    }
  });
}
