// The demo page as a person uses it, in headless Chromium: a persona's posts give matching
// recommendations, a new topic takes over, the profile survives a reload and "forget me" erases
// it, bad input gets a clear message — and no data leaves the page: after the model and the
// catalogue are loaded, the page makes no request at all, and no request ever carries post text.
// Needs the demo catalogue (scripts/build-demo-catalog.sh; `npm test` builds it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { launchBrowser, startServer } from '../../dev/harness.mjs';
import { personas } from '../../web/demo/personas.js';

const CATALOG = new URL('../../web/demo/data/debian-apps.lrc', import.meta.url);
const items = new Map(gunzipSync(readFileSync(new URL('../../web/demo/data/debian-apps.jsonl.gz', import.meta.url)))
  .toString('utf8').trim().split('\n').map((l) => { const it = JSON.parse(l); return [it.id, it]; }));
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);

let browser, server;
const requests = [];
before(async () => {
  assert.ok(existsSync(CATALOG), 'web/demo/data/debian-apps.lrc is missing: run scripts/build-demo-catalog.sh');
  server = await startServer({ isolated: true });
  browser = await launchBrowser();
  browser.context.on('request', (r) => {
    requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() ?? '' });
  });
});
after(async () => { await browser?.close(); await server?.close(); });

async function openDemo(page) {
  await page.goto(`${server.url}/web/demo/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 180000 });
}
const recIds = (page) => page.$$eval('#recs li[data-id]', (lis) => lis.map((li) => li.dataset.id));
const message = (page) => page.textContent('#message');
async function clickPersona(page, name) {
  const before = await page.textContent('#timing');
  await page.click(`#persona-buttons button:text-is("${name}")`);
  await page.waitForFunction((b) => document.querySelector('#timing').textContent !== b &&
    document.querySelector('#message').textContent.startsWith('Added'), before, { timeout: 120000 });
}
const tagsOf = (id) => items.get(id)?.tags ?? [];

test('a persona gets matching recommendations, a new topic takes over, and nothing leaves the page', async () => {
  const page = await browser.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await openDemo(page);
  const loadedAt = requests.length;

  await clickPersona(page, 'Amateur astronomer');
  const astro = await recIds(page);
  assert.equal(astro.length, 10);
  const astroHits = astro.filter((id) => tagsOf(id).includes('field::astronomy') ||
    /astro|sky|star|planet|telescope/i.test(`${id} ${items.get(id)?.title}`));
  assert.ok(astroHits.length >= 5, `astronomy items in the top 10: ${astroHits.length} (${astro.join(', ')})`);
  const firstInterest = await page.textContent('#interests li:first-child');

  // A newer, different topic: the music producer's posts are all more recent than the astronomer's.
  await clickPersona(page, 'Home music producer');
  const music = await recIds(page);
  const soundHits = music.filter((id) => tagsOf(id).some((t) => t === 'section::sound' || t.startsWith('sound::')));
  assert.ok(soundHits.length >= 4, `sound items in the top 10 after the music posts: ${soundHits.length} (${music.join(', ')})`);
  const topInterest = await page.textContent('#interests li:first-child');
  assert.notEqual(topInterest, firstInterest, 'the heaviest interest should change');
  assert.match(topInterest, /audio|music|synth|midi|record|drum|mastering|sound|track|guitar/i);
  // Two unrelated topics stay two interests (they do not merge into one).
  const interests = await page.$$eval('#interests > li', (l) => l.map((li) => li.textContent));
  assert.ok(interests.length >= 2, `one interest for two topics: ${interests.join(' | ')}`);
  assert.ok(interests.some((t) => /telescope|jupiter|astro|sky|star|eyepiece/i.test(t)), interests.join(' | '));

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL('demo.png', ARTIFACTS).pathname, fullPage: true });

  // Privacy: not one request since loading finished; none at any time with post text in it;
  // nothing but this server.
  assert.deepEqual(requests.slice(loadedAt).map((r) => r.url), []);
  const fragments = personas.flatMap((p) => p.posts.map((post) => post.text.split(' ').slice(0, 4).join(' ')));
  for (const r of requests) {
    assert.ok(r.url.startsWith(server.url), `third-party request ${r.url}`);
    const carried = `${decodeURIComponent(r.url)} ${JSON.stringify(r.headers)} ${r.body}`;
    for (const f of fragments) assert.ok(!carried.includes(f), `a request carries post text: ${r.url}`);
  }
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('bad input gets a clear message and the page keeps working', async () => {
  const page = await browser.context.newPage();
  await openDemo(page);
  const before = requests.length;
  const post = async (text) => {
    // Each outcome writes a new message; clear it first so that the wait sees this post's.
    await page.evaluate(() => { document.querySelector('#message').textContent = ''; });
    await page.fill('#post-text', text);
    await page.click('#add-post');
    await page.waitForFunction(() => document.querySelector('#message').textContent !== '', null, { timeout: 120000 });
  };
  await post('   ');
  assert.match(await message(page), /Write something first/);
  await post('!!! ???');
  assert.match(await message(page), /no words/);
  // Text the model has no pieces for is refused, not stored as a meaningless vector.
  await post('🔭🌌✨');
  assert.match(await message(page), /unreadable for the model 'use-lite-int8': 100 %/);
  assert.doesNotMatch(await message(page), /To read Chinese/, 'the pointer to the bilingual model is for Chinese posts only');
  await post('x'.repeat(1 << 20));
  assert.match(await message(page), /very long post/);
  await post('Ich beobachte gern die Sterne mit meinem Teleskop.');
  assert.match(await message(page), /Post added/);
  assert.equal(await page.$$eval('#recs li[data-id]', (l) => l.length), 10);
  assert.deepEqual(requests.slice(before).map((r) => r.url), []);
  await page.close();
});

test('feedback and a reload keep the profile; "forget me" empties it and IndexedDB', async () => {
  const page = await browser.context.newPage();
  await openDemo(page);
  const posts = await page.$$eval('#posts li', (l) => l.length);
  assert.ok(posts > 0, 'the earlier tests left posts in this browser profile');
  // "Not for me" on the top recommendation: it goes, and stays gone after the reload.
  const [dismissed] = await recIds(page);
  await page.click(`#recs li[data-id="${dismissed}"] button:text-is("Not for me")`);
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('will not be suggested'));
  const recs = await recIds(page);
  assert.equal(recs.length, 10);
  assert.ok(!recs.includes(dismissed), `${dismissed} is still recommended after "Not for me"`);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 180000 });
  assert.match(await message(page), /Welcome back/);
  assert.equal(await page.$$eval('#posts li', (l) => l.length), posts);
  assert.deepEqual(await recIds(page), recs);
  // A returning user's recommendations come from the stored profile and the catalogue: they are
  // ranked before the encoder's ONNX Runtime session is even started (the page's phase record).
  const phases = await page.evaluate(() => globalThis.localrecDemo.timings());
  const phase = (name) => phases.find((p) => p.name === name);
  for (const name of ['demo:first-rank', 'worker ort-session', 'worker profile-restore', 'worker catalog-validate']) {
    assert.ok(phase(name), `no ${name} in ${phases.map((p) => p.name).join(', ')}`);
  }
  const ranked = phase('demo:first-rank');
  assert.ok(ranked.start + ranked.duration <= phase('worker ort-session').start,
    `first rank ended at ${ranked.start + ranked.duration} ms, the model session started at ${phase('worker ort-session').start} ms`);

  await page.click('#forget');
  await page.waitForFunction(() => document.querySelector('#message').textContent.startsWith('Forgotten'));
  assert.equal(await page.$$eval('#posts li', (l) => l.length), 0);
  const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(!dbs.includes('localrec'), `IndexedDB still has ${dbs}`);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 180000 });
  assert.equal(await page.$$eval('#posts li', (l) => l.length), 0);
  await page.close();
});

test('without cross-origin isolation the demo still works, on one thread, and says so', async () => {
  const plain = await startServer({ isolated: false });
  const page = await browser.context.newPage();
  try {
    await page.goto(`${plain.url}/web/demo/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180000 });
    assert.match(await page.textContent('#runtime-note'), /one thread/);
    await clickPersona(page, 'Security engineer');
    assert.equal((await recIds(page)).length, 10);
  } finally {
    await page.close();
    await plain.close();
  }
});
