// scripts/deb-src.mjs (used by setup.sh): deb-src entries derived from the machine's own apt
// sources, in both formats, keeping URIs, suites, components and the signing key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = new URL('../../scripts/deb-src.mjs', import.meta.url).pathname;

function withApt(files, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'localrec-apt-'));
  mkdirSync(path.join(dir, 'sources.list.d'));
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('deb-src stanzas follow the deb sources of both formats and skip disabled ones', () => {
  const out = withApt({
    'sources.list': '# comment\ndeb [arch=amd64 signed-by=/keys/a.gpg] http://mirror.one/debian bookworm main contrib\ndeb-src http://x/ bookworm main\n',
    'sources.list.d/debian.sources': [
      'Types: deb', 'URIs: http://mirror.two/debian', 'Suites: bookworm bookworm-updates', 'Components: main',
      'Signed-By: /keys/b.gpg', '', 'Types: deb', 'URIs: http://off/debian', 'Suites: bookworm', 'Components: main', 'Enabled: no', '',
    ].join('\n'),
    'sources.list.d/localrec-src.sources': 'Types: deb\nURIs: http://ours/\nSuites: x\n',
  }, (dir) => execFileSync(process.execPath, [script], { env: { ...process.env, APT_DIR: dir }, encoding: 'utf8' }));
  assert.equal(out.trim(), [
    'Types: deb-src\nURIs: http://mirror.one/debian\nSuites: bookworm\nComponents: main contrib\nSigned-By: /keys/a.gpg',
    'Types: deb-src\nURIs: http://mirror.two/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /keys/b.gpg',
  ].join('\n\n'));
});

test('no deb source: a clear failure, not an empty file', () => {
  const r = withApt({}, (dir) => spawnSync(process.execPath, [script], { env: { ...process.env, APT_DIR: dir }, encoding: 'utf8' }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no `deb` source/);
});
