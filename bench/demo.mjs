// The demo page's speed and memory, as a person meets them, in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core): `npm run bench:demo [-- --runs 3 --no-isolation]`.
//   cold load  a fresh browser profile (empty HTTP cache and IndexedDB): navigation -> page
//              ready (model and catalogue loaded), then the first post -> first recommendations
//   post       one more post -> updated recommendations (median over --posts posts)
//   warm load  a reload with the cached model and the stored profile: navigation ->
//              recommendations on screen
//   memory     the peak resident memory of the browser's renderer processes over the run (the page,
//              its worker, their wasm memories), and what Chromium itself counts for the page and
//              its worker at the end (performance.measureUserAgentSpecificMemory)
// Each figure is the median over --runs fresh browser profiles. Needs the demo catalogue
// (scripts/build-demo-catalog.sh).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchBrowser, startServer } from '../tests/browser/harness.mjs';
import { personas } from '../web/demo/personas.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    posts: { type: 'string', default: '5' },
    'no-isolation': { type: 'boolean', default: false },
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

async function oneRun(server) {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/web/demo/`);
    await page.waitForSelector(READY, { timeout: 300000 });
    const ready = await page.evaluate(() => performance.now());
    const [first, ...rest] = personas.flatMap((p) => p.posts.map((q) => q.text));
    const firstPost = await addPost(page, first);
    const posts = [];
    for (const text of rest.slice(0, Number(values.posts))) {
      posts.push(await addPost(page, text));
    }
    await page.reload();
    const warm = await (await page.waitForFunction(recsShown, null, { timeout: 300000 })).jsonValue();
    await page.waitForSelector(READY);
    const measured = await measuredBytes(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { ready, firstPost, coldFirstRec: ready + firstPost, post: median(posts), warm,
             rss: rendererPeakBytes(browser.profileDir), measured, postsInProfile: 1 + posts.length };
  } finally {
    await browser.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const server = await startServer({ isolated: !values['no-isolation'] });
const runs = [];
try {
  for (let i = 0; i < Number(values.runs); i++) {
    runs.push(await oneRun(server));
    console.error(`bench/demo: run ${i + 1}/${values.runs}: ${JSON.stringify(runs.at(-1), (k, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  }
} finally {
  await server.close();
}

const pick = (key) => median(runs.map((r) => r[key]));
const mb = (b) => (b ? `${(b / 2 ** 20).toFixed(0)} MB` : 'n/a');
const result = {
  coldReadyMs: pick('ready'), coldFirstPostMs: pick('firstPost'), coldFirstRecMs: pick('coldFirstRec'),
  postMs: pick('post'), warmFirstRecMs: pick('warm'), peakRendererRssBytes: pick('rss'), measuredBytes: pick('measured'),
  isolated: !values['no-isolation'], runs: runs.length,
};
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`Demo page in headless Chromium (${os.cpus().length} cores, ${result.isolated ? 'cross-origin isolated' : 'not isolated: one thread'}), median of ${runs.length} fresh profiles`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| cold load: navigation → model and catalogue ready | ${(result.coldReadyMs / 1000).toFixed(2)} s |`);
  console.log(`| cold load: first post → first recommendations | ${result.coldFirstPostMs.toFixed(0)} ms |`);
  console.log(`| cold load: navigation → first recommendations (sum) | ${(result.coldFirstRecMs / 1000).toFixed(2)} s |`);
  console.log(`| warm load (cached model, stored profile): navigation → recommendations | ${(result.warmFirstRecMs / 1000).toFixed(2)} s |`);
  console.log(`| one more post → updated recommendations (median of ${values.posts}) | ${result.postMs.toFixed(0)} ms |`);
  console.log(`| peak memory: the page's renderer process, peak RSS (VmHWM) | ${mb(result.peakRendererRssBytes)} |`);
  console.log(`| memory after the warm load: page + worker JS and wasm (measureUserAgentSpecificMemory) | ${mb(result.measuredBytes)} |`);
}
