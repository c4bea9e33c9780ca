// Derives tests/fixtures/sentences.jsonl (committed) from the frozen data sets in ../shared/data.
// Run once by a maintainer; tests read only the committed output. See PROVENANCE.md.
//   node dev/gen/derive-sentences.mjs [/work/shared/data]
// The selection is deterministic: items are ordered by the sha256 of their key, not by file order.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

// ../shared/data beside the repository (the layout of the project's build machines).
const dataDir = process.argv[2] ?? new URL('../../../shared/data', import.meta.url).pathname;
if (!existsSync(`${dataDir}/debian-apps.jsonl.gz`)) {
  console.error(`derive-sentences: ${dataDir}/debian-apps.jsonl.gz not found; pass the data folder`);
  process.exit(1);
}
const out = new URL('../../tests/fixtures/sentences.jsonl', import.meta.url);

const hash = (s) => createHash('sha256').update(s).digest('hex');
const byHash = (items) => items.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
const jsonl = (text) => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const debian = jsonl(gunzipSync(readFileSync(`${dataDir}/debian-apps.jsonl.gz`)).toString('utf8'));
const wordnet = jsonl(readFileSync(`${dataDir}/wordnet-triplets.jsonl`, 'utf8'));

// Cuts at the last line break (or space) before `max` characters.
function cap(text, max) {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
  return cut.slice(0, at > 0 ? at : max).trimEnd();
}

const picked = [];
const seen = new Set();
function take(kind, candidates, count) {
  let n = 0;
  for (const c of byHash(candidates.map((c) => ({ ...c, h: hash(`${kind}:${c.key}`) })))) {
    if (n === count) break;
    const text = c.text.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    picked.push({ id: `${kind}:${c.key}`, text });
    n++;
  }
  if (n < count) throw new Error(`only ${n} ${kind} items, wanted ${count}`);
}

// Short texts: the one-line synopsis of a Debian package.
take('debian-synopsis', debian.map((d) => ({ key: d.id, text: d.text.split('\n')[0] })), 450);
// Post-sized texts: the first paragraph of the long description, re-flowed into one line.
take('debian-paragraph', debian.map((d) => ({
  key: d.id,
  text: d.text.split('\n').slice(1).join('\n').split(/\n\s*\n/)[0].replace(/\s+/g, ' '),
})), 250);
// Long raw texts with their line breaks (often beyond the 128-token limit of USE Lite).
take('debian-full', debian.map((d) => ({ key: d.id, text: cap(d.text, 1500) })), 100);
// Dictionary glosses from WordNet 3.0.
const glosses = new Map();
for (const t of wordnet) {
  for (const [key, text] of [[t.anchor, t.anchor_text], [t.positive, t.positive_text],
    [t.negative, t.negative_text], [t.negative_hard, t.negative_hard_text]]) {
    glosses.set(key, text);
  }
}
take('wordnet-gloss', [...glosses].map(([key, text]) => ({ key, text })), 450);

writeFileSync(out, picked.map((p) => JSON.stringify(p)).join('\n') + '\n');
console.log(`wrote ${picked.length} texts to ${out.pathname}`);
