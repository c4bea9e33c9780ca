// Loads the wasm core once. In browsers and workers the .wasm file is found next to this module
// (bundlers see the `new URL(..., import.meta.url)`) or where `init({ wasmUrl })` says; in Node the
// bytes are read from disk, because Emscripten's ES module build is web-only (a node environment emits __dirname).

import createLocalrecCore from '../dist/localrec_core.mjs';
import { coreWasmUrl } from '../assets.js';
import { checkNotHtml, ModelLoadError } from './bundle.js';
import { isNode, nodePlatform } from './platform.js';
import { measurePhase } from './timing.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

// Fetches the core's bytes ourselves (rather than letting Emscripten do it) so that a missing
// file or an HTML page served in its place fails with the URL and what to do, not with
// "expected magic word 00 61 73 6d" from inside the wasm loader.
async function fetchCoreWasm(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelLoadError(`download of the wasm core ${url} failed: ${e.message}`, { cause: e, code: 'Network', url });
  }
  if (!response.ok) {
    throw new ModelLoadError(`the wasm core ${url} is not there (HTTP ${response.status}); pass ` +
      'init({ wasmUrl }) where you serve localrec_core.wasm (docs/bundlers.md)', { code: response.status === 404 ? 'NotFound' : 'Network', url });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkNotHtml(bytes, url, 'the wasm core (localrec_core.wasm)', { contentType: response.headers.get('content-type') ?? '', magic: WASM_MAGIC });
  return bytes;
}

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
    const wasmUrl = new URL(String(options.wasmUrl ?? coreWasmUrl()), globalThis.location?.href);
    if (options.wasmBinary) {
      moduleArgs.wasmBinary = options.wasmBinary;
    } else if (isNode && wasmUrl.protocol === 'file:') {
      const bytes = await (await nodePlatform()).readFile(wasmUrl);
      if (!bytes) throw new ModelLoadError(`the wasm core ${wasmUrl} is missing (run scripts/build.sh wasm)`, { code: 'NotFound', url: wasmUrl });
      moduleArgs.wasmBinary = bytes;
    } else {
      moduleArgs.wasmBinary = await fetchCoreWasm(wasmUrl.href);
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
