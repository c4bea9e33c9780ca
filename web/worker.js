// Worker entry point: runs localrec off the main thread. The page talks to it through
// `createWorker()` (web/src/worker-client.js) with id-tagged messages:
//   request  { id, op: 'call', target: 0 | handle, method, args }      target 0 = the module
//            { id, op: 'construct', className, args }
//            { id, op: 'static', className, method, args }
//            { id, op: 'release', target: handle }
//   reply    { id, ok: true, value } | { id, ok: false, error: { name, message, code } }
//   event    { callback, data }   a function argument of the page's call was invoked here
// Objects of localrec's classes never cross the boundary: they stay here and the page gets a
// handle ({ $handle, className, props }); arguments that are handles are resolved back here.

import * as localrec from './index.js';
import { isNode, nodePlatform } from './src/platform.js';
import { measurePhase } from './src/timing.js';

// The worker's clock starts when the page creates it: this phase is its start and module loading.
measurePhase('worker-script', 0);

// The classes the page may construct or call static methods of, by the name the page uses. An
// explicit table: minifiers rename classes, so `Function.name` cannot be trusted in a bundle.
const CLASSES = new Map([
  ['Catalog', localrec.Catalog],
  ['CatalogBuilder', localrec.CatalogBuilder],
  ['InterestProfile', localrec.InterestProfile],
  ['Model', localrec.Model],
  ['PendingModel', localrec.PendingModel],
  ['Tokenizer', localrec.Tokenizer],
]);
const CLASS_NAMES = new Map([...CLASSES].map(([name, cls]) => [cls, name]));
// Functions the page may call through `call(name, ...)`: the package's exported functions, by
// export name (which minifiers keep); capitalised exports are classes (ModelLoadError, ...).
const FUNCTIONS = new Map(Object.entries(localrec).filter(([name, v]) => typeof v === 'function' && !/^[A-Z]/.test(name)));
const objects = new Map();
let nextHandle = 1;

function snapshot(obj) {
  // Plain data the page may read synchronously: own fields and getters of primitive value.
  const props = {};
  for (const [k, v] of Object.entries(obj)) if (v === null || typeof v !== 'object') props[k] = v;
  for (let proto = Object.getPrototypeOf(obj); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (!d.get || k in props) continue;
      try {
        const v = d.get.call(obj);
        if (v === null || typeof v !== 'object') props[k] = v;
      } catch { /* a getter that needs state we do not have: skip */ }
    }
  }
  return props;
}

function toWire(value) {
  const className = value && typeof value === 'object' ? CLASS_NAMES.get(value.constructor) : undefined;
  if (className) {
    const handle = nextHandle++;
    objects.set(handle, value);
    return { $handle: handle, className, props: snapshot(value) };
  }
  return value;
}

// Arguments: handles become the objects they stand for; { $callback } markers become functions
// that post an event to the page (e.g. download progress).
function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') {
    if (typeof value.$handle === 'number') {
      const obj = objects.get(value.$handle);
      if (!obj) throw new Error(`localrec worker: handle ${value.$handle} was released`);
      return obj;
    }
    if (typeof value.$callback === 'number') {
      const callback = value.$callback;
      return (data) => port.postMessage({ callback, data });
    }
    if (Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]));
    }
  }
  return value;
}

// Typed arrays in the reply are transferred, not copied (they are fresh copies already).
function transferables(value, out = []) {
  if (ArrayBuffer.isView(value)) {
    if (!out.includes(value.buffer) && !(value.buffer instanceof (globalThis.SharedArrayBuffer ?? class {}))) out.push(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out);
  } else if (value && typeof value === 'object' && !value.$handle) {
    for (const v of Object.values(value)) transferables(v, out);
  }
  return out;
}

async function handle(msg) {
  // 'ping' answers at once, without loading the core: createWorker({ worker }) asks it of a worker
  // created earlier, whose { ready } it may have missed.
  if (msg.op === 'ping') return { value: true };
  // Everything but an explicit init() (which may carry options) needs the core loaded.
  if (!(msg.op === 'call' && msg.target === 0 && msg.method === 'init')) await localrec.init();
  switch (msg.op) {
    case 'call': {
      const target = msg.target === 0 ? localrec : objects.get(msg.target);
      if (!target) throw new Error(`localrec worker: handle ${msg.target} was released`);
      const fn = msg.target === 0 ? FUNCTIONS.get(msg.method) : target[msg.method];
      if (typeof fn !== 'function' || (msg.target !== 0 && !isPublicMethod(msg.method))) {
        throw new TypeError(`localrec worker: ${msg.method} is not a method`);
      }
      const result = await fn.apply(target, fromWire(msg.args ?? []));
      return { value: toWire(result), props: msg.target === 0 ? undefined : snapshot(target) };
    }
    case 'static': {
      const Cls = CLASSES.get(msg.className);
      if (!Cls || typeof Cls[msg.method] !== 'function' || !isPublicMethod(msg.method)) {
        throw new TypeError(`localrec worker: no static method ${msg.className}.${msg.method}`);
      }
      return { value: toWire(await Cls[msg.method](...fromWire(msg.args ?? []))) };
    }
    case 'construct': {
      const Cls = CLASSES.get(msg.className);
      if (!Cls) throw new TypeError(`localrec worker: no class ${msg.className}`);
      return { value: toWire(new Cls(...fromWire(msg.args ?? []))) };
    }
    case 'release': {
      const obj = objects.get(msg.target);
      objects.delete(msg.target);
      await obj?.dispose?.();
      return { value: undefined };
    }
    default:
      throw new TypeError(`localrec worker: unknown op ${msg.op}`);
  }
}

// Names like 'constructor' or 'prototype' are not methods the page may call.
function isPublicMethod(name) {
  return typeof name === 'string' && name !== 'constructor' && !name.startsWith('_');
}

let port = null;

const onMessage = async (data) => {
  try {
    const { value, props } = await handle(data);
    port.postMessage({ id: data.id, ok: true, value, props }, transferables(value));
  } catch (e) {
    port.postMessage({ id: data.id, ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code } });
  }
};
// No top-level await: bundlers may emit workers in formats without it (Vite's default is iife).
// A worker_threads port queues messages until the listener is attached.
// The first message says the worker's modules loaded, so createWorker() can fail at once (with
// the reason) when they did not.
if (!isNode) {
  port = self;
  self.onmessage = (event) => onMessage(event.data);
  port.postMessage({ ready: true });
} else {
  nodePlatform().then((p) => {
    port = p.parentPort;
    port.on('message', onMessage);
    port.postMessage({ ready: true });
  });
}
