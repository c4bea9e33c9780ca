// Counts JS -> wasm crossings: every call into the core's Embind functions and methods (the same
// set web/src/core.js wraps with the error channel), with the bytes of the data that crosses.
// A test or benchmark measures a piece of work with `await countCrossings(async () => ...)`.
//
// Bytes are what Embind copies for the call's arguments and result: UTF-8 strings, typed arrays
// (their byteLength; a typed array that is a view of wasm memory is not a copy and counts 0),
// and arrays and plain objects (Embind `val`s and value objects) by their contents, numbers
// inside them as 4 bytes. Scalar numbers and booleans pass in registers and count 0, as do class
// handles. It is an estimate of the copies, the same for the code before and after a change.

import { getCore } from '../web/src/core.js';

const HANDLE_METHODS = new Set(['constructor', 'delete', 'clone', 'isDeleted', 'deleteLater', 'isAliasOf']);
const encoder = new TextEncoder();

function bytesOf(v, heap, depth = 0) {
  if (v == null || depth > 8) return 0;
  if (typeof v === 'string') return encoder.encode(v).length;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return depth > 0 ? 4 : 0;
  if (ArrayBuffer.isView(v)) return v.buffer === heap ? 0 : v.byteLength;
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (Array.isArray(v)) return v.reduce((s, x) => s + bytesOf(x, heap, depth + 1), 0);
  if (typeof v === 'object' && typeof v.isAliasOf === 'function') return 0;  // a class handle
  if (typeof v === 'object') return Object.values(v).reduce((s, x) => s + bytesOf(x, heap, depth + 1), 0);
  return 0;
}

let active = null;

function instrument(m) {
  if (m.__crossingsInstalled) return;
  m.__crossingsInstalled = true;
  const wrap = (label, fn) => {
    const counted = function () {
      const outer = active && !active.depth;
      if (active) active.depth++;
      let result;
      try {
        result = fn.apply(this, arguments);  // eslint-disable-line prefer-rest-params
      } finally {
        if (active) active.depth--;
      }
      if (active && outer) {  // a core call made while another is running is not a new crossing
        const heap = m.HEAPU8.buffer;
        let b = 0;
        for (const a of arguments) b += bytesOf(a, heap);  // eslint-disable-line prefer-rest-params
        const out = bytesOf(result, heap);
        active.calls++;
        active.bytesIn += b;
        active.bytesOut += out;
        const e = (active.byName[label] ??= { calls: 0, bytes: 0 });
        e.calls++;
        e.bytes += b + out;
      }
      return result;
    };
    Object.defineProperty(counted, 'name', { value: fn.name });
    if (fn.unchecked) counted.unchecked = fn.unchecked;
    return counted;
  };
  const isClass = (v) => typeof v === 'function' && v.prototype && typeof v.prototype.isAliasOf === 'function';
  for (const key of Object.keys(m)) {
    const cls = m[key];
    if (!isClass(cls)) continue;
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      if (HANDLE_METHODS.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(cls.prototype, name);
      if (typeof d.value === 'function') cls.prototype[name] = wrap(`${key}.${name}`, d.value);
    }
    for (const name of Object.getOwnPropertyNames(cls)) {
      if (['prototype', 'length', 'name', 'arguments', 'caller'].includes(name)) continue;
      const d = Object.getOwnPropertyDescriptor(cls, name);
      if (typeof d.value === 'function' && d.writable) cls[name] = wrap(`${key}.${name}`, d.value);
    }
  }
  for (const name of Object.keys(m)) {
    const fn = m[name];
    // The wrapped free functions are the ones core.js checks (they carry .unchecked).
    if (typeof fn === 'function' && !isClass(fn) && fn.unchecked) m[name] = wrap(name, fn);
  }
}

/**
 * Runs `work` and returns { result, calls, bytesIn, bytesOut, bytes, byName } for the core calls
 * it made. Calls from other code running at the same time are counted too: measure one thing.
 */
export async function countCrossings(work) {
  instrument(getCore());
  if (active) throw new Error('countCrossings() does not nest');
  active = { calls: 0, bytesIn: 0, bytesOut: 0, byName: {}, depth: 0 };
  try {
    const result = await work();
    const { calls, bytesIn, bytesOut, byName } = active;
    return { result, calls, bytesIn, bytesOut, bytes: bytesIn + bytesOut, byName };
  } finally {
    active = null;
  }
}
