// ONNX Runtime: which build runs the model and with how many threads. The model itself is always
// run by ONNX Runtime (Web's wasm backend in browsers; onnxruntime-node in Node when installed),
// never by our core.

import { isNode, nodePlatform } from './platform.js';

let webOrtPromise = null;
let nodeOrtPromise = null;
let threadNoteShown = false;

// True when this module was bundled into the worker's own script (Vite's default 'iife' worker
// format, esbuild): ONNX Runtime, bundled in with it, would start its threads as workers of that
// same script, which runs localrec's worker instead, and they never start (a hang, not an error).
function bundledIntoWorkerScript() {
  return typeof WorkerGlobalScope !== 'undefined' && typeof location !== 'undefined' &&
    String(import.meta.url) === String(location.href);
}

function webThreads(requested) {
  if (isNode) return requested ?? 1;
  const isolated = globalThis.crossOriginIsolated === true;
  if (isolated && requested === undefined && bundledIntoWorkerScript()) {
    if (!threadNoteShown) {
      threadNoteShown = true;
      console.info('localrec: ONNX Runtime is bundled into this worker\'s script, where it cannot ' +
        'start threads: it runs on one thread. Pass numThreads to loadModel() when your bundler ' +
        "emits ONNX Runtime as a file of its own (e.g. Vite with worker: { format: 'es' }).");
    }
    return 1;
  }
  if (!isolated) {
    if (!threadNoteShown && (requested ?? 2) > 1) {
      threadNoteShown = true;
      console.info('localrec: this page is not cross-origin isolated (COOP/COEP headers), so ' +
        'ONNX Runtime runs on one thread');
    }
    return 1;
  }
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return requested ?? Math.max(1, Math.min(4, cores));
}

async function loadWebOrt({ numThreads, wasmPaths, ortUrl }) {
  if (!webOrtPromise) {
    // Without a bundler, a worker cannot resolve the bare specifier (import maps do not reach
    // workers): `ortUrl` names the module file instead.
    // Bundlers follow the literal import and emit ORT's .wasm, which its module names with a
    // static new URL(..., import.meta.url); the `ortUrl` import is left alone.
    const loading = ortUrl ? import(/* webpackIgnore: true */ /* @vite-ignore */ String(ortUrl)) : import('onnxruntime-web/wasm');
    webOrtPromise = loading.then((mod) => {
      const ort = mod.default ?? mod;
      // Global settings: they must be set before the first session is created.
      ort.env.wasm.numThreads = webThreads(numThreads);
      if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
      ort.env.logLevel = 'error';
      startWasm(ort);
      return ort;
    });
    webOrtPromise.catch(() => { webOrtPromise = null; });
  }
  return webOrtPromise;
}

// A one-node ONNX model (y = Identity(x), opset 13), written here in protobuf: creating a
// session from it makes ONNX Runtime Web fetch, compile and start its 14 MB .wasm at once, while
// the real model's files are still being read and hashed, instead of after them. Sessions share
// that start-up, so the real one awaits the same promise.
export function tinyModel() {
  const enc = new TextEncoder();
  const varint = (n) => { const out = []; for (; n > 127; n >>>= 7) out.push((n & 127) | 128); out.push(n); return out; };
  const bytes = (no, b) => [...varint((no << 3) | 2), ...varint(b.length), ...b];
  const num = (no, n) => [...varint(no << 3), ...varint(n)];
  const str = (no, text) => bytes(no, [...enc.encode(text)]);
  // ValueInfoProto { name, type: TypeProto { tensor_type { elem_type: FLOAT, shape { dim { 1 } } } } }
  const value = (name) => [...str(1, name), ...bytes(2, bytes(1, [...num(1, 1), ...bytes(2, bytes(1, num(1, 1)))]))];
  const graph = [...bytes(1, [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Identity')]), ...str(2, 'start'),
    ...bytes(11, value('x')), ...bytes(12, value('y'))];
  return new Uint8Array([...num(1, 8), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...num(2, 13)])]);
}

function startWasm(ort) {
  ort.InferenceSession.create(tinyModel(), { executionProviders: ['wasm'] })
    .then((session) => session.release?.())
    .catch(() => {});  // the real session reports any failure to start
}

async function loadNodeOrt() {
  if (!nodeOrtPromise) {
    nodeOrtPromise = nodePlatform().then((p) => p.loadNodeOrt()).then((mod) => mod.default ?? mod);
    nodeOrtPromise.catch(() => { nodeOrtPromise = null; });
  }
  return nodeOrtPromise;
}

/**
 * Returns `{ ort, backend, sessionOptions }`.
 *   backend 'web'  - onnxruntime-web, wasm execution provider (browsers, workers, Node)
 *   backend 'node' - onnxruntime-node (native CPU), Node only
 *   backend 'auto' - 'node' in Node when onnxruntime-node is installed, else 'web'
 * `ort` may be passed to use an ONNX Runtime instance the application already configured, and
 * `ortUrl` to load onnxruntime-web's ort.wasm module from a URL. Thread count and wasm paths are
 * ONNX Runtime Web globals: the first model loaded fixes them.
 */
export async function selectRuntime({ backend = 'auto', numThreads, wasmPaths, ort, ortUrl } = {}) {
  if (!['auto', 'web', 'node'].includes(backend)) {
    throw new TypeError(`localrec: backend must be 'auto', 'web' or 'node', got ${JSON.stringify(backend)}`);
  }
  if (numThreads !== undefined && (!Number.isInteger(numThreads) || numThreads < 1)) {
    throw new TypeError('localrec: numThreads must be a positive integer');
  }
  const base = { graphOptimizationLevel: 'all' };
  if (ort) return { ort, backend: 'custom', sessionOptions: base };
  if (backend === 'node' || (backend === 'auto' && isNode)) {
    try {
      const nodeOrt = await loadNodeOrt();
      return {
        ort: nodeOrt, backend: 'node',
        sessionOptions: { ...base, executionProviders: ['cpu'], intraOpNumThreads: numThreads ?? 1 },
      };
    } catch (e) {
      if (backend === 'node') {
        throw new Error('localrec: onnxruntime-node is not installed (npm install onnxruntime-node)', { cause: e });
      }
    }
  }
  const webOrt = await loadWebOrt({ numThreads, wasmPaths, ortUrl });
  return { ort: webOrt, backend: 'web', sessionOptions: { ...base, executionProviders: ['wasm'] } };
}
