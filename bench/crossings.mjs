#!/usr/bin/env node
// JS <-> wasm crossings, bytes copied and time for the profile's two hot seams (issue 15): adding
// posts (one, and 100 in one call) and one rank({ k: 10 }). The model is the embedded default;
// the catalogue is the demo's (web/demo/data/debian-apps.lrc, built by `npm run demo` or
// scripts/build-demo-catalog.sh) or, without it, 500 demo items embedded here. Crossings are
// counted by dev/crossings.mjs; also prints the lines of src/wasm and web/src.
// Usage: node bench/crossings.mjs [--rounds 5] [--json OUT]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

import { init, loadModel, InterestProfile, Catalog, CatalogBuilder } from '../web/index.js';
import { countCrossings } from '../dev/crossings.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, json: { type: 'string' } } });
const rounds = Number(args.rounds);
const root = new URL('../', import.meta.url);

await init();
const model = await loadModel();
const lrc = new URL('web/demo/data/debian-apps.lrc', root);
let catalog;
if (existsSync(lrc)) {
  catalog = Catalog.fromBytes(readFileSync(lrc));
} else {
  const items = gunzipSync(readFileSync(new URL('web/demo/data/debian-apps.jsonl.gz', root))).toString('utf8')
    .split('\n').filter(Boolean).slice(0, 500).map((l) => JSON.parse(l));
  const vectors = await model.embed(items.map((it) => it.text));
  const b = new CatalogBuilder({ dims: model.dims, modelFingerprint: model.fingerprint });
  items.forEach((it, i) => b.add({ id: it.id, vector: vectors[i], metadata: { title: it.title }, text: it.text }));
  catalog = b.finish();
}
const sentences = readFileSync(new URL('tests/fixtures/sentences.jsonl', root), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l).text);
// A minute between posts: any number of rounds stays in the past (a post after "now" is refused).
const T0 = Date.UTC(2024, 0, 1);
const posts = (n, from) => Array.from({ length: n }, (_, i) => ({ id: `p${from + i}`, text: sentences[(from + i) % sentences.length], time: T0 + (from + i) * 60e3 }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(label, setup, work) {
  const times = [];
  let counted = null;
  for (let r = 0; r < rounds; r++) {
    const ctx = await setup(r);
    const t = performance.now();
    const c = await countCrossings(() => work(ctx));
    times.push(performance.now() - t);
    counted ??= c;
    ctx.profile?.dispose();
  }
  return { label, calls: counted.calls, bytes: counted.bytes, ms: median(times), byName: counted.byName };
}

// The embeddings are cached by the model's own cache only where one exists; every round uses
// fresh posts so that no round is served from a previous one.
let next = 0;
const fresh = () => ({ profile: new InterestProfile(model) });
const rows = [];
rows.push(await measure('addPosts, 1 post', fresh, async ({ profile }) => profile.addPosts(posts(1, (next += 1000)))));
rows.push(await measure('addPosts, 100 posts', fresh, async ({ profile }) => profile.addPosts(posts(100, (next += 1000)))));
rows.push(await measure('rank({ k: 10 })', async () => {
  const profile = new InterestProfile(model);
  await profile.addPosts(posts(40, 0));
  return { profile };
}, async ({ profile }) => profile.rank(catalog, { k: 10 })));

const lines = (dir) => readdirSync(new URL(dir, root)).filter((f) => /\.(js|cc|h)$/.test(f))
  .reduce((s, f) => s + readFileSync(new URL(dir + f, root), 'utf8').split('\n').length - 1, 0);

console.log(`model ${model.name}, catalogue ${catalog.size} items, median of ${rounds} rounds, Node ${process.version}`);
console.log('| work | core calls | bytes across | time, ms |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.label} | ${r.calls} | ${r.bytes} | ${r.ms.toFixed(2)} |`);
console.log(`lines: src/wasm ${lines('src/wasm/')}, web/src ${lines('web/src/')}`);
for (const r of rows) {
  console.log(`${r.label}: ${Object.entries(r.byName).sort((a, b) => b[1].calls - a[1].calls).map(([n, e]) => `${n} x${e.calls} (${e.bytes} B)`).join(', ')}`);
}
if (args.json) writeFileSync(args.json, JSON.stringify({ rows, lines: { wasm: lines('src/wasm/'), web: lines('web/src/') } }, null, 2) + '\n');
await model.dispose();
catalog.dispose();
