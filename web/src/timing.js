// Where the start-up time goes: every load phase of the package (core wasm, model files, ONNX
// Runtime import and session, catalogue copy and validation, profile restore, IndexedDB) leaves
// a `performance.measure` entry named `localrec:<phase>` in the realm that ran it (page, worker
// or Node), visible in the browser's performance panel. `loadTimings()` returns them with that
// realm's time origin, so a page can place a worker's phases on its own clock (bench/demo.mjs).
// Only load phases are recorded, never per-query work, so the entry buffer stays small.

const perf = globalThis.performance;

/** Records the phase `name` from `start` (a performance.now() value) to now; returns now. */
export function measurePhase(name, start, detail) {
  const end = perf.now();
  try {
    perf.measure(`localrec:${name}`, detail === undefined ? { start, end } : { start, end, detail });
  } catch { /* a realm without User Timing level 3: timings are optional */ }
  return end;
}

/** Runs `fn` (sync or async) and records its duration as the phase `name`. */
export function timed(name, fn) {
  const start = perf.now();
  const result = fn();
  if (result && typeof result.then === 'function') {
    return result.then((v) => { measurePhase(name, start); return v; });
  }
  measurePhase(name, start);
  return result;
}

/**
 * The load phases recorded in this realm so far: `{ timeOrigin, entries: [{ name, start,
 * duration, detail? }] }` with times in ms from `timeOrigin`. Also lists the network fetches of
 * `.wasm`, `.onnx`, `.lrc` and model files (Resource Timing), so a phase that includes a fetch
 * can be split into fetch and the rest.
 */
export function loadTimings() {
  const entries = perf.getEntriesByType('measure')
    .filter((e) => e.name.startsWith('localrec:'))
    .map((e) => ({ name: e.name.slice('localrec:'.length), start: e.startTime, duration: e.duration,
      ...(e.detail !== null && e.detail !== undefined ? { detail: e.detail } : {}) }));
  const fetches = (perf.getEntriesByType?.('resource') ?? [])
    .filter((e) => /\.(wasm|onnx|lrc|json|txt)(\?|$)/.test(e.name))
    .map((e) => ({ name: `fetch ${e.name.replace(/^.*\//, '')}`, start: e.startTime, duration: e.duration,
      detail: { transferSize: e.transferSize, bodySize: e.decodedBodySize } }));
  return { timeOrigin: perf.timeOrigin, entries: [...entries, ...fetches].sort((a, b) => a.start - b.start) };
}
