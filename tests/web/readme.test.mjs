// The README's Node quick start, run exactly as written (the first js block of "## Quick start"),
// from a file inside the package so that `import ... from 'localrec'` resolves as it does for a
// user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);

test('the README quick start runs in Node and ranks the astronomy items first, with reasons', async () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const at = readme.indexOf('## Quick start');
  const code = /```js\n([\s\S]*?)```/.exec(readme.slice(at))[1];
  mkdirSync(new URL('.cache/', root), { recursive: true });
  const dir = mkdtempSync(new URL('.cache/readme-', root).pathname);
  const file = `${dir}/quickstart.mjs`;
  writeFileSync(file, code);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    const lines = stdout.trim().split('\n');
    const top = lines.at(-1);
    assert.match(top, /^\[ '(stellarium|kstars) \([^)]+\)', '(stellarium|kstars) \([^)]+\)' \]$/, stdout);
    assert.match(top, /planetarium|telescope|sky/, 'keyword reasons come from the texts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
