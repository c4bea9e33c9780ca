// Where the browser graph meets Node. The package's browser modules never import Node code:
// Node-only functions (files, onnxruntime-node, worker_threads) live in ./platform-node.js, which
// registers itself here. Node reaches it through the package's "node" export condition
// (web/index.node.js imports it first); bundlers building for browsers never see it.

export const isNode = typeof process !== 'undefined' && !!process.versions?.node &&
  typeof window === 'undefined' && typeof self === 'undefined';

let node = null;

/** @internal Called once by platform-node.js. */
export function registerNodePlatform(p) {
  node = p;
}

/**
 * The Node platform functions. Node code that imports web/index.js by path (not the package
 * name, so without the "node" condition) gets them loaded here on first use; the specifier is a
 * variable and marked ignored so that no bundler follows it into the browser graph.
 */
export async function nodePlatform() {
  if (node) return node;
  if (!isNode) throw new Error('localrec: this needs Node (it reads files or runs onnxruntime-node)');
  const file = './platform-node.js';
  await import(/* webpackIgnore: true */ /* @vite-ignore */ file);
  return node;
}
