// Counts JS -> wasm crossings: every call into the core's Embind functions and methods (the same
// set web/src/core.js wraps with the error channel), with the bytes of the data that crosses.
// A test or benchmark measures a piece of work with `await countCrossings(async () => ...)`.
//
// Bytes are what Embind copies for the call's arguments and result: UTF-8 strings, typed arrays
// (their byteLength; a typed array that is a view of wasm memory is not a copy and counts 0),
// and arrays and plain objects (Embind `val`s and value objects) by their contents, numbers
// inside them as 4 bytes. Scalar numbers and booleans pass in registers and count 0, as do class
// handles. It is an estimate of the copies, the same for the code before and after a change.

import { forEachCoreFunction, getCore } from '../web/src/core.js';

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
  forEachCoreFunction(m, (owner, name, fn, label) => { owner[name] = wrap(label, fn); });
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
