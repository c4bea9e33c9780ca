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
import { measurePhase } from './src/timing.js';

// The worker's clock starts when the page creates it: this phase is its start and module loading.
measurePhase('worker-script', 0);

const classes = new Set(Object.values(localrec).filter((v) => typeof v === 'function' && /^[A-Z]/.test(v.name)));
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
  if (value && typeof value === 'object' && classes.has(value.constructor)) {
    const handle = nextHandle++;
    objects.set(handle, value);
    return { $handle: handle, className: value.constructor.name, props: snapshot(value) };
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
  // Everything but an explicit init() (which may carry options) needs the core loaded.
  if (!(msg.op === 'call' && msg.target === 0 && msg.method === 'init')) await localrec.init();
  switch (msg.op) {
    case 'call': {
      const target = msg.target === 0 ? localrec : objects.get(msg.target);
      if (!target) throw new Error(`localrec worker: handle ${msg.target} was released`);
      const fn = target[msg.method];
      if (typeof fn !== 'function') throw new TypeError(`localrec worker: ${msg.method} is not a method`);
      const result = await fn.apply(target, fromWire(msg.args ?? []));
      return { value: toWire(result), props: msg.target === 0 ? undefined : snapshot(target) };
    }
    case 'static': {
      const Cls = localrec[msg.className];
      if (!classes.has(Cls) || typeof Cls[msg.method] !== 'function') {
        throw new TypeError(`localrec worker: no static method ${msg.className}.${msg.method}`);
      }
      return { value: toWire(await Cls[msg.method](...fromWire(msg.args ?? []))) };
    }
    case 'construct': {
      const Cls = localrec[msg.className];
      if (!classes.has(Cls)) throw new TypeError(`localrec worker: no class ${msg.className}`);
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

const port = typeof self !== 'undefined' && typeof self.postMessage === 'function'
  ? self
  : (await import('node:worker_threads')).parentPort;

const onMessage = async (data) => {
  try {
    const { value, props } = await handle(data);
    port.postMessage({ id: data.id, ok: true, value, props }, transferables(value));
  } catch (e) {
    port.postMessage({ id: data.id, ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code } });
  }
};
if (port === globalThis.self) self.onmessage = (event) => onMessage(event.data);
else port.on('message', onMessage);
