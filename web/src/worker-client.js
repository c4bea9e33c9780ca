// The page's side of the worker protocol (see web/worker.js). `createWorker()` returns an object
// with the package's functions as async calls that run in the worker; objects they return
// (Model, InterestProfile, Catalog) stay in the worker and are used through remote handles whose
// methods are all async.

const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof window === 'undefined' && typeof self === 'undefined';

class RemoteError extends Error {
  constructor({ name, message, code }) {
    super(message);
    this.name = name;
    if (code !== undefined) this.code = code;
  }
}

/**
 * Starts localrec in a worker.
 * @param {{ url?: string | URL, worker?: Worker }} [options]  `url` of web/worker.js (default: next
 *   to this package), or an already created module Worker.
 */
export async function createWorker(options = {}) {
  const url = options.url ?? new URL('../worker.js', import.meta.url);
  let worker = options.worker;
  let send;
  const pending = new Map();
  let nextId = 1;
  const callbacks = new Map();
  let nextCallback = 1;
  const onReply = (msg) => {
    if (msg.callback !== undefined) {
      callbacks.get(msg.callback)?.(msg.data);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg);
    else p.reject(new RemoteError(msg.error));
  };
  const onFailure = (err) => {
    const e = err instanceof Error ? err : new Error(`localrec worker failed: ${err?.message ?? err}`);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  if (!worker && isNode) {
    const { Worker } = await import('node:worker_threads');
    worker = new Worker(url);
  } else if (!worker) {
    worker = new Worker(url, { type: 'module' });
  }
  if (typeof worker.on === 'function') {  // node:worker_threads
    worker.on('message', onReply);
    worker.on('error', onFailure);
  } else {
    worker.onmessage = (event) => onReply(event.data);
    worker.onerror = (event) => { event.preventDefault?.(); onFailure(new Error(`localrec worker failed: ${event.message}`)); };
  }
  send = (msg, used = []) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...msg });
  }).finally(() => { for (const c of used) callbacks.delete(c); });

  // Function arguments (progress callbacks) stay here; the worker gets a marker and posts events
  // back while the call runs.
  const toWire = (v, used) => {
    if (Array.isArray(v)) return v.map((x) => toWire(x, used));
    if (typeof v === 'function') {
      const callback = nextCallback++;
      callbacks.set(callback, v);
      used.push(callback);
      return { $callback: callback };
    }
    if (v && v[REMOTE]) return { $handle: v[REMOTE] };
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x, used)]));
    }
    return v;
  };
  const request = (msg, args) => {
    const used = [];
    return send({ ...msg, args: toWire(args, used) }, used);
  };
  const wrap = (value) => (value && typeof value === 'object' && typeof value.$handle === 'number' ? remote(value) : value);

  // A handle the page drops without dispose() is released in the worker when the collector
  // reclaims it, so the worker's object (and its wasm memory) does not live for ever.
  const dropped = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((target) => worker.postMessage({ id: 0, op: 'release', target }))
    : null;

  function remote({ $handle, className, props }) {
    const state = { props: { ...props } };
    const methods = new Map();
    const token = {};  // unregisters on dispose(); must not be the proxy (that would keep it alive)
    const proxy = new Proxy({}, {
      get(_, key) {
        if (key === REMOTE) return $handle;
        if (key === 'className') return className;
        if (key === 'then') return undefined;  // not a thenable
        if (typeof key !== 'string') return undefined;
        if (Object.hasOwn(state.props, key)) return state.props[key];
        if (key === 'dispose') {
          return () => {
            dropped?.unregister(token);
            return send({ op: 'release', target: $handle }).then(() => undefined);
          };
        }
        if (!methods.has(key)) {
          methods.set(key, async (...args) => {
            const reply = await request({ op: 'call', target: $handle, method: key }, args);
            if (reply.props) state.props = reply.props;  // e.g. a profile's size after addPosts
            return wrap(reply.value);
          });
        }
        return methods.get(key);
      },
    });
    dropped?.register(proxy, $handle, token);
    return proxy;
  }

  const call = async (method, ...args) => wrap((await request({ op: 'call', target: 0, method }, args)).value);
  return {
    /** Calls an exported function of localrec in the worker, e.g. call('loadModel', {...}). */
    call,
    /** Constructs an exported class in the worker, e.g. construct('InterestProfile', model, opts). */
    construct: async (className, ...args) => wrap((await request({ op: 'construct', className }, args)).value),
    /** Calls a static method, e.g. callStatic('Catalog', 'fromBytes', bytes). */
    callStatic: async (className, method, ...args) => wrap((await request({ op: 'static', className, method }, args)).value),
    init: (options) => call('init', options).then(() => undefined),
    loadModel: (options) => call('loadModel', options),
    version: () => call('version'),
    /** @internal How many objects the worker holds for this page (tests of handle release). */
    handleCount: async () => (await send({ op: 'handles' })).value,
    /** Stops the worker; pending calls fail. */
    terminate() {
      onFailure(new Error('localrec worker terminated'));
      return worker.terminate();
    },
  };
}

const REMOTE = Symbol('localrec.remoteHandle');
