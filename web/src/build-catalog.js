// Building a catalogue file from JSONL items (Node only; used by `localrec build-catalog`).
//
// Items are embedded in batches; every finished batch is appended to a checkpoint file beside the
// output (<output>.ckpt), so an interrupted build continues where it stopped. The output is
// written atomically (temporary file + rename). Bad lines are reported with their line numbers
// and skipped; the rest of the file is built.

import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

import { codedError } from './errors.js';
import { init } from './core.js';
import { CatalogBuilder } from './catalog.js';
import { ensureChinese } from './chinese.js';

const CHECKPOINT_FORMAT = 'localrec-build-checkpoint';
const CHECKPOINT_VERSION = 1;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Parses JSONL items. Returns `{ items, errors }`: items `{ line, id, text, title?, url?, tags? }`
 * in file order; errors `{ line, message }` for lines that were skipped.
 * @param {Uint8Array} bytes the file contents (already gunzipped)
 */
export function parseItems(bytes) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const items = [];
  const errors = [];
  const firstLine = new Map();
  let start = 0;
  let line = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    line++;
    let raw = bytes.subarray(start, end);
    start = end + 1;
    if (raw.length && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    let textLine;
    try {
      textLine = decoder.decode(raw);
    } catch {
      errors.push({ line, message: 'invalid UTF-8' });
      continue;
    }
    if (line === 1 && textLine.charCodeAt(0) === 0xfeff) textLine = textLine.slice(1);  // BOM
    if (textLine.trim() === '') continue;
    let value;
    try {
      value = JSON.parse(textLine);
    } catch (e) {
      errors.push({ line, message: `bad JSON (${e.message})` });
      continue;
    }
    const problem = checkItem(value);
    if (problem) {
      errors.push({ line, message: problem });
      continue;
    }
    if (firstLine.has(value.id)) {
      errors.push({ line, message: `duplicate id '${value.id}' (first on line ${firstLine.get(value.id)})` });
      continue;
    }
    firstLine.set(value.id, line);
    const item = { line, id: value.id, text: value.text };
    if (value.title !== undefined) item.title = value.title;
    if (value.url !== undefined) item.url = value.url;
    if (value.tags !== undefined) item.tags = value.tags;
    items.push(item);
  }
  return { items, errors };
}

function checkItem(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  if (typeof v.id !== 'string' || v.id === '') return 'missing or empty "id" (a string)';
  if (new TextEncoder().encode(v.id).length > 4096) return '"id" is longer than 4096 bytes';
  if (typeof v.text !== 'string' || v.text.trim() === '') return 'missing or empty "text" (a string)';
  if (v.title !== undefined && typeof v.title !== 'string') return '"title" must be a string';
  if (v.url !== undefined && typeof v.url !== 'string') return '"url" must be a string';
  if (v.tags !== undefined) {
    if (!Array.isArray(v.tags) || v.tags.some((t) => typeof t !== 'string' || t === '')) {
      return '"tags" must be an array of non-empty strings';
    }
  }
  // JSON escapes can spell lone surrogates ("\ud800"), which are not Unicode text and would be
  // replaced silently on the way into the core: refuse them here.
  for (const s of [v.id, v.text, v.title, v.url, ...(v.tags ?? [])]) {
    if (typeof s === 'string' && LONE_SURROGATE.test(s)) {
      return 'a string contains an unpaired surrogate escape (not valid Unicode)';
    }
  }
  return null;
}

// Cuts `text` to at most `chars` code points at a word boundary when one is near.
export function snippet(text, chars) {
  if (chars < 0) return text;
  const cps = Array.from(text);
  if (cps.length <= chars) return text;
  let cut = cps.slice(0, chars).join('');
  const space = cut.lastIndexOf(' ');
  if (space > chars * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

async function readCheckpoint(path, expect, itemsByLine) {
  let bytes;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if (e.code === 'ENOENT') return { vectors: new Map(), note: null };
    throw e;
  }
  const nl = bytes.indexOf(0x0a);
  let header;
  try {
    header = JSON.parse(bytes.subarray(0, nl).toString('utf8'));
  } catch {
    return { vectors: new Map(), note: 'checkpoint unreadable, starting over' };
  }
  for (const key of ['format', 'version', 'input', 'model', 'dims']) {
    if (header?.[key] !== expect[key]) {
      return { vectors: new Map(), note: `checkpoint is for another ${key === 'input' ? 'input file' : key}, starting over` };
    }
  }
  const record = 4 + 4 * expect.dims;
  const body = bytes.subarray(nl + 1);
  const whole = Math.floor(body.length / record);
  const vectors = new Map();
  const view = new DataView(body.buffer, body.byteOffset, whole * record);
  let previous = 0;
  for (let r = 0; r < whole; r++) {
    const line = view.getUint32(r * record, true);
    if (line <= previous || !itemsByLine.has(line)) {
      return { vectors: new Map(), note: 'checkpoint does not match the input, starting over' };
    }
    previous = line;
    const v = new Float32Array(expect.dims);
    for (let d = 0; d < expect.dims; d++) v[d] = view.getFloat32(r * record + 4 + 4 * d, true);
    vectors.set(line, v);
  }
  // A record cut short by an interruption is dropped (the file is truncated before appending).
  return { vectors, validBytes: nl + 1 + whole * record, note: null };
}

/**
 * Builds `output` from the JSONL file `input` (optionally .gz) with `model` (an encoder from loadModel()).
 * @param {{ input: string, output: string, model: { dims: number, fingerprint: string,
 *   embed(texts: string[], o?: { batchSize?: number }): Promise<Float32Array[]> },
 *   batchSize?: number, precision?: 'int8'|'compact'|'residual'|'float32', textChars?: number,
 *   resume?: boolean, onStart?: (info: object) => void, onProgress?: (done: number, total: number) => void,
 *   onBadLine?: (error: { line: number, message: string }) => void }} options
 * @returns {Promise<{ items: number, skipped: number, resumed: number, embedded: number, bytes: number, errors: object[] }>}
 */
export async function buildCatalogFile({
  input, output, model, batchSize = 32, precision = 'int8', textChars = 200, resume = true,
  onStart = () => {}, onProgress = () => {}, onBadLine = () => {},
}) {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw codedError(RangeError, 'batchSize must be a positive integer');
  if (!Number.isInteger(textChars) || textChars < -1) throw codedError(RangeError, 'textChars must be an integer >= -1');
  const dims = model?.dims;
  if (!Number.isInteger(dims) || dims < 1) throw codedError(TypeError, 'model.dims must be a positive integer');
  if (typeof model.fingerprint !== 'string') throw codedError(TypeError, 'model.fingerprint must be a string');
  await init();

  const raw = await readFile(input);
  const bytes = input.endsWith('.gz') ? gunzipSync(raw) : raw;
  const { items, errors } = parseItems(bytes);
  errors.forEach(onBadLine);
  // BM25 terms of Chinese items need the analyser's dictionary (the same one the browser loads).
  await ensureChinese(items.flatMap((it) => [it.title ?? '', it.text]));
  const itemsByLine = new Map(items.map((it) => [it.line, it]));

  const checkpointPath = `${output}.ckpt`;
  const expect = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION,
    input: createHash('sha256').update(raw).digest('hex'), model: model.fingerprint, dims,
  };
  let vectors = new Map();
  let validBytes = 0;
  if (resume) {
    const got = await readCheckpoint(checkpointPath, expect, itemsByLine);
    if (got.note) onBadLine({ line: 0, message: got.note });
    vectors = got.vectors;
    validBytes = got.validBytes ?? 0;
  }
  const resumed = vectors.size;
  const pending = items.filter((it) => !vectors.has(it.line));
  onStart({ total: items.length, resumed, pending: pending.length, skipped: errors.length });

  const fh = await open(checkpointPath, validBytes > 0 ? 'r+' : 'w');
  try {
    if (validBytes > 0) {
      await fh.truncate(validBytes);
    } else {
      await fh.write(`${JSON.stringify(expect)}\n`, 0);
    }
    let position = validBytes > 0 ? validBytes : (await fh.stat()).size;
    onProgress(resumed, items.length);
    for (let b = 0; b < pending.length; b += batchSize) {
      const batch = pending.slice(b, b + batchSize);
      const out = await model.embed(batch.map((it) => it.text), { batchSize });
      if (!Array.isArray(out) || out.length !== batch.length) {
        throw codedError(Error, `the model returned ${out?.length} vectors for ${batch.length} texts`, 'ModelError');
      }
      const record = 4 + 4 * dims;
      const chunk = Buffer.alloc(record * batch.length);
      batch.forEach((it, j) => {
        const v = out[j];
        if (!(v instanceof Float32Array) || v.length !== dims) {
          throw codedError(Error, `the model returned a vector of length ${v?.length} for line ${it.line}, expected ${dims}`, 'ModelError');
        }
        chunk.writeUInt32LE(it.line, j * record);
        for (let d = 0; d < dims; d++) chunk.writeFloatLE(v[d], j * record + 4 + 4 * d);
        vectors.set(it.line, v);
      });
      await fh.write(chunk, 0, chunk.length, position);
      position += chunk.length;
      await fh.datasync();  // a batch is either fully on disk or cut off as a partial record
      onProgress(resumed + b + batch.length, items.length);
    }
  } finally {
    await fh.close();
  }

  // Items are written in input order whatever order they were embedded in.
  const builder = new CatalogBuilder({ dims, modelFingerprint: model.fingerprint, precision });
  let catalog;
  try {
    for (const it of items) {
      const metadata = {};
      if (it.title !== undefined) metadata.title = it.title;
      if (it.url !== undefined) metadata.url = it.url;
      if (textChars !== 0) metadata.text = snippet(it.text, textChars);
      if (it.tags?.length) metadata.tags = it.tags;
      const lexical = it.title !== undefined ? `${it.title}\n${it.text}` : it.text;
      builder.add({ id: it.id, vector: vectors.get(it.line), metadata, text: lexical });
    }
    catalog = builder.finish();
  } finally {
    builder.dispose();
  }
  const fileBytes = catalog.toBytes();
  catalog.dispose();

  // Atomic replace: a reader never sees a half-written catalogue.
  const tmp = `${output}.tmp-${process.pid}`;
  const out = await open(tmp, 'w');
  try {
    await out.writeFile(fileBytes);
    await out.sync();
  } finally {
    await out.close();
  }
  await rename(tmp, output);
  await rm(checkpointPath, { force: true });
  return {
    items: items.length, skipped: errors.length, resumed, embedded: pending.length,
    bytes: fileBytes.length, errors,
  };
}

/** Summary of a catalogue file for `localrec inspect`. */
export async function inspectCatalogFile(path, { items = 5 } = {}) {
  const { Catalog } = await import('./catalog.js');
  await init();
  const bytes = await readFile(path);
  const started = performance.now();
  const catalog = Catalog.fromBytes(bytes);
  const loadMs = performance.now() - started;
  try {
    const info = {
      file: path,
      bytes: bytes.length,
      loadMs: Math.round(loadMs * 10) / 10,
      items: catalog.size,
      dims: catalog.dims,
      modelFingerprint: catalog.modelFingerprint,
      precision: catalog.precision,
      lexical: catalog.hasTerms,
      bytesPerItem: catalog.size ? Math.round(bytes.length / catalog.size) : 0,
      sample: [],
    };
    for (let i = 0; i < Math.min(items, catalog.size); i++) {
      info.sample.push({ index: i, id: catalog.id(i), metadata: catalog.metadata(i) });
    }
    return info;
  } finally {
    catalog.dispose();
  }
}
