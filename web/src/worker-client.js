// The page's side of the worker protocol (see web/worker.js). `createWorker()` returns an object
// with the package's functions as async calls that run in the worker; objects they return
// (Model, InterestProfile, Catalog) stay in the worker and are used through remote handles whose
// methods are all async.

import { startWorker } from '../assets.js';
import { isNode, nodePlatform } from './platform.js';

class RemoteError extends Error {
  constructor({ name, message, code }) {
    super(message);
    this.name = name;
    if (code !== undefined) this.code = code;
  }
}

/**
 * Starts localrec in a worker and resolves once the worker's modules have loaded (rejects with
 * the reason when they did not).
 * @param {{ url?: string | URL, worker?: Worker }} [options]  `url` of web/worker.js (default: the
 *   package's, which bundlers bundle), or an already created module Worker.
 */
export async function createWorker(options = {}) {
  const url = options.url;
  const where = url ? String(url) : isNode ? 'web/worker.js' : 'localrec/worker (web/worker.js, as your bundler emitted it)';
  let worker = options.worker;
  let failure = null;
  let ready;
  const readyPromise = new Promise((resolve, reject) => { ready = { resolve, reject }; });
  let send;
  const pending = new Map();
  let nextId = 1;
  const callbacks = new Map();
  let nextCallback = 1;
  const onReply = (msg) => {
    // Any message proves the worker's modules loaded: a worker created before this call (the
    // `worker` option) may have sent its { ready } before anyone listened, so it is also pinged.
    ready.resolve();
    if (msg.ready) return;
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
    failure = err;
    ready.reject(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  if (!worker && isNode) {
    worker = (await nodePlatform()).spawnWorker(url);
  } else if (!worker) {
    worker = url ? new Worker(url, { type: 'module' }) : startWorker();
  }
  if (typeof worker.on === 'function') {  // node:worker_threads
    worker.on('message', onReply);
    worker.on('error', (e) => onFailure(Object.assign(new Error(`localrec worker ${where} failed: ${e?.message ?? e}`, { cause: e }), { code: 'WorkerFailed' })));
  } else {
    worker.onmessage = (event) => onReply(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      // A script that fails to load gives an error event without a message.
      const reason = event.message || 'its script did not load (missing, served as HTML, or a module it ' +
        'imports failed; the network panel names the request)';
      onFailure(Object.assign(new Error(`localrec worker ${where} failed: ${reason}`), { code: 'WorkerFailed' }));
    };
    worker.onmessageerror = () => onFailure(Object.assign(new Error(`localrec worker ${where}: a reply could not be read`), { code: 'WorkerFailed' }));
  }
  if (options.worker) worker.postMessage({ id: 0, op: 'ping' });  // its reply (id 0) only resolves `ready`
  send = (msg, used = []) => new Promise((resolve, reject) => {
    if (failure) {
      reject(failure);
      return;
    }
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

  function remote({ $handle, className, props }) {
    const state = { props: { ...props } };
    const methods = new Map();
    return new Proxy({}, {
      get(_, key) {
        if (key === REMOTE) return $handle;
        if (key === 'className') return className;
        if (key === 'then') return undefined;  // not a thenable
        if (typeof key !== 'string') return undefined;
        if (Object.hasOwn(state.props, key)) return state.props[key];
        if (key === 'dispose') return () => send({ op: 'release', target: $handle }).then(() => undefined);
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
  }

  try {
    await readyPromise;
  } catch (e) {
    worker.terminate();
    throw e;
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
    /** Stops the worker; pending calls fail. */
    terminate() {
      onFailure(Object.assign(new Error('localrec worker terminated'), { code: 'Terminated' }));
      return worker.terminate();
    },
  };
}

const REMOTE = Symbol('localrec.remoteHandle');
