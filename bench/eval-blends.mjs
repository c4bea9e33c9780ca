#!/usr/bin/env node
// `npm run eval`: the profile's ranking quality on real data. Each Debian Blend (a task list of
// packages) is a user: the descriptions of its history packages are the user's posts; the
// catalogue minus the history is ranked; the held-out members are the relevant items. Prints
// NDCG@10, Recall@50 and MRR (first relevant within the top 100) with 95 % bootstrap intervals
// over users for each strategy, and the best strategy's paired difference to TF-IDF.
//
// Data: ../shared/data/debian-apps.jsonl.gz and debian-blends-split.json (or LOCALREC_DATA_DIR);
// without them it says so and exits 0. Model: the embedded default (web/models/use-lite); the
// catalogue's embeddings and the keyword candidates' are cached in .cache/eval/.
//
// Options: --users N (first N users), --only REGEX (strategies), --json FILE (per-user values),
//          --options JSON (InterestProfile options), --rank JSON (extra rank() options for every
//          strategy), --subset even|odd (every other user: tune on one half, check on the
//          other), --resamples N, --model NAME|DIR (a bundled model by name, or a bundle folder;
//          default: loadModel()'s default).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as localrec from 'localrec';
import { cachingModel, catalogueEmbeddings, dataAvailable, DATA_DIR, loadCatalogue, loadSplit } from './lib/eval-data.mjs';
import { bootstrap, ndcgAt, recallAt, reciprocalRank, rng } from '../dev/metrics.mjs';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string' }, only: { type: 'string' }, json: { type: 'string' },
    k: { type: 'string' }, model: { type: 'string' }, options: { type: 'string' }, rank: { type: 'string' }, subset: { type: 'string' }, resamples: { type: 'string', default: '2000' },
  },
});

if (!dataAvailable()) {
  console.log(`eval: the evaluation data is not here (looked for debian-apps.jsonl.gz and debian-blends-split.json in ${DATA_DIR.pathname}).`);
  console.log('eval: it lives in ../shared/data on the project machines; set LOCALREC_DATA_DIR to run elsewhere. Nothing to evaluate.');
  process.exit(0);
}

// Ranked per user: NDCG@10, Recall@50 and MRR within the top K (100; --k to check how the
// catalogue's candidate pool, which grows with k, changes the fused ranking).
const K = args.k ? Number(args.k) : 100;
// Profile options of the eval; all users' posts have the same time (the split has no dates).
const PROFILE_OPTIONS = { halfLifeDays: 30, ...(args.options ? JSON.parse(args.options) : {}) };
const T0 = Date.UTC(2024, 0, 1);
const EXTRA_RANK = args.rank ? JSON.parse(args.rank) : {};

await localrec.init();

async function openModel() {
  try {
    if (args.model === undefined) return await localrec.loadModel();
    // A path (has a slash) is a bundle folder; otherwise a name under web/models/.
    return await localrec.loadModel(args.model.includes('/') ? { dir: path.resolve(args.model) } : { name: args.model });
  } catch (e) {
    console.error(`eval: the model ${args.model ?? '(default)'} does not load (${e.message}): run \`npm run build\` first`);
    process.exit(1);
  }
}

// ---- TF-IDF centroid baseline (sklearn's TfidfVectorizer defaults: words of 2+ word chars,
// lower-cased, smooth idf, l2-normalised rows; the user is the mean of the history rows). ----
function tfidfIndex(items) {
  const vocab = new Map();
  const docs = items.map((it) => {
    const counts = new Map();
    for (const w of it.text.toLowerCase().match(/\b\w\w+\b/gu) ?? []) {
      if (!vocab.has(w)) vocab.set(w, vocab.size);
      const t = vocab.get(w);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return counts;
  });
  const df = new Float64Array(vocab.size);
  for (const d of docs) for (const t of d.keys()) df[t]++;
  const n = items.length;
  const idf = Array.from(df, (x) => Math.log((1 + n) / (1 + x)) + 1);
  return docs.map((d) => {
    const terms = [...d.keys()];
    const w = terms.map((t) => d.get(t) * idf[t]);
    const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0)) || 1;
    return { terms, weights: w.map((x) => x / norm) };
  });
}

function tfidfRank(index, historyIdx, excluded) {
  const centroid = new Map();
  for (const i of historyIdx) {
    index[i].terms.forEach((t, j) => centroid.set(t, (centroid.get(t) ?? 0) + index[i].weights[j] / historyIdx.length));
  }
  const scores = index.map((d, i) => {
    if (excluded.has(i)) return -Infinity;
    let s = 0;
    d.terms.forEach((t, j) => { s += (centroid.get(t) ?? 0) * d.weights[j]; });
    return s;
  });
  return topK(scores, K);
}

function topK(scores, k) {
  const order = scores.map((_, i) => i).filter((i) => scores[i] > -Infinity);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k);
}

const STRATEGIES = [
  { name: 'random', baseline: 'random' },
  { name: 'tfidf-centroid', baseline: 'tfidf' },
  { name: 'keywords (paper U)', rank: { strategy: 'keywords' } },
  { name: 'post centroid', rank: { strategy: 'centroid' } },
  { name: 'interests (max)', rank: { strategy: 'interests' } },
  { name: 'bm25 keywords', rank: { strategy: 'lexical', termSource: 'keywords' } },
  { name: 'bm25 words', rank: { strategy: 'lexical', termSource: 'words' } },
  { name: 'hybrid: interests + bm25 keywords', rank: { strategy: 'hybrid', termSource: 'keywords', lexicalWeight: 0.5 } },
  { name: 'hybrid: interests + bm25 words, rrf', rank: { strategy: 'hybrid', fusion: 'rrf' } },
  { name: 'hybrid: interests + bm25 words (default)', rank: {} },
];

const started = performance.now();
const baseModel = await openModel();
const items = await loadCatalogue();
const split = await loadSplit();
let lastLog = 0;
const vectors = await catalogueEmbeddings(baseModel, items, {
  log: (s) => { if (performance.now() - lastLog > 10000) { lastLog = performance.now(); console.log(`eval: ${s}`); } },
});
const model = await cachingModel(baseModel, items.map((it, i) => [it.text, vectors[i]]));
const ids = items.map((it) => it.id);
const byId = new Map(ids.map((id, i) => [id, i]));

// The catalogue as an application would ship it: int8 vectors and BM25 terms of the texts.
const catalog = localrec.Catalog.fromVectors({
  ids, vectors, modelFingerprint: model.fingerprint,
  metadata: items.map((it) => ({ title: it.id, text: it.text, tags: it.tags })),
  texts: items.map((it) => it.text),
});
const only = args.only ? new RegExp(args.only, 'i') : null;
const strategies = STRATEGIES.filter((s) => !only || only.test(s.name) || s.baseline === 'tfidf');
const tfidf = tfidfIndex(items);

const users = split.users.slice(0, args.users ? Number(args.users) : undefined)
  .filter((_, i) => !args.subset || (args.subset === 'even') === (i % 2 === 0));
const perUser = Object.fromEntries(strategies.map((s) => [s.name, { ndcg: [], recall: [], mrr: [] }]));
const random = rng(2024);
let skipped = 0;
for (const [u, user] of users.entries()) {
  const history = user.history.filter((id) => byId.has(id));
  const relevant = new Set(user.relevant.filter((id) => byId.has(id)));
  if (!history.length || !relevant.size) { skipped++; continue; }
  const historyIdx = history.map((id) => byId.get(id));
  const excluded = new Set(historyIdx);
  const profile = new localrec.InterestProfile(model, PROFILE_OPTIONS);
  await profile.addPosts(history.map((id) => ({ id, text: items[byId.get(id)].text, time: T0 })));
  for (const s of strategies) {
    let ranked;
    if (s.baseline === 'random') {
      const pool = ids.map((_, i) => i).filter((i) => !excluded.has(i));
      for (let i = 0; i < K; i++) {
        const j = i + Math.floor(random() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      ranked = pool.slice(0, K).map((i) => ids[i]);
    } else if (s.baseline === 'tfidf') {
      ranked = tfidfRank(tfidf, historyIdx, excluded).map((i) => ids[i]);
    } else {
      ranked = profile.rank(catalog, { k: K, exclude: history, explain: false, ...s.rank, ...EXTRA_RANK }).map((r) => r.id);
    }
    perUser[s.name].ndcg.push(ndcgAt(ranked, relevant, 10));
    perUser[s.name].recall.push(recallAt(ranked, relevant, 50));
    perUser[s.name].mrr.push(reciprocalRank(ranked, relevant));
  }
  profile.dispose();
  if (performance.now() - lastLog > 10000) {
    lastLog = performance.now();
    console.error(`eval: ${u + 1}/${users.length} users`);
  }
}
await model.save();

const resamples = Number(args.resamples);
const fmt = (b) => `${b.mean.toFixed(3)} [${b.lo.toFixed(3)}, ${b.hi.toFixed(3)}]`;
const n = users.length - skipped;
console.log(`\nDebian Blends: ${n} users, ${items.length} items; model ${model.name} (${model.fingerprint.slice(0, 12)}) via loadModel()`);
console.log(`catalogue: localrec Catalog (int8 vectors + BM25 terms); profile options ${JSON.stringify(PROFILE_OPTIONS)}${args.rank ? `; rank options ${args.rank}` : ''}`);
console.log(`95 % bootstrap intervals over users (${resamples} resamples)\n`);
const header = ['strategy', 'NDCG@10', 'Recall@50', 'MRR'];
const rows = strategies.map((s) => {
  const v = perUser[s.name];
  return [s.name, fmt(bootstrap(v.ndcg, { resamples })), fmt(bootstrap(v.recall, { resamples })), fmt(bootstrap(v.mrr, { resamples }))];
});
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
const line = (r) => `| ${r.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

const candidates = strategies.filter((s) => !s.baseline);
if (candidates.length) {
  const best = candidates.reduce((a, b) => (bootstrap(perUser[b.name].ndcg, { resamples: 1 }).mean > bootstrap(perUser[a.name].ndcg, { resamples: 1 }).mean ? b : a));
  const base = perUser['tfidf-centroid'];
  const d = bootstrap(perUser[best.name].ndcg, { resamples, paired: base.ndcg });
  const dr = bootstrap(perUser[best.name].recall, { resamples, paired: base.recall });
  console.log(`\nbest by NDCG@10: ${best.name}; paired difference to tfidf-centroid: NDCG@10 ${d.mean >= 0 ? '+' : ''}${d.mean.toFixed(3)} [${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}], Recall@50 ${dr.mean >= 0 ? '+' : ''}${dr.mean.toFixed(3)} [${dr.lo.toFixed(3)}, ${dr.hi.toFixed(3)}]`);
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; ${model.embedded} keyword candidates embedded this run)`);
if (args.json) await writeFile(args.json, JSON.stringify({ users: n, options: PROFILE_OPTIONS, perUser }, null, 1));
catalog.dispose();
baseModel.dispose();
