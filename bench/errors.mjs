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
  const heap = core.HEAPU8.length;
  const handles = core.count_emval_handles();
  const sp = core.stackSave();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    try { fn(1); } catch (e) { if (e.code !== 'CorruptData') throw e; }
  }
  const ns = ((performance.now() - t0) * 1e6) / N;
  return {
    ns, stackLeak: sp - core.stackSave(), heapGrowth: core.HEAPU8.length - heap,
    handles: core.count_emval_handles() - handles,
  };
}

// Warm up every path once.
for (const fn of [statusCall, throwRestore]) { timeOk(fn); }

const rows = [];
const bare = timeOk(bareStatus);
for (const [name, fn] of [['status', statusCall], ['throw+restore', throwRestore]]) {
  const ok = timeOk(fn);
  const failed = timeFail(fn);
  rows.push({ name, ok, fail: failed.ns, ...failed });
}
console.log(`${N} calls each, Node ${process.version}; bare Embind call (no check): ${bare.toFixed(1)} ns`);
console.log('mechanism       ok call ns  (over bare)  failing call ns  stack leaked B  wasm memory grown B  JS handles leaked');
for (const r of rows) {
  console.log(`${r.name.padEnd(15)} ${r.ok.toFixed(1).padStart(10)}  ${(r.ok - bare).toFixed(1).padStart(11)}  ` +
    `${r.fail.toFixed(0).padStart(15)}  ${String(r.stackLeak).padStart(14)}  ${String(r.heapGrowth).padStart(19)}  ` +
    `${String(r.handles).padStart(16)}`);
}
console.log(`ratio failing call, throw+restore / status: ${(rows[1].fail / rows[0].fail).toFixed(2)}`);

// The old way: failing calls until the instance breaks (the stack runs into the heap). Last,
// because it ruins this instance.
const sp0 = core.stackSave();
let i = 0;
for (; i < 10_000_000; i++) {
  try { throwCall(1); } catch (e) { if (e?.code !== 'CorruptData') break; }
}
console.log(`throw without restore: the instance broke after ${i} failing calls ` +
  `(${((sp0 - core.stackSave()) / Math.max(1, i)).toFixed(0)} B of stack each)`);
