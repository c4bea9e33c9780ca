// The localrec demo page. Everything heavy runs in a Web Worker through the package's worker
// protocol: the page downloads the model and the catalogue once, then never talks to the network
// again — posts, embeddings, interests and rankings stay in this tab (and in IndexedDB).
import { createWorker, deleteAllStoredData, loadProfileBytes, loadTimings, saveProfileBytes } from 'localrec';
import { personas } from './personas.js';

// The page's own start-up phases, as `performance.measure` entries named `demo:<phase>` (the
// package records its own as `localrec:<phase>`, here and in the worker): bench/demo.mjs reads
// them all through `globalThis.localrecDemo.timings()`.
function phase(name, start) {
  const end = performance.now();
  performance.measure(`demo:${name}`, { start, end });
  return end;
}
phase('script', 0);  // navigation -> this module running (HTML, import map, module graph)
globalThis.localrecDemo = {
  async timings() {
    const page = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('demo:'))
      .map((e) => ({ name: e.name, start: e.startTime, duration: e.duration }));
    const worker = state.worker ? await state.worker.call('loadTimings') : { timeOrigin: performance.timeOrigin, entries: [] };
    const shift = worker.timeOrigin - performance.timeOrigin;  // the worker's clock on the page's
    return [...page, ...loadTimings().entries.map((e) => ({ ...e, name: `page ${e.name}` })),
      ...worker.entries.map((e) => ({ ...e, name: `worker ${e.name}`, start: e.start + shift }))]
      .sort((a, b) => a.start - b.start);
  },
};

// The models the page offers (`?model=NAME`; the choice at the top reloads the page with it).
// The package's default is embedded in its browser build; another model the package ships is a
// folder the site serves, loaded with { url } (web/src/model.js). Each model has its own demo
// catalogue, built by scripts/build-demo-catalog.sh [--name NAME]: web/demo/data/debian-apps.lrc
// for the default, debian-apps.NAME.lrc for another (index.html preloads it by the same rule).
const DEFAULT_MODEL = 'use-lite';
const BILINGUAL = 'use-lite-bert-zh-2x128';
const MODELS = new Map([
  [DEFAULT_MODEL, { label: 'USE Lite: English (the default)' }],
  [BILINGUAL, { label: 'Bilingual BERT: English + 中文', url: `/web/models/${BILINGUAL}/` }],
]);
const requested = new URLSearchParams(location.search).get('model') ?? DEFAULT_MODEL;
const MODEL = MODELS.has(requested) ? requested : DEFAULT_MODEL;
// Each model keeps its own profile and posts in IndexedDB: a profile holds its model's vectors
// and fingerprint, and is never restored into the other model (the default keeps the keys it
// always had, so a returning visitor's profile stays where it was).
const PROFILE_KEY = MODEL === DEFAULT_MODEL ? 'demo-profile' : `demo-profile:${MODEL}`;
const POSTS_KEY = MODEL === DEFAULT_MODEL ? 'demo-posts' : `demo-posts:${MODEL}`;  // texts and times, for the list and the chart
const HALF_LIFE_DAYS = 30;
const DAY = 86400000;
const CATALOG_URL = new URL(`./data/debian-apps${MODEL === DEFAULT_MODEL ? '' : `.${MODEL}`}.lrc`, import.meta.url).href;
// Import maps do not reach workers: name onnxruntime-web's module for the worker directly.
const ORT_URL = new URL('/node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs', location.href).href;
const MAX_POST_CHARS = 20000;

const $ = (id) => document.getElementById(id);
const state = { worker: null, model: null, catalog: null, profile: null, posts: [], busy: Promise.resolve() };

function say(text, isError = false) {
  const m = $('message');
  m.textContent = text;
  m.classList.toggle('error', isError);
}

function setProgress(which, fraction, status) {
  $(`${which}-progress`).value = fraction;
  $(`${which}-status`).textContent = status;
}

// Runs profile operations one after another and reports failures on the page.
function serial(fn) {
  state.busy = state.busy.then(fn).catch((e) => say(e.message, true));
  return state.busy;
}

async function fetchBytes(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (run npm run demo, which builds it)`);
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) { bytes.set(c, offset); offset += c.byteLength; }
  return bytes;
}

const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MB`;

async function start() {
  const t0 = performance.now();
  // Writing needs nothing loaded: the text box works at once, adding waits for the profile.
  for (const el of ['post-text', 'post-time']) $(el).disabled = false;
  setNow();
  showModelChoice();
  if (requested !== MODEL) say(`The demo has no model '${requested}': it uses ${MODEL}.`, true);
  if (!globalThis.crossOriginIsolated) {
    const note = $('runtime-note');
    note.hidden = false;
    note.textContent = 'This page is not cross-origin isolated, so the model runs on one thread (slower, still private).';
  }
  // Everything starts at once: the worker (core wasm), the model, the catalogue and the stored
  // profile. Ranking needs no encoder, so a returning user's recommendations come from the stored
  // profile and the catalogue while the model still loads; new posts wait for the model.
  const stored = Promise.all([loadProfileBytes(PROFILE_KEY), loadProfileBytes(POSTS_KEY)]);
  stored.catch(() => {});  // reported by restore()
  const catalogBytes = fetchBytes(CATALOG_URL, (l, t) => setProgress('catalog', t ? l / t : 0, `${mb(l)} of ${mb(t)}`));
  catalogBytes.catch(() => {});
  // The worker index.html started with the page (the same module as createWorker()'s default).
  state.worker = await createWorker({ worker: globalThis.localrecEarlyWorker });
  const workerUp = state.worker.version().then(() => phase('worker-start', t0));
  // A returning user's first screen needs the catalogue and the stored profile, not the encoder:
  // then the model loads after that screen (`defer`), so it does not hold up the worker before it.
  const returning = await stored.then(([bytes]) => bytes !== null, () => false);
  const modelBytes = {};
  const modelPromise = state.worker.call('openModel', {
    ...(MODELS.get(MODEL).url ? { url: new URL(MODELS.get(MODEL).url, location.href).href } : {}),
    defer: returning,
    ortUrl: ORT_URL,
    onProgress: ({ file, loaded, total }) => {
      modelBytes[file] = { loaded, total };
      const all = Object.values(modelBytes);
      const l = all.reduce((s, f) => s + f.loaded, 0), t = all.reduce((s, f) => s + (f.total || f.loaded), 0);
      setProgress('model', t ? l / t : 0, `${mb(l)} of ${mb(t)}`);
    },
  });
  const catalogPromise = catalogBytes.then((bytes) => {
    const t1 = phase('catalog-fetch', t0);
    return state.worker.callStatic('Catalog', 'fromBytes', bytes).then((c) => { phase('catalog-load', t1); return c; });
  });
  state.model = await modelPromise;  // a PendingModel: name, dims, fingerprint from the manifest
  phase('model-manifest', t0);
  state.catalog = await catalogPromise;
  await workerUp;
  setProgress('catalog', 1, `${state.catalog.size.toLocaleString()} items`);
  if (state.catalog.modelFingerprint !== state.model.fingerprint) {
    throw new Error('the demo catalogue was built with another model: rebuild it (npm run demo)');
  }
  const t2 = performance.now();
  await restore(stored);
  phase('restore', t2);
  // Posts can be written (and queued) now; they are embedded once the model is there.
  for (const el of ['add-post', 'forget']) $(el).disabled = false;
  await render(undefined, true);
  const ready = state.model.whenReady().then((model) => {
    phase('model', t0);
    setProgress('model', 1, `${model.name}, ${model.dims} dims`);
  });
  serial(() => ready);  // posts added meanwhile run after it, in order
  await ready;
  $('timing').textContent += ` · ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  document.body.dataset.ready = 'true';
}

async function restore(stored) {
  const [bytes, postsBytes] = await stored;
  if (bytes) {
    try {
      state.profile = await state.worker.callStatic('InterestProfile', 'fromBytes', state.model, bytes);
      state.posts = postsBytes ? JSON.parse(new TextDecoder().decode(postsBytes)) : [];
      say(`Welcome back: ${state.profile.size} posts restored from this browser.`);
      return;
    } catch (e) {
      // E.g. a profile made with another model (or an older build of this one): its vectors mean
      // nothing to this model, so it is not used; it stays stored until a post replaces it.
      say(e.code === 'ModelMismatch'
        ? `Your saved profile was made with another model than ${state.model.name}, so it is not used here; starting afresh (${e.message}).`
        : `Your saved profile could not be read (${e.message}); starting afresh.`, true);
    }
  }
  state.profile = await state.worker.construct('InterestProfile', state.model, { halfLifeDays: HALF_LIFE_DAYS });
  state.posts = [];
}

async function persist() {
  const bytes = await state.profile.toBytes();
  await saveProfileBytes(PROFILE_KEY, bytes);
  await saveProfileBytes(POSTS_KEY, new TextEncoder().encode(JSON.stringify(state.posts)));
}

function setNow() {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  $('post-time').value = d.toISOString().slice(0, 16);
}

let nextId = Date.now();
async function addPosts(posts) {
  const t0 = performance.now();
  await state.profile.addPosts(posts.map(({ id, text, time }) => ({ id, text, time })));
  state.posts = state.posts.filter((p) => !posts.some((q) => q.id === p.id)).concat(posts);
  await persist();
  await render(performance.now() - t0);
}

function checkPost(text) {
  if (!text.trim()) return 'Write something first: an empty post says nothing about you.';
  if (!/[\p{L}\p{N}]/u.test(text)) return null;  // emoji-only is fine, it just carries little meaning
  return null;
}

$('post-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const raw = $('post-text').value;
  const problem = checkPost(raw);
  if (problem) { say(problem, true); return; }
  let text = raw;
  let note = '';
  if (text.length > MAX_POST_CHARS) {
    text = text.slice(0, MAX_POST_CHARS);
    note = ` (a very long post: only its first ${MAX_POST_CHARS.toLocaleString()} characters are used)`;
  }
  const when = Date.parse($('post-time').value);
  const time = Number.isFinite(when) ? when : Date.now();
  serial(async () => {
    await unreadableHint([text], () => addPosts([{ id: `post-${nextId++}`, text, time }]));
    $('post-text').value = '';
    say(`Post added${note}.${/[\p{L}\p{N}]/u.test(text) ? '' : ' It has no words, so it adds no keywords.'}`);
  });
});

$('forget').addEventListener('click', () => serial(async () => {
  await state.profile.clear();
  state.posts = [];
  await deleteAllStoredData({
    onBlocked: () => say('Deleting the saved data waits for other tabs of this page: please close them.'),
  });
  await render();
  say('Forgotten: your posts, profile and saved data are gone from this browser.');
}));

for (const persona of personas) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = persona.name;
  b.addEventListener('click', () => serial(async () => {
    const now = Date.now();
    await unreadableHint(persona.posts.map((p) => p.text), () => addPosts(persona.posts.map((p, i) => ({
      id: `${persona.name}-${i}`, text: p.text, time: now - p.daysAgo * DAY,
    }))));
    say(`Added ${persona.posts.length} posts of “${persona.name}”.`);
  }));
  if (persona.lang === 'zh' && MODEL === DEFAULT_MODEL) b.title = 'Chinese posts: pick the bilingual model above to read them';
  $('persona-buttons').append(b);
}

// A post the model cannot read is refused (the profile's error names the model and the share of
// unknown text); when the posts are Chinese and the model is the English-only default, say where
// Chinese is read.
async function unreadableHint(texts, fn) {
  try {
    await fn();
  } catch (e) {
    if (e.code === 'UnreadableText' && MODEL !== BILINGUAL && texts.some((t) => /\p{Script=Han}/u.test(t))) {
      e.message += ` To read Chinese, pick the model “${MODELS.get(BILINGUAL).label}” above.`;
    }
    throw e;
  }
}

// The model choice: a select that reloads the page with ?model=NAME (the default has no query).
function showModelChoice() {
  const select = $('model-choice');
  for (const [name, { label }] of MODELS) select.append(el('option', { value: name, textContent: label, selected: name === MODEL }));
  select.disabled = false;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    if (select.value === DEFAULT_MODEL) url.searchParams.delete('model');
    else url.searchParams.set('model', select.value);
    location.assign(url.href);
  });
  document.body.dataset.model = MODEL;
}

function el(tag, { dataset, ...props } = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  if (dataset) Object.assign(e.dataset, dataset);
  e.append(...children);
  return e;
}

async function render(updateMs, first = false) {
  const t0 = performance.now();
  const [interests, recs] = await Promise.all([
    state.profile.interests({ labelTerms: 6 }),
    state.profile.size ? state.profile.rank(state.catalog, { k: 10, diversity: 0.2 }) : [],
  ]);
  const rankMs = performance.now() - t0;
  if (first) {
    phase('first-rank', t0);
    // The first frame that shows the recommendations: after the DOM update below, at the next frame.
    requestAnimationFrame(() => setTimeout(() => phase('first-paint', 0)));
  }

  $('posts').replaceChildren(...[...state.posts].sort((a, b) => b.time - a.time).map((p) => el('li', {},
    el('time', { textContent: new Date(p.time).toLocaleDateString() }),
    el('span', { className: 'text', textContent: p.text.length > 240 ? `${p.text.slice(0, 240)}…` : p.text }),
    el('button', { type: 'button', textContent: '×', title: 'Remove this post', onclick: () => serial(async () => {
      await state.profile.removePost(p.id);
      state.posts = state.posts.filter((q) => q.id !== p.id);
      await persist();
      await render();
    }) }))));

  $('interests').replaceChildren(...interests.map((it) => el('li', { dataset: { postIds: JSON.stringify(it.postIds) } },
    el('div', { className: 'bar', style: `width:${Math.max(4, it.weight * 100).toFixed(0)}%` }),
    el('span', { textContent: `${(it.weight * 100).toFixed(0)}% · ${it.posts} post${it.posts === 1 ? '' : 's'} ` }),
    ...it.keywords.map((k) => el('span', { className: 'chip', textContent: k.text })))));
  if (!interests.length) $('interests').append(el('li', { textContent: 'No posts yet.' }));
  drawTimeline(interests);

  $('recs').replaceChildren(...recs.map((r) => {
    const m = r.metadata ?? {};
    const why = [];
    if (r.reasons.interest) why.push(`your interest in ${r.reasons.interest.keywords.slice(0, 3).join(', ')}`);
    if (r.reasons.keywords.length) why.push(`you wrote about ${r.reasons.keywords.slice(0, 4).join(', ')}`);
    return el('li', { dataset: { id: r.id } },
      el('div', {}, el('span', { className: 'title', textContent: m.title ?? r.id }), ' ',
        el('span', { className: 'pkg', textContent: r.id })),
      el('div', { className: 'why', textContent: why.length ? `Because of ${why.join(' and ')}.` : '' }),
      el('div', { className: 'actions' },
        el('button', { type: 'button', className: 'secondary', textContent: 'Like', onclick: () => feedback(r.id, 'like') }),
        el('button', { type: 'button', className: 'secondary', textContent: 'Not for me', onclick: () => feedback(r.id, 'dismiss') })));
  }));
  if (!recs.length) $('recs').append(el('li', { textContent: 'Add a post or pick a persona to see recommendations.' }));
  $('timing').textContent = `${updateMs !== undefined ? `post → recommendations ${updateMs.toFixed(0)} ms · ` : ''}` +
    `interests + ranking ${rankMs.toFixed(0)} ms over ${state.catalog.size.toLocaleString()} items`;
}

function feedback(id, kind) {
  serial(async () => {
    await state.profile.feedback(id, kind, { catalog: state.catalog });
    await persist();
    await render();
    say(kind === 'like' ? `Noted that you like ${id}.` : `${id} will not be suggested again.`);
  });
}

const COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

// Each interest's decayed weight over time, from its posts' times: sum of 2^(-age / half-life).
function drawTimeline(interests) {
  const svg = $('timeline');
  const times = new Map(state.posts.map((p) => [p.id, p.time]));
  const shown = interests.slice(0, COLORS.length);
  const all = shown.flatMap((it) => it.postIds.map((id) => times.get(id)).filter(Number.isFinite));
  svg.replaceChildren();
  $('timeline-legend').replaceChildren();
  if (!all.length) return;
  const end = Date.now();
  const start = Math.min(...all, end - 7 * DAY);
  const W = 480, H = 160, pad = 18, steps = 60;
  const series = shown.map((it) => {
    const ts = it.postIds.map((id) => times.get(id)).filter(Number.isFinite);
    return Array.from({ length: steps + 1 }, (_, s) => {
      const t = start + ((end - start) * s) / steps;
      return ts.reduce((sum, pt) => (pt <= t ? sum + 2 ** (-(t - pt) / (HALF_LIFE_DAYS * DAY)) : sum), 0);
    });
  });
  const max = Math.max(1e-9, ...series.flat());
  const ns = 'http://www.w3.org/2000/svg';
  const axis = document.createElementNS(ns, 'line');
  Object.entries({ x1: pad, y1: H - pad, x2: W - 4, y2: H - pad, stroke: '#99a' }).forEach(([k, v]) => axis.setAttribute(k, v));
  svg.append(axis);
  series.forEach((ys, i) => {
    const path = document.createElementNS(ns, 'polyline');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', COLORS[i]);
    path.setAttribute('stroke-width', '2');
    path.setAttribute('points', ys.map((y, s) => `${(pad + ((W - pad - 4) * s) / steps).toFixed(1)},${(H - pad - ((H - 2 * pad) * y) / max).toFixed(1)}`).join(' '));
    svg.append(path);
    $('timeline-legend').append(el('span', { style: `color:${COLORS[i]}`, textContent: `■ ${shown[i].keywords.slice(0, 2).map((k) => k.text).join(', ')}` }));
  });
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', pad);
  label.setAttribute('y', H - 4);
  label.setAttribute('font-size', '10');
  label.textContent = `${new Date(start).toLocaleDateString()} → today`;
  svg.append(label);
}

start().catch((e) => {
  say(`The demo could not start: ${e.message}`, true);
  console.error(e);
});
