// Node-only functions of the package (see platform.js). Never imported by a module of the
// browser graph: web/index.node.js (the "node" export condition) and web/cli.js import it.

import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';
import { registerNodePlatform } from './platform.js';

registerNodePlatform({
  /** Bytes of a file: URL, or null when it does not exist. */
  async readFile(url) {
    try {
      return new Uint8Array(await readFile(url));
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw e;
    }
  },
  /** A folder as a file: URL ending in '/'; relative paths are relative to the working directory. */
  folderUrl(dir) {
    // pathToFileURL percent-encodes what a URL would misread ('#', '%', spaces).
    return dir instanceof URL ? new URL(dir.href.replace(/\/?$/, '/')) : pathToFileURL(resolve(dir) + sep);
  },
  /** A model bundle shipped in the package, by folder name (Node reads the whole folder). */
  bundledModelUrl(name) {
    return new URL(`../models/${name}/`, import.meta.url);
  },
  loadNodeOrt: () => import('onnxruntime-node'),
  /** A worker_threads Worker running web/worker.js (or `url`). */
  spawnWorker: (url) => new Worker(url ?? new URL('../worker.js', import.meta.url)),
  /** The worker side's port (null on the main thread). */
  parentPort,
});
