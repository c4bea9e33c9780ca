// Derives tests/fixtures/zh-catalog.jsonl (see PROVENANCE.md): a small Chinese catalogue from
// Debian's DDTP zh_CN package descriptions, packages of the holdout list left out.
// Usage: bash scripts/fetch-zh-corpus.sh && node dev/gen/derive-zh-catalog.mjs [SHARED_DATA_DIR]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ddtpDescriptions } from '../zh-corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.argv[2] ?? path.resolve(here, '../../../shared/data');
const COUNT = 200;
const TEXT_CHARS = 240;

// Debian sections (from the English package list) label the items for the ranking test.
const section = new Map();
for (const line of gunzipSync(readFileSync(path.join(shared, 'debian-apps.jsonl.gz'))).toString('utf8').split('\n')) {
  if (!line.trim()) continue;
  const item = JSON.parse(line);
  section.set(item.id, item.section);
}

const sha = (s) => createHash('sha256').update(s).digest('hex');
const picked = ddtpDescriptions()
  .filter((d) => d.long.length > 0)
  .sort((a, b) => (sha(a.package) < sha(b.package) ? -1 : 1))
  .slice(0, COUNT)
  .sort((a, b) => (a.package < b.package ? -1 : 1));
const lines = picked.map((d) => {
  let text = d.long.join('\n');
  if (text.length > TEXT_CHARS) text = text.slice(0, TEXT_CHARS);
  const item = { id: d.package, title: d.short, text };
  const s = section.get(d.package);
  if (s) item.tags = [s];
  return JSON.stringify(item);
});
const out = path.join(here, '../../tests/fixtures/zh-catalog.jsonl');
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${out}: ${lines.length} items, sha256 ${sha(readFileSync(out))}`);
