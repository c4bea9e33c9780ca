// Catalogue load time of two builds of the wasm core, in one process, alternately (so both see
// the same machine load): `node bench/catalog-load-ab.mjs DIR_A DIR_B [items] [rounds]`, where
// each DIR holds a localrec_core.mjs + .wasm (e.g. a copy of web/dist from before a change, and
// web/dist). Builds one catalogue of `items` (default 20,000) 384-dimensional items with
// metadata, a tag and a 30-word text, then times copy + Catalog.fromBuffer (the full validation
// and the BM25 index) `rounds` times per build; prints wall and CPU medians. CPU time is the one
// to compare on a busy machine.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dirA, dirB, items = '20000', rounds = '41'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/catalog-load-ab.mjs DIR_A DIR_B [items] [rounds]');
  process.exit(2);
}
async function load(dir) {
  const { default: create } = await import(pathToFileURL(resolve(dir, 'localrec_core.mjs')).href);
  return create({ wasmBinary: readFileSync(resolve(dir, 'localrec_core.wasm')) });
}
const cores = { A: await load(dirA), B: await load(dirB) };
const n = Number(items), dims = 384;
let seed = 42;
const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32 - 0.3; };
const builder = cores.A.CatalogBuilder.create(dims, '0'.repeat(64), 'int8');
for (let i = 0; i < n; i++) {
  const v = new Float32Array(dims);
  let norm = 0;
  for (let d = 0; d < dims; d++) { v[d] = rnd(); norm += v[d] * v[d]; }
  for (let d = 0; d < dims; d++) v[d] /= Math.sqrt(norm);
  const words = Array.from({ length: 30 }, () => `w${Math.floor((rnd() + 0.3) * 5000)}`).join(' ');
  builder.add(`item-${i}`, v, JSON.stringify({ title: `Item ${i}`, url: `https://example.org/${i}` }), [`tag::${i % 200}`], words);
}
const built = builder.finish();
const bytes = built.bytesView().slice();
built.delete();
builder.delete();

const wall = { A: [], B: [] }, cpu = { A: [], B: [] };
for (let r = 0; r < Number(rounds); r++) {
  for (const name of r % 2 ? ['A', 'B'] : ['B', 'A']) {
    const core = cores[name];
    const c0 = process.cpuUsage(), t0 = performance.now();
    const buffer = core.CatalogBuffer.create(bytes.byteLength);
    buffer.view().set(bytes);
    const catalog = core.Catalog.fromBuffer(buffer);
    const t1 = performance.now(), c1 = process.cpuUsage(c0);
    if (catalog.size() !== n) throw new Error(`build ${name} loaded ${catalog.size()} items, not ${n}`);
    catalog.delete();
    buffer.delete();
    if (r > 0) {  // the first round warms both up
      wall[name].push(t1 - t0);
      cpu[name].push((c1.user + c1.system) / 1000);
    }
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`wasm catalogue load: ${n} items x ${dims} dims, ${(bytes.byteLength / 1e6).toFixed(1)} MB, ${Number(rounds) - 1} loads per build, alternating`);
for (const [name, dir] of [['A', dirA], ['B', dirB]]) {
  console.log(`${name} (${dir}): wall median ${median(wall[name]).toFixed(1)} ms, fastest ${Math.min(...wall[name]).toFixed(1)} ms; CPU median ${median(cpu[name]).toFixed(1)} ms`);
}
