// How errors cross the JS <-> wasm boundary, side by side on the same failing core call
// (src/wasm/bind_core.cc's probes): what each costs per call, and what it leaves behind.
//   status         Guard() records the error, web/src/core.js's wrapper reads a flag in wasm
//                  memory after the call and throws in JS (what the library uses)
//   throw+restore  the core throws a JS Error from inside wasm (val::throw_); the caller saves
//                  the stack pointer before every call and restores it after an error
//   throw          the same without restoring (the library before issue 14)
// Usage: node bench/errors.mjs [calls]   (default 200000)
import { init } from '../web/index.js';
import { getCore } from '../web/src/core.js';

await init();
const core = getCore();
const N = Number(process.argv[2] ?? 200_000);
const statusCall = core.probeStatus;          // the wrapped (checked) call
const bareStatus = core.probeStatus.unchecked;
const throwCall = core.probeThrow;

function withRestore(fn) {
  return (x) => {
    const sp = core.stackSave();
    try {
      return fn(x);
    } catch (e) {
      core.stackRestore(sp);
      throw e;
    }
  };
}
const throwRestore = withRestore(throwCall);

function timeOk(fn) {
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) sum += fn(0);
  const ns = ((performance.now() - t0) * 1e6) / N;
  if (sum !== N) throw new Error('probe returned a wrong value');
  return ns;
}
function timeFail(fn) {
  const heap = core.heapInUse();
  const sp = core.stackSave();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    try { fn(1); } catch (e) { if (e.code !== 'CorruptData') throw e; }
  }
  const ns = ((performance.now() - t0) * 1e6) / N;
  return { ns, stackLeak: sp - core.stackSave(), heapGrowth: core.heapInUse() - heap };
}

// Warm up every path once.
for (const fn of [statusCall, throwRestore]) { timeOk(fn); }

// Best of 5 rounds each, interleaved, so that a busy machine hurts every mechanism alike.
const ROUNDS = 5;
const rows = [{ name: 'status', fn: statusCall }, { name: 'throw+restore', fn: throwRestore }]
  .map((r) => ({ ...r, ok: Infinity, fail: Infinity, stackLeak: 0, heapGrowth: 0 }));
let bare = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  bare = Math.min(bare, timeOk(bareStatus));
  for (const r of rows) {
    r.ok = Math.min(r.ok, timeOk(r.fn));
    const failed = timeFail(r.fn);
    r.fail = Math.min(r.fail, failed.ns);
    r.stackLeak += failed.stackLeak;
    r.heapGrowth += failed.heapGrowth;
  }
}
console.log(`errors across the wasm boundary: ${N.toLocaleString('en')} calls of the same core probe per round and mechanism, Node ${process.version}, best of ${ROUNDS} rounds; a bare Embind call (no check) takes ${bare.toFixed(1)} ns\n`);
console.log('| mechanism | successful call, ns | over a bare call, ns | failing call, ns | stack left behind, bytes (all rounds) | heap left allocated, bytes (all rounds) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.ok.toFixed(1)} | ${(r.ok - bare).toFixed(1)} | ${r.fail.toFixed(0)} | ${r.stackLeak} | ${r.heapGrowth} |`);
}
console.log(`\nfailing call, throw+restore / status: ${(rows[1].fail / rows[0].fail).toFixed(2)}x`);
// The old way: failing calls until the instance breaks (the stack runs into the heap). Last,
// because it ruins this instance.
const sp0 = core.stackSave();
let i = 0;
for (; i < 10_000_000; i++) {
  try { throwCall(1); } catch (e) { if (e?.code !== 'CorruptData') break; }
}
console.log(`throw without restore (the library before issue 14): this probe's instance broke after ` +
  `${i.toLocaleString('en')} failing calls (${((sp0 - core.stackSave()) / Math.max(1, i)).toFixed(0)} bytes of stack each; ` +
  'the library\'s own calls leaked about 224 bytes each and broke after 23,419 bad catalogues)');
