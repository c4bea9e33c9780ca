// Recall of the int8 path on real embeddings: `node bench/recall.mjs CATALOG.lrc [--queries 500]`.
// CATALOG must be built with `--precision float32` (e.g. the demo catalogue:
// `node web/cli.js build-catalog web/demo/data/debian-apps.jsonl.gz -o /tmp/debian-f32.lrc
// --precision float32`). Its f32 vectors are the truth; int8 and int8+residual catalogues are
// derived from them, and their top-10 is compared with an exact JS loop over the f32 vectors, for
// two kinds of real queries: an item's own vector (leave-one-out) and the centroid of 5 items
// (what a profile's interest vector looks like).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { init, Catalog } from '../web/index.js';
import { jsLoopTopK } from './rank-core.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { queries: { type: 'string', default: '500' } } });
if (!positionals[0]) {
  console.error('usage: node bench/recall.mjs CATALOG.lrc (built with --precision float32)');
  process.exit(2);
}
await init();
const exact = Catalog.fromBytes(readFileSync(positionals[0]));
if (exact.precision !== 'float32') {
  console.error(`${positionals[0]} has ${exact.precision} vectors; rebuild it with --precision float32`);
  process.exit(2);
}
const n = exact.size, dims = exact.dims, k = 10;
const flat = new Float32Array(n * dims);
const ids = [];
for (let i = 0; i < n; i++) {
  flat.set(exact.vector(i), i * dims);
  ids.push(exact.id(i));
}
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const numQueries = Number(values.queries);
const queries = [];
for (let j = 0; j < numQueries; j++) {
  const item = Math.floor(rand() * n);
  queries.push({ kind: 'item', vector: flat.slice(item * dims, (item + 1) * dims), exclude: item });
  const c = new Float32Array(dims);
  for (let m = 0; m < 5; m++) {
    const it = Math.floor(rand() * n);
    for (let d = 0; d < dims; d++) c[d] += flat[it * dims + d] / 5;
  }
  queries.push({ kind: 'centroid of 5', vector: c, exclude: -1 });
}
const lines = [`recall@10 vs an exact f32 JS loop: ${positionals[0]} (${n} items x ${dims}), ${numQueries} queries of each kind`];
for (const precision of ['int8', 'residual']) {
  const c = Catalog.fromVectors({ ids, vectors: flat, dims, modelFingerprint: exact.modelFingerprint, precision });
  const hits = {}, counts = {};
  for (const q of queries) {
    const truth = jsLoopTopK(flat, n, dims, q.vector, k + 1).filter((i) => i !== q.exclude).slice(0, k);
    const got = c.search(q.vector, { k, metadata: false, exclude: q.exclude >= 0 ? [ids[q.exclude]] : [] }).map((r) => r.index);
    const t = new Set(truth);
    hits[q.kind] = (hits[q.kind] ?? 0) + got.filter((i) => t.has(i)).length;
    counts[q.kind] = (counts[q.kind] ?? 0) + truth.length;
  }
  for (const kind of Object.keys(hits)) {
    lines.push(`  ${precision.padEnd(9)} ${kind.padEnd(14)} recall@10 ${(hits[kind] / counts[kind]).toFixed(4)}  (catalogue ${(c.byteLength / 1e6).toFixed(1)} MB)`);
  }
  c.dispose();
}
console.log(lines.join('\n'));
