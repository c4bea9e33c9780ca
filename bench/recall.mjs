// Recall@10 of the catalogue's search (int8 simd128 scan + rescoring in wasm) against a
// brute-force f32 JS loop, for each stored precision:
//
//   node bench/recall.mjs [--queries 500] [--random-items 20000] [--precisions compact,int8,residual]
//                         [F32-CATALOG.lrc]
//   (npm run bench:recall)
//
// random  n x 384 random unit vectors (the hardest case for 8 bits: the top-10 of a query lie
//         ~1e-3 apart); queries near items and plain random ones.
// real    the Debian catalogue: ../shared/data/debian-apps.jsonl.gz (or LOCALREC_DATA_DIR)
//         embedded with the default model (cached in .cache/eval/, shared with the profile's
//         eval), or the f32 vectors of a catalogue built with `--precision float32` given as the
//         argument. Queries: an item's own vector (the item excluded) and the centroid of 5 items
//         (what a profile's interest vector looks like). Without the data it says so and skips.
//
// Precisions: 'compact' (plain int8, what format version 1 stored), 'int8' (the default: int8 +
// a refinement bit per dimension, shaped rounding) and 'residual'. Nothing is asserted here; the
// tests (tests/core/rank_test.cc, tests/web/recall.test.mjs) hold the 0.99 requirement.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { init, Catalog, loadModel } from '../web/index.js';
import { jsLoopTopK, randomUnitVectors } from './rank-core.mjs';
import { DATA_DIR, catalogueEmbeddings } from './lib/eval-data.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string', default: '500' },
    'random-items': { type: 'string', default: '20000' },
    precisions: { type: 'string', default: 'compact,int8,residual' },
  },
});
const numQueries = Number(values.queries);
const K = 10;
const PRECISIONS = values.precisions.split(',');
const FINGERPRINT = 'ab'.repeat(32);

await init();

/** LCG in [0, 1): the same queries every run. */
function lcg(seed) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
}

/**
 * Mean recall@10 per query kind and precision. queries: [{ kind, vector, exclude (index or -1) }].
 */
function measure(label, flat, n, dims, ids, queries, fingerprint) {
  const truths = queries.map((q) => {
    const top = jsLoopTopK(flat, n, dims, q.vector, K + 1).filter((i) => i !== q.exclude);
    return new Set(top.slice(0, K));
  });
  const lines = [`${label}: ${n} items x ${dims}, ${queries.length / 2} queries of each kind`];
  for (const precision of PRECISIONS) {
    const c = Catalog.fromVectors({ ids, vectors: flat, dims, modelFingerprint: fingerprint, precision });
    const hits = {}, counts = {};
    queries.forEach((q, j) => {
      const got = c.search(q.vector, { k: K, metadata: false, exclude: q.exclude >= 0 ? [ids[q.exclude]] : [] });
      hits[q.kind] = (hits[q.kind] ?? 0) + got.filter((r) => truths[j].has(r.index)).length;
      counts[q.kind] = (counts[q.kind] ?? 0) + truths[j].size;
    });
    const perItem = (c.byteLength / n).toFixed(0);
    for (const kind of Object.keys(hits)) {
      lines.push(`  ${precision.padEnd(9)} ${kind.padEnd(14)} recall@10 ${(hits[kind] / counts[kind]).toFixed(4)}` +
                 `   (${perItem} B/item)`);
    }
    c.dispose();
  }
  console.log(lines.join('\n'));
}

// Random unit vectors.
{
  const n = Number(values['random-items']), dims = 384;
  const flat = randomUnitVectors(n, dims, 7);
  const noise = randomUnitVectors(numQueries, dims, 8);
  const random = randomUnitVectors(numQueries, dims, 9);
  const rand = lcg(4242);
  const queries = [];
  for (let j = 0; j < numQueries; j++) {
    const item = Math.floor(rand() * n);
    const v = new Float32Array(dims);
    for (let d = 0; d < dims; d++) v[d] = flat[item * dims + d] + noise[j * dims + d];
    queries.push({ kind: 'near an item', vector: v, exclude: -1 });
    queries.push({ kind: 'random', vector: random.subarray(j * dims, (j + 1) * dims), exclude: -1 });
  }
  const ids = Array.from({ length: n }, (_, i) => `r${i}`);
  measure('random unit vectors', flat, n, dims, ids, queries, FINGERPRINT);
}

// Real embeddings: the Debian catalogue.
let real = null;
if (positionals[0]) {
  const exact = Catalog.fromBytes(readFileSync(positionals[0]));
  if (exact.precision !== 'float32') {
    console.error(`${positionals[0]} has ${exact.precision} vectors; rebuild it with --precision float32`);
    process.exit(2);
  }
  const n = exact.size, dims = exact.dims;
  const flat = new Float32Array(n * dims);
  const ids = [];
  for (let i = 0; i < n; i++) {
    flat.set(exact.vector(i), i * dims);
    ids.push(exact.id(i));
  }
  real = { label: `real: ${positionals[0]}`, flat, n, dims, ids, fingerprint: exact.modelFingerprint };
  exact.dispose();
} else {
  const source = new URL('debian-apps.jsonl.gz', DATA_DIR);
  if (!existsSync(source)) {
    console.log(`real (Debian catalogue): SKIPPED - ${source.pathname} is absent (it lives in ` +
                '../shared/data on the project machines; set LOCALREC_DATA_DIR, or pass a catalogue ' +
                'built with --precision float32)');
  } else {
    const items = gunzipSync(readFileSync(source)).toString('utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line));
    const model = await loadModel();
    const vectors = await catalogueEmbeddings(model, items, { log: (m) => process.stderr.write(`\r${m}`) });
    const n = items.length, dims = model.dims;
    const flat = new Float32Array(n * dims);
    vectors.forEach((v, i) => flat.set(v, i * dims));
    real = { label: `real: the Debian catalogue (${source.pathname}, ${model.name})`, flat, n, dims,
             ids: items.map((it) => it.id), fingerprint: model.fingerprint };
    model.dispose();
  }
}
if (real) {
  const { flat, n, dims } = real;
  const rand = lcg(12345);
  const queries = [];
  for (let j = 0; j < numQueries; j++) {
    const item = Math.floor(rand() * n);
    queries.push({ kind: 'an item', vector: flat.slice(item * dims, (item + 1) * dims), exclude: item });
    const c = new Float32Array(dims);
    for (let m = 0; m < 5; m++) {
      const it = Math.floor(rand() * n);
      for (let d = 0; d < dims; d++) c[d] += flat[it * dims + d] / 5;
    }
    queries.push({ kind: 'centroid of 5', vector: c, exclude: -1 });
  }
  measure(real.label, flat, n, dims, real.ids, queries, real.fingerprint);
}
