// Every file localrec loads at run time, each named by a static `new URL("<literal path>", import.meta.url)`.
// That exact form is what Vite and webpack 5 recognise: they emit the file into the app's output and
// rewrite the URL, so the app serves it from its own origin with no configuration. esbuild does not
// emit such files; `npx localrec copy-assets <outdir>` copies them to the same relative paths
// (docs/bundlers.md).
//
// To add a file (e.g. a dictionary), add one line of the same form below: a string literal path
// relative to this file (inside web/, so the path never climbs above it), no template string, no
// variable; then list it in scripts/assets.mjs's check if it must be in the tarball. Functions, not
// constants, so that a page that never calls them carries no URL it does not use.

/** The wasm core. */
export const coreWasmUrl = () => new URL('./dist/localrec_core.wasm', import.meta.url);

/** The Chinese dictionary of the word analyser (fetched only when Han text shows up; docs/chinese.md). */
export const zhDictionaryUrl = () => new URL('./dist/localrec-zh.dict.gz', import.meta.url);

/** The embedded default model (Universal Sentence Encoder Lite, int8): file name -> URL. */
export const defaultModelFiles = () => ({
  'manifest.json': new URL('./models/use-lite/manifest.json', import.meta.url),
  'model.onnx': new URL('./models/use-lite/model.onnx', import.meta.url),
  'vocab.json': new URL('./models/use-lite/vocab.json', import.meta.url),
});

/**
 * The worker that `createWorker()` starts (web/worker.js). Written inline in exactly this form,
 * which Vite and webpack 5 recognise: they bundle the worker with its own imports as a separate
 * chunk. esbuild users add web/worker.js as a second entry point (docs/bundlers.md).
 */
export const startWorker = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
