#!/usr/bin/env node
// Derives the committed demo catalogue source, web/demo/data/debian-apps.jsonl.gz, from the
// frozen Debian 12 application list (../shared/data/debian-apps.jsonl.gz, 18,245 packages).
// Run once by a maintainer; people who clone the repo get the derived file, not the source.
// Each item keeps: id (package), title (the one-line summary), text (summary + the first
// ~60 characters of the long description, cut at a word), tags (debtags + section::<section>).
// The cut keeps the file under 1 MB; the summary line carries most of the meaning.
// Usage: node scripts/make-demo-data.mjs [source.jsonl.gz]
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

// ../shared beside the checkout (or beside the directory of worktrees).
const candidates = ['../../shared/data/debian-apps.jsonl.gz', '../../../shared/data/debian-apps.jsonl.gz']
  .map((p) => new URL(p, import.meta.url).pathname);
const source = process.argv[2] ?? candidates.find((p) => existsSync(p)) ?? candidates[0];
const outDir = new URL('../web/demo/data/', import.meta.url);
const BODY_CHARS = 60;

let raw;
try {
  raw = readFileSync(source);
} catch (e) {
  console.error(`make-demo-data: cannot read ${source} (${e.code}); it lives in ../shared/data, which only the project's machines have`);
  process.exit(1);
}
const lines = gunzipSync(raw).toString('utf8').split('\n').filter((l) => l.trim());
const out = [];
for (const line of lines) {
  const it = JSON.parse(line);
  const [summary, ...rest] = it.text.split('\n');
  let body = rest.map((l) => l.trim()).filter((l) => l && l !== '.').join(' ');
  if (body.length > BODY_CHARS) {
    const cut = body.slice(0, BODY_CHARS);
    const space = cut.lastIndexOf(' ');
    body = space > BODY_CHARS * 0.6 ? cut.slice(0, space) : cut;
  }
  out.push(JSON.stringify({
    id: it.id,
    title: summary,
    text: body ? `${summary}\n${body}` : summary,
    tags: [`section::${it.section}`, ...it.tags],
  }));
}
const data = gzipSync(Buffer.from(`${out.join('\n')}\n`), { level: 9 });
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('debian-apps.jsonl.gz', outDir), data);
const sha = (b) => createHash('sha256').update(b).digest('hex');
writeFileSync(new URL('PROVENANCE.md', outDir), `# web/demo/data/debian-apps.jsonl.gz

The demo's item catalogue source: ${out.length} application packages of Debian 12 ("bookworm")
with their one-line summaries, the start of their long descriptions and their debtags.

- Derived by \`node scripts/make-demo-data.mjs\` from the project's frozen copy
  \`../shared/data/debian-apps.jsonl.gz\` (sha256 ${sha(raw)}),
  itself taken from Debian 12's package lists (Description, Section, Tag fields).
- Fields: \`id\` (source package name), \`title\` (summary line), \`text\` (summary, newline, the
  first ~${BODY_CHARS} characters of the long description cut at a word), \`tags\` (debtags plus
  \`section::<section>\`).
- Debian package descriptions are distributed with the packages under their packages' free
  licences; this file quotes short excerpts of them for demonstration.
- Output sha256: ${sha(data)} (${data.length} bytes).

Build the demo catalogue from it with \`bash scripts/build-demo-catalog.sh\` (needs the default
model in web/models/use-lite/); the result, web/demo/data/debian-apps.lrc, is generated, not
committed. \`--name use-lite-bert-zh-2x128\` builds the bilingual model's catalogue,
web/demo/data/debian-apps.use-lite-bert-zh-2x128.lrc, the same way.
`);
console.log(`wrote web/demo/data/debian-apps.jsonl.gz: ${out.length} items, ${data.length} bytes`);
