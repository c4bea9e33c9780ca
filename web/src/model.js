// Sentence encoders: a model bundle's tokenizer (wasm core) + ONNX Runtime session + pooling
// (wasm core). `loadModel()` with no argument loads the embedded default and needs no network.

import { init, getCore } from './core.js';
import { defaultModelFiles } from '../assets.js';
import { dirSource, filesSource, mappedUrlSource, ModelLoadError, readBundle, urlSource, validateManifest } from './bundle.js';
import { isNode, nodePlatform } from './platform.js';
import { selectRuntime } from './runtime.js';
import { Tokenizer, tokenizerHandle } from './tokenizer.js';
import { codedError } from './errors.js';
import { measurePhase } from './timing.js';

// The default is Universal Sentence Encoder Lite. The BERTs distilled from it ship by name
// (docs/distill.md): 'use-lite-bert-2x128' (English) and 'use-lite-bert-zh-2x128' (English +
// Chinese, which misses one of the bars for the default: unrelated Chinese package descriptions
// sit at cosine 0.667 against a bar of 0.5). Their manifests carry their calibration.
// Its files are named one by one in web/assets.js, so bundlers emit them (keep the two in step).
export const DEFAULT_MODEL = 'use-lite';
/** embed()'s batching unless told otherwise: texts per model batch, and tokens (padded) per batch. */
const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_MAX_BATCH_TOKENS = 16384;

/**
 * @internal The key of a model's method that embeds an InterestProfile's batch of posts inside
 * the core (`model[encodeInCore](batch)`): Model and PendingModel have it; a model that has only
 * embed() (any object with dims, fingerprint and embed) is given the batch's texts instead
 * (web/src/profile.js, docs/profile.md).
 */
export const encodeInCore = Symbol('localrec.encodeInCore');

/** The profile thresholds of a model whose manifest has no calibration (use-lite's own scale). */
const DEFAULT_CALIBRATION = Object.freeze({ joinThreshold: 0.4, mergeThreshold: 0.8 });

async function resolveSource(options) {
  const given = ['url', 'files', 'dir'].filter((k) => options[k] !== undefined);
  if (given.length > 1) throw codedError(TypeError, `localrec: pass only one of url, files, dir (got ${given.join(', ')})`);
  if (options.files !== undefined) return filesSource(options.files);
  if (options.dir !== undefined) return dirSource(options.dir);
  if (options.url !== undefined) return urlSource(options.url, options);
  const name = options.name ?? DEFAULT_MODEL;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
    throw codedError(TypeError, `localrec: invalid model name ${JSON.stringify(name)}`);
  }
  if (name === DEFAULT_MODEL) return mappedUrlSource(defaultModelFiles(), `the embedded model ${name}`, options);
  // Other models the package ships are whole folders: Node reads them from the package; a browser
  // app serves the folder itself (a bundler cannot know which of them the app wants).
  if (isNode) return dirSource((await nodePlatform()).bundledModelUrl(name));
  throw new ModelLoadError(`only the default model (${DEFAULT_MODEL}) is embedded in the browser build; serve ` +
    `node_modules/localrec/web/models/${name}/ with your site and load it with { url }`, { code: 'NotFound' });
}

function checkTexts(texts) {
  if (!Array.isArray(texts)) throw codedError(TypeError, 'localrec: embed() takes an array of strings');
  if (texts.length === 0) throw codedError(RangeError, 'localrec: embed() needs at least one text (got an empty array)');
  for (let i = 0; i < texts.length; ++i) {
    const t = texts[i];
    if (typeof t !== 'string') {
      throw codedError(TypeError, `localrec: text ${i} is ${t === null ? 'null' : typeof t}, not a string`);
    }
    if (!t.isWellFormed()) throw codedError(TypeError, `localrec: text ${i} contains a lone UTF-16 surrogate (not valid Unicode)`, 'InvalidUtf8');
  }
}

/** A loaded sentence encoder. Create with `loadModel()`. */
export class Model {
  #session;
  #tokenizer;
  #ort;
  #manifest;
  #queue = Promise.resolve();
  #disposed = false;

  /** @internal */
  constructor({ session, tokenizer, ort, manifest, fingerprint, backend }) {
    this.#session = session;
    this.#tokenizer = tokenizer;
    this.#ort = ort;
    this.#manifest = manifest;
    this.name = manifest.name;
    this.dims = manifest.dims;
    this.maxLength = Math.min(manifest.maxLength, tokenizer.maxLength || manifest.maxLength);
    this.fingerprint = fingerprint;
    this.backend = backend;
    Object.freeze(this.#manifest);
  }

  /** The bundle's manifest (read-only). */
  get manifest() { return this.#manifest; }

  /**
   * The profile's similarity thresholds on this model's cosine scale: the manifest's
   * `calibration` (measured when the bundle was made, models/distill/calibrate.mjs), else the
   * defaults chosen on use-lite (docs/models.md, "Calibration").
   */
  get calibration() { return calibrationOf(this.#manifest); }

  /** The model's tokenizer (owned by the model; do not dispose it). */
  get tokenizer() { this.#check(); return this.#tokenizer; }

  #check() {
    if (this.#disposed) throw codedError(Error, 'localrec: this model has been disposed', 'Disposed');
  }

  /**
   * Embeds texts into L2-normalised vectors, in input order. Texts are batched by token length
   * (deterministically), padded per batch, and cut at `model.maxLength` tokens; the indices of cut
   * texts are in the result's `truncated` property.
   * @param {string[]} texts
   * @param {{ batchSize?: number, maxBatchTokens?: number }} [options]
   */
  async embed(texts, options = {}) {
    this.#check();
    checkTexts(texts);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxBatchTokens = options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw codedError(RangeError, 'localrec: batchSize must be a positive integer');
    if (!Number.isInteger(maxBatchTokens) || maxBatchTokens < 1) throw codedError(RangeError, 'localrec: maxBatchTokens must be a positive integer');
    // One ONNX Runtime session runs one batch at a time: queue calls instead of interleaving them.
    const run = this.#queue.then(() => this.#embed(texts, batchSize, maxBatchTokens));
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * @internal How an InterestProfile embeds a batch of posts (web/src/profile.js): tokenises the
   * core's IngestBatch with this model's tokenizer, with embed()'s default batching, and runs its
   * model batches through ONNX Runtime. The texts are already in wasm and the pooled vectors stay
   * there: nothing but the tensors crosses.
   */
  [encodeInCore](batch) {
    this.#check();
    const run = this.#queue.then(() => {
      this.#check();
      return this.#runPlan(batch, batch.tokenize(tokenizerHandle(this.#tokenizer), this.maxLength,
        DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_TOKENS));
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  // Hands each of a plan's batches (an EncodePlan or an IngestBatch) to ONNX Runtime and the
  // output back to the plan, which pools it.
  async #runPlan(plan, batchCount) {
    const m = this.#manifest;
    const feedsTypeIds = m.inputs.includes('token_type_ids');
    for (let b = 0; b < batchCount; ++b) {
      const x = plan.inputs(b);
      const shape = [x.batchSize, x.sequenceLength];
      const feeds = {
        input_ids: new this.#ort.Tensor('int64', x.inputIds, shape),
        attention_mask: new this.#ort.Tensor('int64', x.attentionMask, shape),
      };
      if (feedsTypeIds) feeds.token_type_ids = new this.#ort.Tensor('int64', x.tokenTypeIds, shape);
      const outputs = await this.#session.run(feeds, [m.output]);
      const out = outputs[m.output];
      try {
        const dims = out.dims[out.dims.length - 1];
        if (dims !== this.dims) {
          throw new ModelLoadError(`model output ${m.output} has ${dims} dims, the manifest says ${this.dims}`);
        }
        plan.consume(b, out.data, x.sequenceLength, dims, m.pooling, m.normalize !== false);
      } finally {
        out.dispose?.();
      }
    }
  }

  async #embed(texts, batchSize, maxBatchTokens) {
    this.#check();
    const plan = getCore().EncodePlan.create(tokenizerHandle(this.#tokenizer), texts, this.maxLength, batchSize, maxBatchTokens);
    try {
      await this.#runPlan(plan, plan.batchCount());
      const flat = plan.embeddings();
      const vectors = new Array(texts.length);
      for (let i = 0; i < texts.length; ++i) vectors[i] = flat.subarray(i * this.dims, (i + 1) * this.dims);
      const truncated = [];
      const cut = plan.truncated();
      for (let i = 0; i < cut.length; ++i) if (cut[i]) truncated.push(i);
      Object.defineProperty(vectors, 'truncated', { value: truncated, enumerable: false });
      Object.defineProperty(vectors, 'tokenCounts', { value: plan.tokenCounts(), enumerable: false });
      // Per text, the share of its tokens the vocabulary has no piece for ([UNK]): near 1 means
      // the model could not read the text (e.g. Chinese given to use-lite) and its vector is noise.
      Object.defineProperty(vectors, 'unknownShares', { value: plan.unknownShares(), enumerable: false });
      return vectors;
    } finally {
      plan.delete();
    }
  }

  /** Releases the ONNX Runtime session and the tokenizer. Safe to call twice. */
  async dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#queue;
    this.#tokenizer.dispose();
    await this.#session.release?.();
  }

  [Symbol.dispose]() { this.dispose(); }
}

/**
 * Loads a sentence encoder.
 *   loadModel()                         the embedded default (no network)
 *   loadModel({ name: 'use-lite-bert-2x128' }) another bundled model (the distilled BERTs;
 *                                       'use-lite-bert-zh-2x128' reads Chinese too)
 *   loadModel({ url })                  a bundle or Hugging Face folder over HTTP (Cache API)
 *   loadModel({ files })                a bundle from bytes: { 'manifest.json': ..., ... }
 *   loadModel({ dir })                  a folder on disk (Node)
 * Runtime options: backend ('auto' | 'web' | 'node'), numThreads, wasmPaths, ort.
 */
export async function loadModel(options = {}) {
  if (options === null || typeof options !== 'object') throw codedError(TypeError, 'localrec: loadModel options must be an object');
  return loadFrom(await resolveSource(options), options);
}

async function loadFrom(source, options) {
  let t = performance.now();
  // The core, ONNX Runtime's module and the bundle's files load at the same time.
  const runtimePromise = selectRuntime(options);
  runtimePromise.catch(() => {});  // awaited below; must not go unhandled when the files fail first
  const [, { manifest, modelBytes, tokenizerBytes, fingerprint }] = await Promise.all([
    init(options.init), readBundle(source, options),
  ]);
  t = measurePhase('model-files', t, { bytes: modelBytes.byteLength + tokenizerBytes.byteLength });
  const runtime = await runtimePromise;
  t = measurePhase('ort-import', t);
  // The session first: its first creation fetches and compiles ONNX Runtime's own .wasm, which
  // happens off this thread while the tokenizer is built here.
  const sessionStarted = t;
  const sessionPromise = runtime.ort.InferenceSession.create(modelBytes, runtime.sessionOptions);
  let tokenizer;
  let session;
  try {
    tokenizer = Tokenizer.fromBytes(tokenizerBytes, {
      kind: manifest.tokenizer.kind, format: manifest.tokenizer.format, ...manifest.tokenizer.options,
    });
    measurePhase('tokenizer', t);
    if (manifest.vocabSize !== undefined && manifest.vocabSize !== tokenizer.vocabSize) {
      throw new ModelLoadError(`the tokenizer has ${tokenizer.vocabSize} tokens but the model's ` +
        `manifest/config says ${manifest.vocabSize}: tokenizer and model do not belong together`);
    }
    try {
      session = await sessionPromise;
      t = measurePhase('ort-session', sessionStarted);
    } catch (e) {
      throw new ModelLoadError(`${manifest.model.file} is not a model ONNX Runtime can load: ${e.message}`, { cause: e });
    }
    const missing = manifest.inputs.filter((n) => !session.inputNames.includes(n));
    const unfed = session.inputNames.filter((n) => !manifest.inputs.includes(n));
    if (missing.length && manifest.inputs.includes('token_type_ids') && missing.join() === 'token_type_ids') {
      manifest.inputs = manifest.inputs.filter((n) => n !== 'token_type_ids');  // e.g. DistilBERT-style exports
    } else if (missing.length || unfed.length) {
      throw new ModelLoadError(`the model's inputs (${session.inputNames.join(', ')}) do not match the bundle's ` +
        `(${manifest.inputs.join(', ')})`);
    }
    if (!session.outputNames.includes(manifest.output)) {
      throw new ModelLoadError(`the model has no output '${manifest.output}' (it has ${session.outputNames.join(', ')})`);
    }
    await probe(runtime.ort, session, manifest, tokenizer);
    measurePhase('model-probe', t);
    return new Model({ session, tokenizer, ort: runtime.ort, manifest, fingerprint, backend: runtime.backend });
  } catch (e) {
    tokenizer?.dispose();
    session ??= await sessionPromise.catch(() => null);  // started before the tokenizer failed
    await session?.release?.();
    throw e;
  }
}

// One tiny inference at load time: proves the tokenizer's largest id fits the model's embedding
// table and that the output has the manifest's shape, so a mismatched bundle fails at load time
// with a clear message instead of producing garbage later.
async function probe(ort, session, manifest, tokenizer) {
  const ids = new BigInt64Array([BigInt(tokenizer.vocabSize - 1), 0n]);
  const ones = new BigInt64Array([1n, 1n]);
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [1, 2]),
    attention_mask: new ort.Tensor('int64', ones, [1, 2]),
  };
  if (manifest.inputs.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(2), [1, 2]);
  let out;
  try {
    out = (await session.run(feeds, [manifest.output]))[manifest.output];
  } catch (e) {
    throw new ModelLoadError(`the model rejects token id ${tokenizer.vocabSize - 1}, so the tokenizer ` +
      `(${tokenizer.vocabSize} tokens) and the model do not belong together: ${e.message}`, { cause: e });
  }
  const want = manifest.pooling === 'none' ? [1, manifest.dims] : [1, 2, manifest.dims];
  const ok = out.dims.length === want.length && out.dims.every((d, i) => d === want[i]);
  out.dispose?.();
  if (!ok) {
    throw new ModelLoadError(`the model's output '${manifest.output}' has shape [${out.dims}] but the ` +
      `manifest (pooling ${manifest.pooling}, dims ${manifest.dims}) implies [${want}]`);
  }
}

function calibrationOf(manifest) {
  const c = manifest.calibration;
  return Object.freeze({
    joinThreshold: c?.joinThreshold ?? DEFAULT_CALIBRATION.joinThreshold,
    mergeThreshold: c?.mergeThreshold ?? DEFAULT_CALIBRATION.mergeThreshold,
    measured: c !== undefined,
  });
}

/**
 * A model that is still loading, usable at once where only its identity matters: its `name`,
 * `dims` and `fingerprint` come from the bundle's manifest, so `InterestProfile.fromBytes(pending,
 * bytes)` restores a stored profile and `profile.rank(catalog)` ranks with it before the encoder
 * is ready (ranking needs no encoder). `embed()` waits for the model; `whenReady()` resolves to
 * the loaded Model, or rejects with the load's error. The load verifies the model file against
 * the manifest's sha256 as `loadModel()` does, so the fingerprint given early is the one checked.
 * Create with `openModel()`.
 */
export class PendingModel {
  #load;
  #ready = null;
  #model = null;

  /** @internal `load` starts the load and returns its promise (called at most once). */
  #calibration;

  constructor({ name, dims, fingerprint, calibration }, load) {
    this.name = name;
    this.dims = dims;
    this.fingerprint = fingerprint;
    this.#calibration = calibration;
    this.#load = load;
  }

  /** The profile thresholds on this model's cosine scale, from its manifest (as Model.calibration). */
  get calibration() { return this.#calibration; }

  #started() {
    if (!this.#ready) {
      this.#ready = this.#load().then((model) => {
        if (model.fingerprint !== this.fingerprint || model.dims !== this.dims) {  // readBundle checks it; kept as a guard
          throw new ModelLoadError(`the loaded model (${model.fingerprint}, ${model.dims} dims) is not the one its manifest announced`);
        }
        this.#model = model;
        return model;
      });
      this.#ready.catch(() => {});  // reported by whenReady() and embed()
    }
    return this.#ready;
  }

  /** @internal Starts loading now (openModel does unless `defer`). */
  start() { this.#started(); }

  /** True once the encoder is loaded. */
  get loaded() { return this.#model !== null; }

  /** Resolves to the loaded Model (rejects when loading failed); starts a deferred load. */
  whenReady() { return this.#started(); }

  /** Model.embed(), once the model is loaded; starts a deferred load. */
  async embed(texts, options) { return (await this.#started()).embed(texts, options); }

  /** @internal Model[encodeInCore], once the model is loaded. */
  async [encodeInCore](batch) { return (await this.#started())[encodeInCore](batch); }

  /** Disposes the model once loaded (a load not started never starts). */
  async dispose() {
    const ready = this.#ready;
    this.#ready = Promise.reject(codedError(Error, 'localrec: this model has been disposed', 'Disposed'));
    this.#ready.catch(() => {});
    await (await ready?.catch(() => null))?.dispose();
  }

  [Symbol.dispose]() { this.dispose(); }
}

/**
 * Starts loading a model like `loadModel(options)` and resolves as soon as its manifest is read,
 * to a `PendingModel`. With `defer: true` the load itself waits for the first `embed()` or
 * `whenReady()`, so work that needs no encoder (restoring a profile, ranking) runs first. A bundle
 * without a manifest (a Hugging Face folder) has no fingerprint before its weights are hashed:
 * then it resolves once the model is loaded.
 * @param {object} [options]  loadModel's options, and `defer`
 */
export async function openModel(options = {}) {
  if (options === null || typeof options !== 'object') throw codedError(TypeError, 'localrec: openModel options must be an object');
  const { defer = false, ...loadOptions } = options;
  const source = await resolveSource(loadOptions);
  const manifestBytes = await source.read('manifest.json');
  let early = null;
  if (manifestBytes) {
    try {
      early = validateManifest(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes)), source.describe);
    } catch { /* loadFrom() reports what is wrong with it */ }
  }
  // The manifest is read once: the load gets the same bytes.
  const once = { ...source, read: (path, ...rest) => (path === 'manifest.json' ? Promise.resolve(manifestBytes) : source.read(path, ...rest)) };
  const load = () => loadFrom(once, loadOptions);
  const fingerprint = early?.model.sha256;
  if (!early || typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint)) {
    const model = await load();
    const pending = new PendingModel(model, () => Promise.resolve(model));
    pending.start();
    return pending;
  }
  const pending = new PendingModel({ name: early.name, dims: early.dims, fingerprint, calibration: calibrationOf(early) }, load);
  if (!defer) pending.start();
  return pending;
}
