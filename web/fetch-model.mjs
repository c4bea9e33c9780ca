#!/usr/bin/env node
// Downloads a real Hugging Face sentence encoder (ONNX, transformers.js layout) at a pinned
// revision, verifies every file, and writes a localrec manifest.json beside the files, so that
// loadModel({ dir }) or a static web server can use the folder. See docs/models.md.
//
//   node web/fetch-model.mjs all-MiniLM-L6-v2 [--dest .cache/models] [--strict] [--base-url URL]
//   node web/fetch-model.mjs --list
//
// Guarantees:
// - Resume: bytes already on disk are kept (`<file>.part` in a hidden staging folder) and the
//   rest is asked for with an HTTP Range request, across retries and across runs.
// - Verification: the sha256 (and size, when known) of every file is checked against
//   web/model-registry.json. A file or revision the registry does not pin is reported as
//   "unpinned", loudly, with the sha256 that was computed; `strict` refuses them.
// - Nothing cached half-way: the model folder appears only complete, by renaming the staging
//   folder once every file is verified and the manifest is written. A corrupt download is
//   deleted, never kept.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REGISTRY_FILE = path.join(HERE, 'model-registry.json');
export const DEFAULT_BASE_URL = 'https://huggingface.co';
export const DEFAULT_DEST = path.join(HERE, '..', '.cache', 'models');
const COMMIT = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export class FetchError extends Error {
  constructor(message, { code = 'fetch_failed', cause } = {}) {
    super(message, { cause });
    this.name = 'FetchError';
    this.code = code;
  }
}

/** The registry's entries: { name: entry }. */
export function registry(file = REGISTRY_FILE) {
  return JSON.parse(readFileSync(file, 'utf8')).models;
}

/** [{ name, repo, revision, pinned, description }] for the models the registry knows. */
export function listModels(models = registry()) {
  return Object.entries(models).map(([name, e]) => ({
    name,
    repo: e.repo,
    revision: e.revision,
    pinned: COMMIT.test(e.revision) && Object.values(e.files).every((f) => f.sha256),
    description: e.description,
  }));
}

function validateEntry(name, e) {
  const bad = (what) => new FetchError(`registry entry ${name}: ${what}`, { code: 'bad_registry' });
  if (!e || typeof e !== 'object') throw bad('missing');
  if (typeof e.repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(e.repo)) throw bad(`repo ${e.repo}`);
  if (typeof e.revision !== 'string' || !e.revision) throw bad('no revision');
  if (!e.files || !e.files[e.model]) throw bad(`model file ${e.model} is not in files`);
  if (!e.files[e.tokenizer?.file]) throw bad(`tokenizer file ${e.tokenizer?.file} is not in files`);
  for (const [file, spec] of Object.entries(e.files)) {
    if (file.startsWith('/') || file.split('/').includes('..')) throw bad(`file path ${file}`);
    if (spec.sha256 != null && !SHA256.test(spec.sha256)) throw bad(`sha256 of ${file}`);
  }
}

async function sha256OfFile(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function sizeOf(file) {
  try {
    return (await stat(file)).size;
  } catch {
    return -1;
  }
}

/**
 * Downloads `url` into `part`, continuing after the bytes already there (HTTP Range). Returns
 * when the server has sent the whole file; throws on HTTP errors, dropped connections and
 * stalls (the bytes received so far stay in `part` for the next attempt).
 */
async function downloadOnce(url, part, { fetchImpl, stallMs, onBytes }) {
  const have = Math.max(0, await sizeOf(part));
  const controller = new AbortController();
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${stallMs} ms`)), stallMs);
  };
  arm();
  try {
    const headers = have > 0 ? { Range: `bytes=${have}-` } : {};
    const res = await fetchImpl(url, { headers, signal: controller.signal, redirect: 'follow' });
    let append = false;
    let total = null;
    if (res.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== have) {
        throw new FetchError(`${url}: server answered the range request from byte ${have} with `
          + `Content-Range "${res.headers.get('content-range')}"`, { code: 'bad_range' });
      }
      append = true;
      total = m[3] === '*' ? null : Number(m[3]);
    } else if (res.status === 416 && have > 0) {
      // Nothing after byte `have`: the part file is already complete (checked by the caller).
      await res.body?.cancel();
      return;
    } else if (res.status === 200) {
      const length = res.headers.get('content-length');
      total = length == null ? null : Number(length);
    } else {
      await res.body?.cancel();
      throw new FetchError(`${url}: HTTP ${res.status} ${res.statusText}`.trim(),
        { code: res.status === 404 ? 'not_found' : 'http_error' });
    }
    const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
    const done = new Promise((resolve, reject) => {
      out.on('error', reject);
      out.on('finish', resolve);
    });
    let received = append ? have : 0;
    try {
      for await (const chunk of res.body) {
        arm();
        received += chunk.length;
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
        onBytes?.(received, total);
      }
    } finally {
      out.end();
      await done;
    }
    if (total != null && received !== total) {
      throw new FetchError(`${url}: connection closed after ${received} of ${total} bytes`,
        { code: 'incomplete' });
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fetches model `name` (a registry name, or { name, entry } for an entry not in the registry).
 *
 * @param options.dest       parent folder of the model folders (default .cache/models)
 * @param options.baseUrl    the Hub (default https://huggingface.co); files are read from
 *                           `${baseUrl}/${repo}/resolve/${revision}/${file}`
 * @param options.strict     refuse unpinned files/revisions instead of warning
 * @param options.retries    extra attempts per file after a failed one (default 3)
 * @param options.stallMs    abort an attempt that receives nothing for this long (default 60 s)
 * @param options.force      download again even when a complete folder exists
 * @param options.log        warnings and progress lines (default console.error)
 * @param options.onProgress ({ file, received, total }) => void
 * @returns { dir, manifest, cached: boolean,
 *            files: [{ file, sha256, bytes, status: 'verified'|'unpinned'|'absent' }] }
 */
export async function fetchModel(name, options = {}) {
  const {
    dest = DEFAULT_DEST, baseUrl = DEFAULT_BASE_URL, strict = false, retries = 3,
    stallMs = 60_000, force = false, log = (m) => console.error(m), onProgress,
    fetchImpl = globalThis.fetch,
  } = options;
  let entry;
  if (typeof name === 'object' && name !== null) {
    ({ name, entry } = name);
  } else {
    entry = registry()[name];
    if (!entry) {
      throw new FetchError(`unknown model "${name}"; known: ${Object.keys(registry()).join(', ')}`,
        { code: 'unknown_model' });
    }
  }
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) {
    throw new FetchError(`bad model name ${JSON.stringify(name)}`, { code: 'bad_registry' });
  }
  validateEntry(name, entry);

  const revisionPinned = COMMIT.test(entry.revision);
  const unpinnedFiles = Object.entries(entry.files).filter(([, s]) => !s.sha256).map(([f]) => f);
  if (strict && (!revisionPinned || unpinnedFiles.length)) {
    throw new FetchError(`${name} is not fully pinned (revision ${entry.revision}; no sha256 for `
      + `${unpinnedFiles.join(', ') || 'none'}); refusing in strict mode`, { code: 'unpinned' });
  }
  if (!revisionPinned) {
    log(`fetch-model: WARNING: ${name}: revision "${entry.revision}" is not a commit hash; `
      + 'the files may change under that name (UNPINNED)');
  }

  const dir = path.resolve(dest, name);
  const manifestPath = path.join(dir, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    const cached = await checkExisting(dir, name, entry);
    if (cached) return { dir, manifest: cached.manifest, files: cached.files, cached: true };
    log(`fetch-model: ${dir} is incomplete or from another revision; downloading again`);
  }

  const staging = path.resolve(dest, `.${name}.partial`);
  const stamp = path.join(staging, '.revision');
  // Partial files of another revision must not be resumed into this one.
  if (existsSync(staging) && (await readFile(stamp, 'utf8').catch(() => '')) !== entry.revision) {
    await rm(staging, { recursive: true, force: true });
  }
  await mkdir(staging, { recursive: true });
  await writeFile(stamp, entry.revision);

  const results = [];
  for (const [file, spec] of Object.entries(entry.files)) {
    const url = `${baseUrl.replace(/\/$/, '')}/${entry.repo}/resolve/${entry.revision}/${file}`;
    const target = path.join(staging, file);
    const part = `${target}.part`;
    await mkdir(path.dirname(target), { recursive: true });
    if (!existsSync(target)) {
      let attempt = 0;
      for (;;) {
        try {
          await downloadOnce(url, part, {
            fetchImpl, stallMs,
            onBytes: (received, total) => onProgress?.({ file, received, total }),
          });
          break;
        } catch (err) {
          if (err.code === 'not_found' && spec.optional) break;
          const fatal = err.code === 'not_found' || err.code === 'http_error';
          const kept = Math.max(0, await sizeOf(part));
          // undici reports network failures as "fetch failed" with the reason in `cause`.
          const why = err.cause
            ? `${err.message} (${err.cause.code ?? err.cause.message})` : err.message;
          if (fatal || attempt >= retries) {
            throw new FetchError(`${name}: downloading ${file} failed: ${why}`
              + (!fatal && kept > 0 ? ` (kept ${kept} bytes; run again to resume)` : ''),
            { code: err.code ?? 'network', cause: err });
          }
          attempt++;
          const next = kept > 0 ? `resuming after ${kept} bytes` : 'retrying';
          log(`fetch-model: ${file}: ${why}; ${next} (attempt ${attempt + 1} of ${retries + 1})`);
          await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** (attempt - 1))));
        }
      }
      if (!existsSync(part)) {
        results.push({ file, status: 'absent' });
        log(`fetch-model: ${name}: optional ${file} is not in the repository`);
        continue;
      }
      const bytes = await sizeOf(part);
      const sha256 = await sha256OfFile(part);
      if ((spec.sha256 && sha256 !== spec.sha256) || (spec.bytes != null && bytes !== spec.bytes)) {
        await rm(part, { force: true });
        const size = spec.bytes != null ? `, ${spec.bytes} bytes` : '';
        const expected = `${spec.sha256 ?? 'any'}${size}`;
        throw new FetchError(`${name}: ${file} failed verification (sha256 ${sha256}, ${bytes} `
          + `bytes; expected ${expected}); the corrupt download was deleted`,
        { code: 'verification_failed' });
      }
      await rename(part, target);
    }
    const bytes = await sizeOf(target);
    const sha256 = await sha256OfFile(target);
    if (spec.sha256 && sha256 !== spec.sha256) {
      await rm(target, { force: true });
      throw new FetchError(`${name}: ${file} in the staging folder is corrupt; deleted, run again`,
        { code: 'verification_failed' });
    }
    const status = spec.sha256 ? 'verified' : 'unpinned';
    if (status === 'unpinned') {
      log(`fetch-model: WARNING: ${name}: ${file} is UNPINNED (no sha256 in web/model-registry.json); `
        + `downloaded sha256 ${sha256}, ${bytes} bytes. Check it against the Hub before `
        + 'trusting it.');
    }
    results.push({ file, sha256, bytes, status });
  }

  let vocabSize;
  try {
    vocabSize = JSON.parse(await readFile(path.join(staging, 'config.json'), 'utf8')).vocab_size;
  } catch {
    vocabSize = undefined;  // no or unreadable config.json: the manifest simply omits it
  }
  const manifest = buildManifest(name, { ...entry, vocabSize: entry.vocabSize ?? vocabSize },
    results, baseUrl);
  await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(stamp, { force: true });
  // Swap in atomically: the old folder (if any) moves aside first, then the staging folder
  // takes its name; a reader sees either the old complete folder or the new one.
  const old = path.resolve(dest, `.${name}.old`);
  await rm(old, { recursive: true, force: true });
  if (existsSync(dir)) await rename(dir, old);
  await rename(staging, dir);
  await rm(old, { recursive: true, force: true });
  return { dir, manifest, files: results, cached: false };
}

/** The localrec manifest (docs/models.md, contract section 2) of a fetched folder. */
export function buildManifest(name, entry, files, baseUrl = DEFAULT_BASE_URL) {
  const info = Object.fromEntries(files.map((f) => [f.file, f]));
  const model = info[entry.model];
  const tok = info[entry.tokenizer.file];
  return {
    format: 'localrec-model',
    formatVersion: 1,
    name,
    description: entry.description,
    license: entry.license,
    source: `${baseUrl.replace(/\/$/, '')}/${entry.repo} at revision ${entry.revision}`
      + (entry.upstream ? ` (ONNX export of ${entry.upstream})` : ''),
    dims: entry.dims,
    maxLength: entry.maxLength,
    ...(Number.isInteger(entry.vocabSize) ? { vocabSize: entry.vocabSize } : {}),
    model: { file: entry.model, sha256: model.sha256, bytes: model.bytes },
    inputs: entry.inputs ?? ['input_ids', 'attention_mask', 'token_type_ids'],
    output: entry.output ?? 'last_hidden_state',
    pooling: entry.pooling,
    normalize: entry.normalize,
    tokenizer: {
      kind: entry.tokenizer.kind,
      format: entry.tokenizer.format,
      file: entry.tokenizer.file,
      sha256: tok.sha256,
      options: entry.tokenizer.options ?? {},
    },
    fetched: {
      repo: entry.repo,
      revision: entry.revision,
      revisionPinned: COMMIT.test(entry.revision),
      files: Object.fromEntries(files.filter((f) => f.status !== 'absent')
        .map((f) => [f.file, { sha256: f.sha256, bytes: f.bytes, status: f.status }])),
    },
  };
}

async function checkExisting(dir, name, entry) {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
  if (manifest.name !== name || manifest.fetched?.repo !== entry.repo
    || manifest.fetched?.revision !== entry.revision) return null;
  const files = [];
  for (const [file, spec] of Object.entries(entry.files)) {
    const recorded = manifest.fetched.files[file];
    if (!recorded) {
      if (spec.optional) continue;
      return null;
    }
    const target = path.join(dir, file);
    if (await sizeOf(target) !== recorded.bytes) return null;
    const sha256 = await sha256OfFile(target);
    if (sha256 !== recorded.sha256 || (spec.sha256 && sha256 !== spec.sha256)) return null;
    const status = spec.sha256 ? 'verified' : 'unpinned';
    files.push({ file, sha256, bytes: recorded.bytes, status });
  }
  return { manifest, files };
}

function parseArgs(argv) {
  const args = { names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new FetchError(`${a} needs a value`, { code: 'usage' });
      return argv[++i];
    };
    if (a === '--dest') args.dest = value();
    else if (a === '--base-url') args.baseUrl = value();
    else if (a === '--retries') args.retries = Number(value());
    else if (a === '--strict') args.strict = true;
    else if (a === '--force') args.force = true;
    else if (a === '--list') args.list = true;
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a.startsWith('-')) throw new FetchError(`unknown option ${a}`, { code: 'usage' });
    else args.names.push(a);
  }
  return args;
}

const USAGE = `usage: node web/fetch-model.mjs <name>... [--dest DIR] [--strict] [--force]
                                [--retries N] [--base-url URL]
       node web/fetch-model.mjs --list`;

/** Command line entry point; returns the exit status. */
export async function main(argv = process.argv.slice(2)) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`fetch-model: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list || args.names.length === 0) {
    for (const m of listModels()) {
      console.log(`${m.name.padEnd(40)} ${m.repo}@${m.revision.slice(0, 12)} `
        + `${m.pinned ? 'pinned' : 'PARTLY UNPINNED'}`);
    }
    return args.list ? 0 : 2;
  }
  let lastLine = 0;
  for (const name of args.names) {
    try {
      const res = await fetchModel(name, {
        dest: args.dest, baseUrl: args.baseUrl, strict: args.strict, force: args.force,
        retries: args.retries,
        onProgress: ({ file, received, total }) => {
          const now = Date.now();
          if (now - lastLine < 1000 && received !== total) return;
          lastLine = now;
          const pct = total ? ` ${(100 * received / total).toFixed(0)}%` : '';
          process.stderr.write(`fetch-model: ${file} ${(received / 1e6).toFixed(1)} MB${pct}\n`);
        },
      });
      const counts = res.files.reduce((c, f) => ({ ...c, [f.status]: (c[f.status] ?? 0) + 1 }), {});
      console.log(`${name}: ${res.cached ? 'already present' : 'fetched'} in ${res.dir} `
        + `(${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')})`);
    } catch (err) {
      console.error(`fetch-model: ${err.message}`);
      return 1;
    }
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
