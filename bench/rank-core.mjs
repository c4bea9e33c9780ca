// The ranking benchmark itself, shared by Node (bench/rank.mjs) and Chromium
// (bench/rank-browser.mjs): top-10 by dot product over n random unit vectors, single thread.
//   ours      localrec Catalog.search (wasm, int8 simd128 scan + f32 rescoring of 100 candidates)
//   js-loop   a plain JS loop over a Float32Array (exact; also the recall reference)
//   hnswlib   hnswlib-wasm BruteforceSearch (exact, f32), and optionally its HNSW graph
//   bandwidth a plain byte sum over our int8 vectors in wasm: bytes scanned / time is the
//             memory-bandwidth bound for a scan of that buffer
// Environment-specific loading (wasm bytes, shims) is done by the caller, which passes the
// libraries in. Nothing here asserts a speed: it measures and reports.

/** Deterministic random unit vectors (xorshift128+, Box-Muller), flat n x dims. */
export function randomUnitVectors(n, dims, seed) {
  let s0 = (seed * 2654435761) >>> 0 || 1, s1 = (seed * 40503 + 12345) >>> 0 || 2;
  const next = () => {  // xorshift64-ish on two 32-bit words, uniform in (0, 1)
    let x = s0, y = s1;
    s0 = y;
    x ^= x << 23; x >>>= 0;
    x ^= x >>> 17; x ^= y ^ (y >>> 26); x >>>= 0;
    s1 = x;
    return ((x + y) >>> 0) / 4294967296 + 1 / 8589934592;
  };
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d += 2) {
      const r = Math.sqrt(-2 * Math.log(next())), t = 2 * Math.PI * next();
      out[base + d] = r * Math.cos(t);
      if (d + 1 < dims) out[base + d + 1] = r * Math.sin(t);
    }
    for (let d = 0; d < dims; d++) norm += out[base + d] * out[base + d];
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[base + d] *= inv;
  }
  return out;
}

/** Queries near catalogue items (item + noise, normalised), as real queries tend to be. */
export function makeQueries(items, n, dims, count, seed) {
  const noise = randomUnitVectors(count, dims, seed);
  const q = [];
  for (let j = 0; j < count; j++) {
    const item = (j * 7919 + 13) % n;
    const v = new Float32Array(dims);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      v[d] = items[item * dims + d] + noise[j * dims + d];
      norm += v[d] * v[d];
    }
    for (let d = 0; d < dims; d++) v[d] /= Math.sqrt(norm);
    q.push(v);
  }
  return q;
}

/** The plain JS loop: exact dot products, top-k kept in a small sorted array. */
export function jsLoopTopK(items, n, dims, query, k) {
  const best = new Float64Array(k).fill(-Infinity);
  const ids = new Int32Array(k).fill(-1);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d++) s += items[base + d] * query[d];
    if (s > best[k - 1]) {
      let j = k - 1;
      while (j > 0 && best[j - 1] < s) {
        best[j] = best[j - 1];
        ids[j] = ids[j - 1];
        j--;
      }
      best[j] = s;
      ids[j] = i;
    }
  }
  return Array.from(ids);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function recall(got, truth) {
  const t = new Set(truth);
  return got.filter((x) => t.has(x)).length / truth.length;
}

// Time per call of fn(query): median and minimum over the queries, after a warm-up of at least
// `warmupMs` (V8 compiles wasm in a baseline tier first and optimises hot functions in the
// background; on a loaded machine that takes a while, and steady state is what we measure).
function timeQueries(queries, fn, warmupMs = 3000) {
  const start = performance.now();
  for (let i = 0; i < 3 || performance.now() - start < warmupMs; i++) fn(queries[i % queries.length]);
  const times = [];
  const results = [];
  for (const q of queries) {
    const t = performance.now();
    results.push(fn(q));
    times.push(performance.now() - t);
  }
  return { ms: median(times), min: Math.min(...times), results };
}

/**
 * Runs the benchmark for each size and returns rows { n, method, ms, recall, bytesPerItem, note }.
 * @param {{ localrec: object, hnswlib?: object, sizes: number[], dims: number, queries: number,
 *   k?: number, hnswMax?: number, log?: (s: string) => void }} options
 */
export async function runRankBench({ localrec, hnswlib, sizes, dims, queries: numQueries, k = 10,
                                     hnswMax = 0, log = () => {} }) {
  const { Catalog, CatalogBuilder } = localrec;
  const fingerprint = '00'.repeat(32);
  const rows = [];
  for (const n of sizes) {
    log(`n = ${n}: generating ${n} x ${dims} random unit vectors`);
    const items = randomUnitVectors(n, dims, 42);
    const queries = makeQueries(items, n, dims, numQueries, 7);

    const js = timeQueries(queries, (q) => jsLoopTopK(items, n, dims, q, k));
    const truth = js.results;
    rows.push({ n, method: 'js-loop (f32, exact)', ms: js.ms, min: js.min, recall: 1, bytesPerItem: 4 * dims });

    log('  building our catalogue');
    let t = performance.now();
    const builder = new CatalogBuilder({ dims, modelFingerprint: fingerprint });
    for (let i = 0; i < n; i++) builder.add({ id: String(i), vector: items.subarray(i * dims, (i + 1) * dims) });
    const built = builder.finish();
    const buildMs = performance.now() - t;
    const bytes = built.toBytes();
    built.dispose();
    t = performance.now();
    const catalog = Catalog.fromBytes(bytes);
    const loadMs = performance.now() - t;
    const ours = timeQueries(queries, (q) => catalog.search(q, { k, metadata: false }).map((r) => r.index));
    const oursRecall = ours.results.reduce((a, r, j) => a + recall(r, truth[j]), 0) / queries.length;
    rows.push({ n, method: 'ours (wasm int8 + rescoring)', ms: ours.ms, min: ours.min, recall: oursRecall,
                bytesPerItem: bytes.length / n,
                note: `file ${(bytes.length / 1e6).toFixed(1)} MB, build ${(buildMs / 1000).toFixed(1)} s, load ${loadMs.toFixed(0)} ms` });

    // Memory-bandwidth bound: a plain sum over the same int8 buffer.
    const stride = Math.ceil(dims / 16) * 16;
    catalog._scanVectors();
    const scans = [];
    for (let r = 0; r < 7; r++) {
      t = performance.now();
      catalog._scanVectors();
      scans.push(performance.now() - t);
    }
    const scanMs = median(scans);
    const scanMin = Math.min(...scans);
    const gbps = (n * stride) / (scanMs / 1000) / 1e9;
    rows.push({ n, method: 'bandwidth bound (wasm byte sum)', ms: scanMs, min: scanMin, recall: null, bytesPerItem: stride,
                note: `${gbps.toFixed(1)} GB/s over ${(n * stride / 1e6).toFixed(0)} MB` });
    catalog.dispose();

    if (hnswlib) {
      log('  hnswlib-wasm brute force');
      try {
        const bf = new hnswlib.BruteforceSearch('ip', dims);
        bf.initIndex(n);
        for (let i = 0; i < n; i++) bf.addPoint(items.subarray(i * dims, (i + 1) * dims), i);
        const r = timeQueries(queries, (q) => Array.from(bf.searchKnn(q, k, undefined).neighbors));
        // hnswlib returns nearest first? Order does not matter for recall.
        rows.push({ n, method: 'hnswlib-wasm BruteforceSearch (f32, exact)', ms: r.ms, min: r.min,
                    recall: r.results.reduce((a, x, j) => a + recall(x, truth[j]), 0) / queries.length,
                    bytesPerItem: 4 * dims + 8 });
        bf.delete?.();
      } catch (e) {
        rows.push({ n, method: 'hnswlib-wasm BruteforceSearch', ms: null, recall: null, note: `failed: ${e.message ?? e}` });
      }
      if (hnswMax && n <= hnswMax) {
        log('  hnswlib-wasm HNSW (M 16, efConstruction 64): building');
        const h = new hnswlib.HierarchicalNSW('ip', dims, '');
        h.initIndex(n, 16, 64, 100);
        t = performance.now();
        for (let i = 0; i < n; i++) h.addPoint(items.subarray(i * dims, (i + 1) * dims), i, false);
        const hnswBuild = performance.now() - t;
        for (const ef of [16, 32, 64, 128, 256, 512]) {
          h.setEfSearch(ef);
          const r = timeQueries(queries, (q) => Array.from(h.searchKnn(q, k, undefined).neighbors));
          const rec = r.results.reduce((a, x, j) => a + recall(x, truth[j]), 0) / queries.length;
          if (rec >= 0.95 || ef === 512) {
            rows.push({ n, method: `hnswlib-wasm HNSW (ef ${ef})`, ms: r.ms, min: r.min, recall: rec,
                        bytesPerItem: 4 * dims + 2 * 16 * 4 + 16,
                        note: `graph build ${(hnswBuild / 1000).toFixed(0)} s; memory per item estimated` });
            break;
          }
        }
        h.delete?.();
      }
    }
  }
  return rows;
}

/** The table of results with the ratios the issue asks for, side by side. */
export function formatRows(rows, { environment }) {
  const lines = [`rank benchmark (${environment}); top-10 by dot product, single thread, median per query`];
  const pad = (s, w) => String(s).padEnd(w);
  lines.push(`${pad('n', 9)}${pad('method', 46)}${pad('median ms', 11)}${pad('min ms', 9)}${pad('recall@10', 11)}${pad('B/item', 8)}note`);
  for (const r of rows) {
    lines.push(`${pad(r.n, 9)}${pad(r.method, 46)}${pad(r.ms == null ? '-' : r.ms.toFixed(2), 11)}${pad(r.min == null ? '-' : r.min.toFixed(2), 9)}` +
               `${pad(r.recall == null ? '-' : r.recall.toFixed(3), 11)}${pad(r.bytesPerItem == null ? '-' : Math.round(r.bytesPerItem), 8)}${r.note ?? ''}`);
  }
  lines.push('');
  for (const n of [...new Set(rows.map((r) => r.n))]) {
    const get = (prefix) => rows.find((r) => r.n === n && r.method.startsWith(prefix));
    const ours = get('ours'), js = get('js-loop'), bw = get('bandwidth'), bf = get('hnswlib-wasm Brute'), hn = get('hnswlib-wasm HNSW');
    const parts = [`n=${n}: ours ${ours.ms.toFixed(2)} ms (median; min ${ours.min.toFixed(2)})`,
      `${(js.ms / ours.ms).toFixed(1)}x faster than the JS loop`,
      `${(ours.ms / bw.ms).toFixed(2)}x the bandwidth bound (min/min ${(ours.min / bw.min).toFixed(2)}x)`];
    if (bf?.ms) parts.push(`${(bf.ms / ours.ms).toFixed(1)}x faster than hnswlib brute force`);
    if (hn?.ms) parts.push(`hnswlib HNSW ${(hn.ms / ours.ms).toFixed(2)}x our time at recall ${hn.recall.toFixed(3)}`);
    lines.push(parts.join(', '));
  }
  return lines.join('\n');
}
