// Loads the wasm core once. In browsers and workers the .wasm file is found next to this module
// (bundlers see the `new URL(..., import.meta.url)`) or where `init({ wasmUrl })` says; in Node the
// bytes are read from disk, because Emscripten's ES module build is web-only (a node environment emits __dirname).

import createLocalrecCore from '../dist/localrec_core.mjs';
import { measurePhase } from './timing.js';

const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof window === 'undefined' && typeof self === 'undefined';

let corePromise = null;
let readyPromise = null;
let core = null;

/**
 * Loads and instantiates the wasm core. Idempotent: later calls return the same promise.
 * Resolves to undefined; the library's classes use the core from then on.
 * @param {{ wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array }} [options]
 */
export function init(options = {}) {
  if (readyPromise) return readyPromise;
  corePromise = (async () => {
    const started = performance.now();
    const moduleArgs = {};
    const wasmUrl = options.wasmUrl ?? new URL('../dist/localrec_core.wasm', import.meta.url);
    if (options.wasmBinary) {
      moduleArgs.wasmBinary = options.wasmBinary;
    } else if (isNode && String(wasmUrl).startsWith('file:')) {
      const { readFile } = await import('node:fs/promises');
      moduleArgs.wasmBinary = await readFile(new URL(String(wasmUrl)));
    } else {
      moduleArgs.locateFile = (path) => (path.endsWith('.wasm') ? String(wasmUrl) : path);
    }
    core = await createLocalrecCore(moduleArgs);
    measurePhase('init', started);  // fetch, compile and instantiate of localrec_core.wasm
    return core;
  })();
  readyPromise = corePromise.then(() => undefined);
  readyPromise.catch(() => { readyPromise = null; });  // a failed load may be retried
  return readyPromise;
}

/** The instantiated core; throws if init() has not completed. */
export function getCore() {
  if (!core) throw new Error('localrec: call `await init()` before using the library');
  return core;
}

/** The library version, from the wasm core (the same as package.json's). */
export function version() {
  return getCore().version();
}
