// Chinese in a real browser: the dictionary is fetched only once Han text is analysed, and the
// analyser gives Chromium exactly the terms it gives Node, so a catalogue built by the CLI in
// Node answers a Chromium profile's Chinese queries the same way (tests/web/zh.test.mjs has the
// Node side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, Catalog, loadChinese, analyzeTerms } from 'localrec';
import { repoRoot, useBrowser } from '../../dev/harness.mjs';
import { ZH_TEXTS } from '../../dev/zh-texts.mjs';
import { personas } from '../../web/demo/personas.js';

const CATALOG_JSONL = path.join(repoRoot, 'tests/fixtures/zh-catalog.jsonl');
const items = readFileSync(CATALOG_JSONL, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const texts = [...ZH_TEXTS, ...items.map((it) => `${it.title}\n${it.text}`)];
const QUERIES = ['游戏', '遊戲', '解压缩', '输入法', '字体', '坦克大战游戏', '文件 压缩 工具'];

const catalogUrl = '/artifacts/zh-browser/zh.lrc';
const env = useBrowser({
  async setup() {
    // The catalogue the CLI builds in Node (fake model: only the lexical part matters here).
    const dir = path.join(repoRoot, 'artifacts/zh-browser');
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'web/cli.js'), 'build-catalog', CATALOG_JSONL,
      '-o', path.join(dir, 'zh.lrc'), '--model-module', fileURLToPath(new URL('../../dev/fake-model.mjs', import.meta.url)), '-q'],
    { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await init();
    await loadChinese();
  },
});

test('Chromium fetches the Chinese dictionary only for Han text and analyses like Node', async () => {
  const { page, errors } = await env.open();
  const dictRequests = () => env.server.requests.filter((r) => r.url.includes('localrec-zh.dict')).length;
  const before = await page.evaluate(async () => {
    const m = await import('localrec');
    await m.init();
    // English text, with the analyser and a catalogue search: no dictionary needed.
    const english = m.analyzeTerms('Telescope control and star charts');
    return { english, loaded: m.chineseLoaded() };
  });
  assert.deepEqual(before.english, ['telescope', 'control', 'star', 'chart']);
  assert.equal(before.loaded, false);
  assert.equal(dictRequests(), 0, 'no dictionary request for English text');

  const result = await page.evaluate(async ({ texts, queries, catalogUrl }) => {
    const m = await import('localrec');
    await m.loadChinese();
    const terms = texts.map((t) => m.analyzeTerms(t));
    const catalog = m.Catalog.fromBytes(await (await fetch(catalogUrl)).arrayBuffer());
    const hits = queries.map((q) => catalog.search(null, { terms: [{ term: q, weight: 1 }], k: 5 })
      .map((r) => [r.id, r.score]));
    catalog.dispose();
    return { terms, hits, loaded: m.chineseLoaded() };
  }, { texts, queries: QUERIES, catalogUrl });
  assert.equal(result.loaded, true);
  assert.equal(dictRequests(), 1, 'the dictionary is fetched once');

  // Node (this process, the same package) on the same texts: identical terms, text by text.
  texts.forEach((t, i) => assert.deepEqual(result.terms[i], analyzeTerms(t), t));
  const catalog = Catalog.fromBytes(readFileSync(path.join(repoRoot, 'artifacts/zh-browser/zh.lrc')));
  QUERIES.forEach((q, i) => {
    const node = catalog.search(null, { terms: [{ term: q, weight: 1 }], k: 5 }).map((r) => [r.id, r.score]);
    assert.deepEqual(result.hits[i], node, q);
    assert.ok(node.length > 0, `'${q}' matches the Chinese catalogue`);
  });
  catalog.dispose();
  assert.deepEqual(errors, []);
});

test('a profile of Chinese posts in Chromium keeps words as keywords and matches Node terms', async () => {
  const posts = ZH_TEXTS.slice(0, 8);
  const { page, errors } = await env.open();
  const keys = await page.evaluate(async (list) => {
    const m = await import('localrec');
    await m.init();
    // The bilingual model reads Chinese (the default refuses these posts as unreadable); served
    // as a folder, as an app serves a shipped model other than the default.
    const model = await m.loadModel({ url: new URL('/web/models/use-lite-bert-zh-2x128/', location.href).href });
    const profile = new m.InterestProfile(model);
    await profile.addPosts(list.map((text, i) => ({ id: `p${i}`, text, time: 1000 + i })));
    // The lexical query's keyword keys: analysed terms, as rank() sends them to the catalogue.
    const out = profile.query('lexical', { termSource: 'keywords', maxTerms: 40 }).terms.map((t) => t.term);
    profile.dispose();
    await model.dispose();
    return out;
  }, posts);
  const nodeTerms = new Set(posts.flatMap((t) => analyzeTerms(t)));
  assert.ok(keys.length >= 10);
  for (const key of keys) {
    // A keyword is a word or a 2-3 word phrase of the posts' own terms as Node analyses them.
    const words = key.split(' ');
    assert.ok(words.length >= 1 && words.length <= 3, key);
    for (const w of words) assert.ok(nodeTerms.has(w), `'${w}' (in '${key}') is one of Node's terms`);
  }
  assert.deepEqual(errors, []);
});

test('the demo on the default model refuses the Chinese persona\'s posts as unreadable, storing nothing', async () => {
  const demoCatalog = path.join(repoRoot, 'web/demo/data/debian-apps.lrc');
  assert.ok(existsSync(demoCatalog), 'web/demo/data/debian-apps.lrc is missing: run scripts/build-demo-catalog.sh');
  const page = await env.browser.context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${env.server.url}/web/demo/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 180000 });
  const persona = personas.find((p) => /[\u4e00-\u9fff]/.test(p.name));
  await page.click(`#persona-buttons button:text-is("${persona.name}")`);
  // USE Lite has no piece for Han characters: the posts would all get the same meaningless vector,
  // so the profile refuses them and says which model and how much of the text it cannot read.
  await page.waitForFunction(() => /unreadable/.test(document.querySelector('#message').textContent), null, { timeout: 120000 });
  const message = await page.$eval('#message', (el) => el.textContent);
  assert.match(message, /unreadable for the model 'use-lite-int8': \d+ %/, message);
  assert.equal(await page.$$eval('#interests .chip', (l) => l.length), 0, 'nothing was stored');
  assert.deepEqual(pageErrors, []);
  await page.close();
});
