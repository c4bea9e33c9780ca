#!/usr/bin/env node
// One-off: derives the committed tokenizer test corpus from ../shared/data/debian-apps.jsonl.gz
// (Debian 12 package descriptions), small enough to commit (< 1 MB) so that a clone without
// ../shared runs the parity tests. Deterministic; see tests/fixtures/tokenizer/PROVENANCE.md.
// Usage: node dev/gen/token-corpus.mjs [path/to/debian-apps.jsonl.gz]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const source = process.argv[2] ??
  [resolve(root, '../shared/data/debian-apps.jsonl.gz'), '/work/shared/data/debian-apps.jsonl.gz']
    .find((p) => existsSync(p));
if (!source) throw new Error('debian-apps.jsonl.gz not found: pass its path');
const packages = zlib.gunzipSync(readFileSync(source)).toString('utf8').trim().split('\n')
  .map((line) => JSON.parse(line));

// Every package contributes one text: the full description for every 4th package and for every
// description with non-ASCII characters, the one-line summary for the rest.
const texts = packages.map((p, i) =>
  (i % 4 === 0 || /[^\x00-\x7f]/.test(p.text)) ? p.text : p.text.split('\n')[0]);
const body = texts.map((t) => JSON.stringify(t)).join('\n') + '\n';
const packed = zlib.brotliCompressSync(Buffer.from(body), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
});
const out = join(root, 'tests/fixtures/tokenizer/corpus.jsonl.br');
writeFileSync(out, packed);
const full = texts.filter((t, i) => t === packages[i].text).length;
console.log(`${out}: ${texts.length} texts (${full} full descriptions), ` +
  `${Buffer.byteLength(body)} bytes of JSONL, ${packed.length} bytes compressed`);
