// Ranking benchmark in Node: `npm run bench:rank [-- --sizes 100000,1000000 --dims 384
// --queries 30 --hnsw 0]`. Prints one table with ours, the plain JS loop, hnswlib-wasm and the
// memory-bandwidth bound side by side, plus their ratios. --hnsw N also builds hnswlib's HNSW
// graph for sizes <= N (slow: minutes per 10k items on a loaded 2-core machine).
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as localrec from '../web/index.js';
import { runRankBench, formatRows } from './rank-core.mjs';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    dims: { type: 'string', default: '384' },
    queries: { type: 'string', default: '30' },
    hnsw: { type: 'string', default: '0' },
    'no-hnswlib': { type: 'boolean', default: false },
  },
});

await localrec.init();
let hnswlib = null;
if (!values['no-hnswlib']) {
  try {
    // hnswlib-wasm is built for browsers only (Emscripten ENVIRONMENT=web) and mounts IDBFS at
    // load: give it a window object and an in-memory IndexedDB.
    await import('fake-indexeddb/auto');
    globalThis.window ??= globalThis;
    globalThis.document ??= { currentScript: null };
    const log = console.log;
    console.log = () => {};  // it prints file-system chatter at load
    try {
      const { loadHnswlib } = await import('hnswlib-wasm/dist/hnswlib.js');
      hnswlib = await loadHnswlib();
    } finally {
      console.log = log;
    }
  } catch (e) {
    console.error(`hnswlib-wasm unavailable (${e.message}); running without it`);
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const rows = await runRankBench({
  localrec, hnswlib,
  sizes: values.sizes.split(',').map(Number),
  dims: Number(values.dims),
  queries: Number(values.queries),
  hnswMax: Number(values.hnsw),
  log: (s) => console.error(s),
});
console.log(formatRows(rows, { environment: `Node ${process.version}, ${cpu}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}` }));
