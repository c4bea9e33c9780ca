// Data for the profile's quality evaluation: the Debian catalogue and the Blend split from
// ../shared/data (absent for people who clone the repo: callers say so and exit 0), and the
// catalogue's embeddings under a model, computed once and cached in .cache/eval/.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

// ../shared/data beside the checkout (worktrees sit one level deeper), or LOCALREC_DATA_DIR.
const DATA_CANDIDATES = process.env.LOCALREC_DATA_DIR
  ? [new URL(`file://${process.env.LOCALREC_DATA_DIR.replace(/\/?$/, '/')}`)]
  : ['../../../shared/data/', '../../../../shared/data/'].map((p) => new URL(p, import.meta.url));
export const DATA_DIR = DATA_CANDIDATES.find((d) => existsSync(new URL('debian-apps.jsonl.gz', d))) ??
  DATA_CANDIDATES[0];
const CACHE_DIR = new URL('../../.cache/eval/', import.meta.url);

export function dataAvailable() {
  return existsSync(new URL('debian-apps.jsonl.gz', DATA_DIR)) &&
    existsSync(new URL('debian-blends-split.json', DATA_DIR));
}

export async function loadCatalogue() {
  const raw = gunzipSync(await readFile(new URL('debian-apps.jsonl.gz', DATA_DIR))).toString('utf8');
  return raw.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

export async function loadSplit() {
  return JSON.parse(await readFile(new URL('debian-blends-split.json', DATA_DIR), 'utf8'));
}

/** The catalogue's embeddings (Float32Array[] in catalogue order), cached per model. */
export async function catalogueEmbeddings(model, items, { log = () => {} } = {}) {
  const dir = new URL(`${model.name}-${model.fingerprint.slice(0, 12)}/`, CACHE_DIR);
  const file = new URL('catalogue.f32', dir);
  const idsFile = new URL('catalogue-ids.json', dir);
  const ids = items.map((it) => it.id);
  if (existsSync(file) && existsSync(idsFile)) {
    const cachedIds = JSON.parse(await readFile(idsFile, 'utf8'));
    if (JSON.stringify(cachedIds) === JSON.stringify(ids)) {
      const buf = await readFile(file);
      const flat = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      return ids.map((_, i) => flat.subarray(i * model.dims, (i + 1) * model.dims));
    }
  }
  await mkdir(dir, { recursive: true });
  const flat = new Float32Array(items.length * model.dims);
  const chunk = 512;
  const start = performance.now();
  for (let s = 0; s < items.length; s += chunk) {
    const vecs = await model.embed(items.slice(s, s + chunk).map((it) => it.text));
    vecs.forEach((v, i) => flat.set(v, (s + i) * model.dims));
    const done = Math.min(s + chunk, items.length);
    const rate = done / ((performance.now() - start) / 1000);
    log(`embedding the catalogue: ${done}/${items.length} (${rate.toFixed(0)} items/s)`);
  }
  await writeFile(file, new Uint8Array(flat.buffer));
  await writeFile(idsFile, JSON.stringify(ids));
  return ids.map((_, i) => flat.subarray(i * model.dims, (i + 1) * model.dims));
}

/**
 * Wraps a model (contract 3) with a text -> vector cache: the catalogue's own texts (the users'
 * "posts") are never re-embedded, and keyword candidates embedded in one run are kept in
 * .cache/eval/ for the next. `save()` writes the new ones.
 */
export async function cachingModel(model, known) {
  const dir = new URL(`${model.name}-${model.fingerprint.slice(0, 12)}/`, CACHE_DIR);
  const textsFile = new URL('phrases.json', dir);
  const vecFile = new URL('phrases.f32', dir);
  const cache = new Map(known);
  let stored = 0;
  if (existsSync(textsFile) && existsSync(vecFile)) {
    const texts = JSON.parse(await readFile(textsFile, 'utf8'));
    const buf = await readFile(vecFile);
    const flat = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    if (flat.length === texts.length * model.dims) {
      texts.forEach((t, i) => cache.set(t, flat.subarray(i * model.dims, (i + 1) * model.dims)));
      stored = texts.length;
    }
  }
  const fresh = [];
  const wrapped = {
    name: model.name, dims: model.dims, fingerprint: model.fingerprint, maxLength: model.maxLength,
    embedded: 0,
    async embed(texts) {
      const todo = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (todo.length) {
        const vecs = await model.embed(todo, { batchSize: 64 });
        todo.forEach((t, i) => { cache.set(t, vecs[i]); fresh.push(t); });
        wrapped.embedded += todo.length;
      }
      return texts.map((t) => cache.get(t));
    },
    async save() {
      if (!fresh.length) return;
      await mkdir(dir, { recursive: true });
      const all = [];
      if (stored) all.push(...JSON.parse(await readFile(textsFile, 'utf8')));
      all.push(...fresh);
      const flat = new Float32Array(all.length * model.dims);
      all.forEach((t, i) => flat.set(cache.get(t), i * model.dims));
      await writeFile(vecFile, new Uint8Array(flat.buffer));
      await writeFile(textsFile, JSON.stringify(all));
      stored = all.length;
      fresh.length = 0;
    },
    dispose() {},
  };
  return wrapped;
}
