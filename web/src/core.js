// Loads the wasm core once. In browsers and workers the .wasm file is found next to this module
// (bundlers see the `new URL(..., import.meta.url)`) or where `init({ wasmUrl })` says; in Node the
// bytes are read from disk, because Emscripten's ES module build is web-only (a node environment emits __dirname).

import createLocalrecCore from '../dist/localrec_core.mjs';
import { coreWasmUrl } from '../assets.js';
import { readRuntimeFile } from './bundle.js';
import { measurePhase } from './timing.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

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
    } else {
      // Read here rather than by Emscripten's loader, so that a missing file or an HTML page in
      // its place fails with the URL and what to do, not "expected magic word 00 61 73 6d".
      moduleArgs.wasmBinary = await readRuntimeFile(wasmUrl,
        { what: 'the wasm core (localrec_core.wasm)', option: 'init({ wasmUrl })', magic: WASM_MAGIC });
    }
    const instance = await createLocalrecCore(moduleArgs);
    installErrorChannel(instance);
    core = instance;
    measurePhase('init', started);  // fetch, compile and instantiate of localrec_core.wasm
    return core;
  })();
  readyPromise = corePromise.then(() => undefined);
  readyPromise.catch(() => { readyPromise = null; });  // a failed load may be retried
  return readyPromise;
}

// Methods every Embind class has (ClassHandle's); they never enter a core function.
const HANDLE_METHODS = new Set(['constructor', 'delete', 'clone', 'isDeleted', 'deleteLater', 'isAliasOf']);
// Functions on the module that are Emscripten's runtime, the error channel itself, or the
// benchmark's deliberately unchecked probe; every other function (Embind's free functions of
// src/wasm/, whoever adds them) is wrapped like the classes' methods.
const UNCHECKED_FUNCTIONS = new Set(['BindingError', 'InternalError', 'UnboundTypeError',
  'getInheritedInstanceCount', 'getLiveInheritedInstances', 'flushPendingDeletes', 'setDelayFunction',
  'count_emval_handles', 'get_first_emval', 'stackSave', 'stackRestore', 'run',
  'pendingErrorAddress', 'takeError', 'probeThrow']);

/**
 * Errors of the core cross into JS as a status (src/wasm/bind_util.h): a core call that fails
 * records { code, message } in wasm memory and returns a placeholder, and its wrapper installed
 * here throws the JS Error. No exception unwinds through wasm frames, so failing calls leak
 * neither wasm stack nor exception objects. Every Embind class's methods and static functions,
 * and every free function, are wrapped, so what is added to src/wasm/ is covered without listing
 * it here (an unwrapped failing call would leave its error to the next call).
 */
function installErrorChannel(m) {
  const flag = m.pendingErrorAddress() >>> 2;
  const takeError = m.takeError;
  const raise = () => {
    const s = takeError();
    const nl = s.indexOf('\n');
    const code = s.slice(0, nl);
    const message = s.slice(nl + 1);
    const error = new Error(message);
    error.code = code;
    return error;
  };
  // A JS exception thrown inside a core call (Embind's argument copies when malloc fails, see
  // src/wasm/checked_malloc.post.js) still unwinds through wasm frames, and wasm's catch (...)
  // does not catch it: the outermost wrapper puts the stack pointer back where every call from
  // JS starts (no core call is active in between, so it is the same for all of them).
  const baseStack = m.stackSave();
  let depth = 0;
  const wrap = (fn) => {
    const checked = function () {
      depth++;
      let result;
      try {
        result = fn.apply(this, arguments);  // eslint-disable-line prefer-rest-params -- faster
      } catch (e) {
        if (depth === 1) m.stackRestore(baseStack);
        throw e;
      } finally {
        depth--;
      }
      if (m.HEAP32[flag] !== 0) throw raise();
      return result;
    };
    Object.defineProperty(checked, 'name', { value: fn.name });
    checked.unchecked = fn;  // bench/errors.mjs measures the bare call
    return checked;
  };
  forEachCoreFunction(m, (owner, name, fn) => { owner[name] = wrap(fn); });
}

const isClass = (v) => typeof v === 'function' && v.prototype && typeof v.prototype.isAliasOf === 'function';
// Embind enums (src/wasm/bind_options.cc) are functions too, holding their values: not calls.
const isEnum = (v) => typeof v === 'function' && v.values !== null && typeof v.values === 'object';

/**
 * Calls `visit(owner, name, fn, label)` for every function of the module that enters the core:
 * each Embind class's methods and static functions and each free function of src/wasm/ (not
 * Emscripten's runtime, not enums). The error channel above wraps them; dev/crossings.mjs counts
 * them. @internal
 */
export function forEachCoreFunction(m, visit) {
  for (const key of Object.keys(m)) {
    const cls = m[key];
    if (!isClass(cls)) continue;
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      if (HANDLE_METHODS.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(cls.prototype, name);
      if (typeof d.value === 'function') visit(cls.prototype, name, d.value, `${key}.${name}`);
    }
    for (const name of Object.getOwnPropertyNames(cls)) {
      if (['prototype', 'length', 'name', 'arguments', 'caller'].includes(name)) continue;
      const d = Object.getOwnPropertyDescriptor(cls, name);
      if (typeof d.value === 'function' && d.writable) visit(cls, name, d.value, `${key}.${name}`);
    }
  }
  for (const name of Object.keys(m)) {
    const fn = m[name];
    if (typeof fn !== 'function' || isClass(fn) || isEnum(fn) || name.startsWith('_') || UNCHECKED_FUNCTIONS.has(name)) continue;
    visit(m, name, fn, name);
  }
}

/** The instantiated core; throws if init() has not completed. */
export function getCore() {
  if (!core) throw new Error('localrec: call `await init()` before using the library');
  return core;
}

let options = null;
const freeze = (o) => {
  if (o && typeof o === 'object') for (const v of Object.values(Object.freeze(o))) freeze(v);
  return o;
};

/**
 * The core's option names, defaults and limits (src/wasm/bind_options.cc, read once):
 * { names: { strategy, termSource, combine, fusion, normalization, precision }, rank, search,
 * profile, profileWholeNumbers, limits: { maxDims, maxIdBytes, maxCount } }. The option structs
 * of the core own them; the JS layer checks against this object and passes on only what the
 * caller gave.
 */
export function coreOptions() {
  options ??= freeze(getCore().coreOptions());
  return options;
}

/**
 * The core's enum value for a choice the caller gave (`kind` is a key of coreOptions().names),
 * or a TypeError (code InvalidArgument) naming the choices.
 */
export function coreEnum(kind, name, what = kind) {
  const names = coreOptions().names[kind];
  if (typeof name !== 'string' || !names.includes(name)) {
    const error = new TypeError(`localrec: ${what} must be one of ${names.map((c) => `'${c}'`).join(', ')} (got ${JSON.stringify(name)})`);
    error.code = 'InvalidArgument';
    throw error;
  }
  return getCore()[ENUMS[kind]][name];
}
const ENUMS = { strategy: 'Strategy', termSource: 'TermSource', combine: 'Combine', fusion: 'Fusion',
  normalization: 'Normalization', precision: 'Precision' };

/** The library version, from the wasm core (the same as package.json's). */
export function version() {
  return getCore().version();
}
