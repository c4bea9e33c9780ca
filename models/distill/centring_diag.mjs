#!/usr/bin/env node
// Diagnostics behind docs/distill.md "Centring the student's space" (not bars):
//   * what centring costs a model itself on the WordNet triplets: each model's vectors with and
//     without the mean of its own vectors of the English rows of the training mix (every 130th
//     row of bi-train.tsv, Latin-script only, so USE Lite can read them) subtracted, through the
//     package (loadModel/embed);
//   * the demo personas' geometry: mean cosine within a topic, across topics and the highest
//     across, for the three topics of tests/web/calibration.test.mjs.
// Usage: node models/distill/centring_diag.mjs [--mix .cache/distill/bilingual/corpus/bi-train.tsv]
//          MODEL_NAME_OR_DIR...
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { init, loadModel } from '../../web/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: {
  mix: { type: 'string', default: path.join(ROOT, '.cache/distill/bilingual/corpus/bi-train.tsv') },
  triplets: { type: 'string', default: path.join(ROOT, '../shared/data/wordnet-triplets.jsonl') },
} });

const rows = readFileSync(args.triplets, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const tripletTexts = rows.flatMap((r) => [r.anchor_text, r.positive_text, r.negative_text, r.negative_hard_text]);
const sample = readFileSync(args.mix, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t').at(-1))
  .filter((_, i) => i % 130 === 0).filter((t) => !/[\u3400-\u9fff]/.test(t));
const personas = await import(path.join(ROOT, 'web/demo/personas.js'));
const posts = (re) => personas.personas.find((p) => re.test(p.name)).posts.map((t) => (typeof t === 'string' ? t : t.text));
const TOPICS = [posts(/astronom/i), posts(/music/i), [
  'My sourdough starter finally doubled overnight, baking bread tomorrow.',
  'Tried a higher hydration dough, the crumb was much more open.',
  'Croissants need cold butter and patience, lamination took all afternoon.',
  'Preheat the oven with the dutch oven inside for a crispy crust.',
]];

const dot = (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };
const unit = (v) => { const n = Math.sqrt(dot(v, v)); return v.map((x) => x / n); };
const f = (x) => x.toFixed(3);

function triplets(V) {
  let easy = 0, hard = 0;
  for (let i = 0; i < rows.length; i++) {
    const [a, p, n, h] = V.slice(4 * i, 4 * i + 4);
    const ap = dot(a, p);
    easy += ap > dot(a, n); hard += ap > dot(a, h);
  }
  return `${f(easy / rows.length)} / ${f(hard / rows.length)}`;
}

await init();
console.log(`| model | triplets easy / hard | centred on ${sample.length} English training rows | personas: within / across / max across |`);
console.log('|---|---|---|---|');
for (const name of positionals) {
  const model = await loadModel(existsSync(path.join(name, 'manifest.json')) ? { dir: name } : { name });
  const S = await model.embed(sample);
  const mu = new Float32Array(model.dims);
  for (const v of S) for (let d = 0; d < mu.length; d++) mu[d] += v[d] / S.length;
  const T = await model.embed(tripletTexts);
  const G = await Promise.all(TOPICS.map((t) => model.embed(t)));
  let w = 0, wn = 0, x = 0, xn = 0, xmax = -1;
  for (let a = 0; a < G.length; a++) {
    for (let b = a; b < G.length; b++) {
      for (let i = 0; i < G[a].length; i++) {
        for (let j = a === b ? i + 1 : 0; j < G[b].length; j++) {
          const c = dot(G[a][i], G[b][j]);
          if (a === b) { w += c; wn++; } else { x += c; xn++; xmax = Math.max(xmax, c); }
        }
      }
    }
  }
  console.log(`| ${model.name} (${name}) | ${triplets(T)} | ${triplets(T.map((v) => unit(v.map((y, d) => y - mu[d]))))} | ${f(w / wn)} / ${f(x / xn)} / ${f(xmax)} |`);
  await model.dispose();
}
