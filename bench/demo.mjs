// The demo page's speed and memory, as a person meets them, in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core): `npm run bench:demo [-- --runs 3 --no-isolation]`.
//   cold load  a fresh browser profile (empty HTTP cache and IndexedDB): navigation -> page
//              ready (model and catalogue loaded), then the first post -> first recommendations
//   post       one more post -> updated recommendations (median over --posts posts)
//   reload     a reload of the same tab with the cached model and the stored profile:
//              navigation -> recommendations on screen
//   returning  the browser closed and started again on the same profile (a returning user: HTTP
//              cache, compiled-code cache, Cache API and IndexedDB from disk, nothing in memory):
//              navigation -> recommendations on screen
//   phases     where each of those start-ups spends its time: the page's `demo:*` and the
//              package's `localrec:*` performance measures (page and worker), on the page's clock
//   node       the same start-up as a library user in Node (bench/lib/startup-node.mjs, fresh
//              processes, ONNX Runtime Web and onnxruntime-node): process start -> recommendations
//              from a stored profile, -> encoder ready, then a new post; and a second round in the
//              same process (`--no-node` skips it)
//   memory     the peak resident memory of the browser's renderer processes over the run (the page,
//              its worker, their wasm memories), and what Chromium itself counts for the page and
//              its worker at the end (performance.measureUserAgentSpecificMemory; --no-memory
//              skips it, it waits for a garbage collection)
// Files are served as `npm run demo` serves them (ETag, Cache-Control: no-cache). Each figure is
// the median over --runs fresh browser profiles; the load average is printed with the results.
// Needs the demo catalogue (scripts/build-demo-catalog.sh).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchBrowser, startServer } from '../dev/harness.mjs';
import { personas } from '../web/demo/personas.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    posts: { type: 'string', default: '5' },
    'no-isolation': { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
    phases: { type: 'boolean', default: true },
    json: { type: 'boolean', default: false },
  },
});
if (!existsSync(new URL('../web/demo/data/debian-apps.lrc', import.meta.url))) {
  console.error('bench/demo: web/demo/data/debian-apps.lrc is missing: run scripts/build-demo-catalog.sh');
  process.exit(1);
}

const READY = 'body[data-ready="true"]';
const recsShown = () => document.querySelectorAll('#recs li[data-id]').length > 0 && performance.now();

// Adds one post through the form and returns the milliseconds until the recommendations change.
async function addPost(page, text) {
  await page.evaluate(() => {
    document.querySelector('#message').textContent = '';
    window.__lrBefore = document.querySelector('#timing').textContent;
  });
  await page.fill('#post-text', text);
  const t0 = await page.evaluate(() => performance.now());
  await page.click('#add-post');
  const t1 = await page.waitForFunction(() => document.querySelector('#message').textContent.startsWith('Post added') &&
    document.querySelector('#timing').textContent !== window.__lrBefore &&
    document.querySelectorAll('#recs li[data-id]').length > 0 && performance.now(), null, { timeout: 120000 });
  return (await t1.jsonValue()) - t0;
}

// Peak resident memory (VmHWM) of the page's renderer process (the largest of this browser's
// renderers; the page, its worker and their wasm memories live in one): everything Chromium
// keeps for the page. Linux only (null elsewhere).
function rendererPeakBytes(profileDir) {
  let peak = 0;
  for (const pid of existsSync('/proc') ? readdirSync('/proc').filter((d) => /^\d+$/.test(d)) : []) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || !cmd.includes(profileDir)) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch { /* the process ended */ }
  }
  return peak || null;
}

// What the page and its worker hold in JS (including wasm memories), by Chromium's own account.
// Chromium answers at its next garbage collection, up to a minute later, so it is asked once.
async function measuredBytes(page) {
  return page.evaluate(async () => {
    if (!globalThis.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
    return (await performance.measureUserAgentSpecificMemory()).bytes;
  });
}

// The page's phases on its own clock (ms from navigation start): the demo's and the package's.
const timings = (page) => page.evaluate(() => globalThis.localrecDemo.timings());

async function oneRun(server) {
  let browser = await launchBrowser();
  const errors = [];
  const watch = (page) => page.on('pageerror', (e) => errors.push(String(e)));
  try {
    let page = await browser.context.newPage();
    watch(page);
    await page.goto(`${server.url}/web/demo/`);
    await page.waitForSelector(READY, { timeout: 300000 });
    const ready = await page.evaluate(() => performance.now());
    const coldPhases = await timings(page);
    const [first, ...rest] = personas.flatMap((p) => p.posts.map((q) => q.text));
    const firstPost = await addPost(page, first);
    const posts = [];
    for (const text of rest.slice(0, Number(values.posts))) {
      posts.push(await addPost(page, text));
    }
    await page.reload();
    const warm = await (await page.waitForFunction(recsShown, null, { timeout: 300000 })).jsonValue();
    await page.waitForSelector(READY);
    const reloadPhases = await timings(page);
    const rss = rendererPeakBytes(browser.profileDir);
    // A returning user: the browser process ends, its caches stay on disk.
    const { profileDir } = browser;
    await browser.close({ keepProfile: true });
    browser = await launchBrowser({ profileDir });
    page = await browser.context.newPage();
    watch(page);
    await page.goto(`${server.url}/web/demo/`);
    const returning = await (await page.waitForFunction(recsShown, null, { timeout: 300000 })).jsonValue();
    await page.waitForSelector(READY);
    const returningPhases = await timings(page);
    const measured = values['no-memory'] ? null : await measuredBytes(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { ready, firstPost, coldFirstRec: ready + firstPost, post: median(posts), warm, returning,
             rss: Math.max(rss ?? 0, rendererPeakBytes(browser.profileDir) ?? 0) || null, measured,
             postsInProfile: 1 + posts.length, phases: { cold: coldPhases, reload: reloadPhases, returning: returningPhases } };
  } finally {
    await browser.close();
  }
}

function median(xs) {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const server = await startServer({ isolated: !values['no-isolation'], etag: true });
const runs = [];
const load = [os.loadavg()[0]];
try {
  for (let i = 0; i < (values['no-browser'] ? 0 : Number(values.runs)); i++) {
    runs.push(await oneRun(server));
    load.push(os.loadavg()[0]);
    const { phases, ...figures } = runs.at(-1);
    console.error(`bench/demo: run ${i + 1}/${values.runs} (load ${load.at(-1).toFixed(1)}): ${JSON.stringify(figures, (k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  }
} finally {
  await server.close();
}

// Node: a stored profile of the first persona, then fresh processes per backend.
const nodeRuns = { web: [], node: [] };
if (!values['no-node']) {
  const { init, loadModel, InterestProfile } = await import('localrec');
  await init();
  const model = await loadModel({ backend: 'web' });
  const profile = new InterestProfile(model, { halfLifeDays: 30 });
  await profile.addPosts(personas[0].posts.map((p, i) => ({ id: `p${i}`, text: p.text, time: Date.now() - p.daysAgo * 86400000 })));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'localrec-bench-'));
  const profilePath = path.join(dir, 'profile.bin');
  writeFileSync(profilePath, profile.toBytes());
  profile.dispose();
  await model.dispose();
  const child = fileURLToPath(new URL('./lib/startup-node.mjs', import.meta.url));
  const catalogPath = fileURLToPath(new URL('../web/demo/data/debian-apps.lrc', import.meta.url));
  try {
    for (let i = 0; i < Number(values.runs); i++) {
      for (const backend of ['web', 'node']) {
        const out = execFileSync(process.execPath, [child, catalogPath, profilePath, backend], { encoding: 'utf8' });
        nodeRuns[backend].push(JSON.parse(out.trim().split('\n').at(-1)));
      }
      load.push(os.loadavg()[0]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pick = (key) => median(runs.map((r) => r[key]).filter((v) => v !== null && v !== undefined)) ?? null;
const mb = (b) => (b ? `${(b / 2 ** 20).toFixed(0)} MB` : 'n/a');

// Phase table: per start-up scenario, each phase's start and end (ms from navigation start),
// medians over the runs. A phase that ran several times (e.g. two IndexedDB reads) is shown from
// its first start to its last end.
const SCENARIOS = ['cold', 'reload', 'returning'];
function spans(entries) {
  const out = new Map();
  for (const e of entries) {
    const name = e.name.replace(/^fetch (.*)$/, (_, f) => `fetch ${f}`);
    const prev = out.get(name);
    const end = e.start + e.duration;
    out.set(name, prev ? { start: Math.min(prev.start, e.start), end: Math.max(prev.end, end), n: prev.n + 1 }
      : { start: e.start, end, n: 1 });
  }
  return out;
}
const phaseTable = {};
for (const sc of SCENARIOS) {
  const perRun = runs.map((r) => spans(r.phases[sc]));
  const names = [...new Set(perRun.flatMap((m) => [...m.keys()]))];
  phaseTable[sc] = names.map((name) => {
    const got = perRun.map((m) => m.get(name)).filter(Boolean);
    return { name, start: median(got.map((g) => g.start)), end: median(got.map((g) => g.end)),
             ms: median(got.map((g) => g.end - g.start)), n: got[0].n };
  }).sort((a, b) => a.start - b.start);
}

const nodeResult = Object.fromEntries(Object.entries(nodeRuns).filter(([, r]) => r.length).map(([backend, r]) => [backend, {
  coldRecsMs: median(r.map((x) => x.cold.recsAt)), coldReadyMs: median(r.map((x) => x.cold.readyAt)),
  coldPostMs: median(r.map((x) => x.cold.post)), importMs: median(r.map((x) => x.cold.start)),
  warmRecsMs: median(r.map((x) => x.warm.recs)), warmReadyMs: median(r.map((x) => x.warm.ready)),
  phases: Object.fromEntries([...new Set(r.flatMap((x) => x.phases.map((p) => p.name)))].map((name) => [name,
    median(r.map((x) => x.phases.filter((p) => p.name === name).reduce((sum, p) => sum + p.duration, 0)))])),
}]));
const result = {
  coldReadyMs: pick('ready'), coldFirstPostMs: pick('firstPost'), coldFirstRecMs: pick('coldFirstRec'),
  postMs: pick('post'), warmFirstRecMs: pick('warm'), returningFirstRecMs: pick('returning'),
  peakRendererRssBytes: pick('rss'), measuredBytes: pick('measured'),
  isolated: !values['no-isolation'], runs: runs.length, loadAverage: { start: load[0], max: Math.max(...load), end: load.at(-1) },
  phases: phaseTable, node: nodeResult,
};
function printNode() {
  if (!Object.keys(nodeResult).length) return;
  const r = (b, k) => (nodeResult[b] ? `${nodeResult[b][k].toFixed(0)} ms` : '–');
  console.log('');
  console.log(`Node ${process.version}, the same start-up as a library user (bench/lib/startup-node.mjs), median of ${values.runs} fresh processes`);
  console.log('| measure | ONNX Runtime Web (wasm) | onnxruntime-node |');
  console.log('|---|---:|---:|');
  console.log(`| process start → package imported | ${r('web', 'importMs')} | ${r('node', 'importMs')} |`);
  console.log(`| process start → recommendations from a stored profile (init, openModel, Catalog.fromBytes, fromBytes, rank) | ${r('web', 'coldRecsMs')} | ${r('node', 'coldRecsMs')} |`);
  console.log(`| process start → encoder ready | ${r('web', 'coldReadyMs')} | ${r('node', 'coldReadyMs')} |`);
  console.log(`| then one new post → recommendations (first inference) | ${r('web', 'coldPostMs')} | ${r('node', 'coldPostMs')} |`);
  console.log(`| again in the same process: → recommendations / → encoder ready | ${r('web', 'warmRecsMs')} / ${r('web', 'warmReadyMs')} | ${r('node', 'warmRecsMs')} / ${r('node', 'warmReadyMs')} |`);
  const names = [...new Set(Object.values(nodeResult).flatMap((x) => Object.keys(x.phases)))];
  console.log(`| phases of the first round (ms): ${names.join(', ')} | ${names.map((n) => (nodeResult.web?.phases[n] ?? 0).toFixed(0)).join(', ')} | ${names.map((n) => (nodeResult.node?.phases[n] ?? 0).toFixed(0)).join(', ')} |`);
}

if (values.json) {
  console.log(JSON.stringify(result));
} else if (!runs.length) {
  printNode();
} else {
  const la = result.loadAverage;
  console.log(`Demo page in headless Chromium (${os.cpus().length} cores, ${result.isolated ? 'cross-origin isolated' : 'not isolated: one thread'}), median of ${runs.length} fresh profiles; load average ${la.start.toFixed(1)} at the start, ${la.end.toFixed(1)} at the end`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| cold load: navigation → model and catalogue ready | ${(result.coldReadyMs / 1000).toFixed(2)} s |`);
  console.log(`| cold load: first post → first recommendations | ${result.coldFirstPostMs.toFixed(0)} ms |`);
  console.log(`| cold load: navigation → first recommendations (sum) | ${(result.coldFirstRecMs / 1000).toFixed(2)} s |`);
  console.log(`| warm, reload (cached model, stored profile): navigation → recommendations | ${(result.warmFirstRecMs / 1000).toFixed(2)} s |`);
  console.log(`| warm, returning user (browser restarted): navigation → recommendations | ${(result.returningFirstRecMs / 1000).toFixed(2)} s |`);
  console.log(`| one more post → updated recommendations (median of ${values.posts}) | ${result.postMs.toFixed(0)} ms |`);
  console.log(`| peak memory: the page's renderer process, peak RSS (VmHWM) | ${mb(result.peakRendererRssBytes)} |`);
  console.log(`| memory after the warm load: page + worker JS and wasm (measureUserAgentSpecificMemory) | ${mb(result.measuredBytes)} |`);
  if (values.phases) {
    console.log('');
    console.log('Start-up phases, ms from navigation start (start → end, duration), medians; `worker` = in the Web Worker, `page` = the package on the page, `demo` = the demo page');
    const rows = new Map();
    for (const sc of SCENARIOS) for (const p of phaseTable[sc]) {
      if (!rows.has(p.name)) rows.set(p.name, { start: p.start });
      rows.get(p.name)[sc] = p;
    }
    const cell = (p) => (p ? `${p.start.toFixed(0)} → ${p.end.toFixed(0)} (${p.ms.toFixed(0)})` : '–');
    console.log(`| phase | ${SCENARIOS.join(' | ')} |`);
    console.log(`|---|${SCENARIOS.map(() => '---:').join('|')}|`);
    for (const [name, r] of [...rows].sort((a, b) => (a[1].cold?.start ?? a[1].start) - (b[1].cold?.start ?? b[1].start))) {
      console.log(`| ${name} | ${SCENARIOS.map((sc) => cell(r[sc])).join(' | ')} |`);
    }
  }
  printNode();
}
