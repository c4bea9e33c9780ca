// The package's entry point in Node (the "node" export condition): the same API as index.js, with
// the Node-only functions (files, onnxruntime-node, worker_threads) registered first.
import './src/platform-node.js';

export * from './index.js';
