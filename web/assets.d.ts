// Types of web/assets.js: the runtime files localrec loads, as URLs a bundler rewrote.

/** The wasm core (localrec_core.wasm). */
export function coreWasmUrl(): URL;
/** The Chinese dictionary (localrec-zh.dict.gz), loaded by loadChinese(). */
export function zhDictionaryUrl(): URL;
/** The embedded default model's files: file name -> URL. */
export function defaultModelFiles(): Record<'manifest.json' | 'model.onnx' | 'vocab.json', URL>;
/** Starts web/worker.js as a module Worker (what createWorker() uses). */
export function startWorker(): Worker;
