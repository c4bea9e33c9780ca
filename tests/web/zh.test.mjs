// Chinese text in Node: the dictionary is fetched only when Han text shows up; the analyser's
// terms (paper example, Traditional, mixed scripts, numbers); `localrec build-catalog` on a real
// Chinese catalogue (tests/fixtures/zh-catalog.jsonl, Debian's zh_CN descriptions) gives BM25 terms
// that Chinese queries match; Chinese posts rank it sensibly by the lexical part alone.
// The same texts through Chromium: tests/browser/zh.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, Catalog, InterestProfile, loadChinese, chineseLoaded, analyzeTerms } from 'localrec';
import { loadModel } from '../../dev/fake-model.mjs';
import { ZH_TEXTS } from '../../dev/zh-texts.mjs';
import { hasHan } from '../../web/src/chinese.js';

const CLI = fileURLToPath(new URL('../../web/cli.js', import.meta.url));
const FAKE = fileURLToPath(new URL('../../dev/fake-model.mjs', import.meta.url));
const CATALOG = fileURLToPath(new URL('../fixtures/zh-catalog.jsonl', import.meta.url));
const items = new Map(readFileSync(CATALOG, 'utf8').trim().split('\n').map((l) => {
  const it = JSON.parse(l);
  return [it.id, it];
}));

let model;
before(async () => {
  await init();
  model = await loadModel();
});

// First in the file: the process has not loaded the dictionary yet.
test('a dictionary URL that serves an HTML page or nothing fails with the URL, and can be retried', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/spa') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html></html>');
    else res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await assert.rejects(loadChinese({ url: `${base}/spa` }), (e) => e.code === 'NotAFile' && e.url === `${base}/spa`);
    await assert.rejects(loadChinese({ url: `${base}/gone` }), (e) => e.code === 'NotFound' && /loadChinese\(\{ url \}\)/.test(e.message));
    await assert.rejects(loadChinese({ bytes: new TextEncoder().encode('LRZHDIC1 but not really') }), (e) => e.code === 'CorruptData');
    assert.equal(chineseLoaded(), false);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the Chinese dictionary is loaded only when a post has Han text', async () => {
  assert.equal(chineseLoaded(), false);
  const profile = new InterestProfile(model);
  await profile.addPosts([{ id: 'en', text: 'Telescope control and star charts for astronomy', time: 1 }]);
  assert.equal(chineseLoaded(), false, 'English posts do not fetch the dictionary');
  await profile.addPosts([{ id: 'zh', text: '我喜欢AI和电影，最近在研究旅游和科技。', time: 2 }]);
  assert.equal(chineseLoaded(), true);
  const keys = profile.keywords({ limit: 50 }).map((k) => k.text);
  assert.ok(keys.includes('电影') && keys.includes('旅游') && keys.includes('科技'), keys.join(' | '));
  assert.ok(!keys.some((k) => k.includes('我喜欢') || k.includes('最近在')), `no clauses: ${keys.join(' | ')}`);
  profile.dispose();
});

test('Han detection (what triggers the download) sees what the analyser will see after NFKC', () => {
  assert.equal(hasHan('Telescope control, café, Привет'), false);
  assert.equal(hasHan('喜欢'), true);
  assert.equal(hasHan('⼈'), true);  // a Kangxi radical: NFKC makes it 人
  assert.equal(hasHan('㊥'), true);  // circled 中
  assert.equal(hasHan('𠀀'), true);  // extension B, outside the BMP
});

test('the analyser: words not clauses, Traditional folded, mixed scripts, numbers', async () => {
  await loadChinese();
  assert.deepEqual(analyzeTerms('我喜欢AI和电影，最近在研究旅游和科技。'), ['ai', '电影', '研究', '旅游', '科技']);
  assert.deepEqual(analyzeTerms('我喜欢AI和电影'), ['ai', '电影']);
  assert.deepEqual(analyzeTerms('我喜歡看電影'), analyzeTerms('我喜欢看电影'));
  assert.deepEqual(analyzeTerms('ＡＩ和电影，２０２４年'), ['ai', '电影']);
  assert.deepEqual(analyzeTerms('2024年3月5日去了三十次图书馆'), ['图书馆']);
  for (const t of ZH_TEXTS) {
    for (const term of analyzeTerms(t)) {
      assert.ok([...term].length <= 8, `'${term}' from '${t}' is a word, not a clause`);
    }
  }
});

function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let catalogBytes;
async function chineseCatalog() {
  if (catalogBytes) return Catalog.fromBytes(catalogBytes);
  const dir = mkdtempSync(join(tmpdir(), 'localrec-zh-'));
  const output = join(dir, 'zh.lrc');
  const r = await runCli(['build-catalog', CATALOG, '-o', output, '--model-module', FAKE, '-q']);
  assert.equal(r.code, 0, r.stderr);
  catalogBytes = readFileSync(output);
  return Catalog.fromBytes(catalogBytes);
}

test('build-catalog on Chinese JSONL gives BM25 terms that Chinese queries match', async () => {
  const catalog = await chineseCatalog();
  assert.equal(catalog.size, 200);
  const lexical = (term) => catalog.search(null, { terms: [{ term, weight: 1 }], k: 5 });
  // 游戏 (game) is a word inside longer titles (坦克大战游戏): segmentation makes it a term.
  const games = lexical('游戏');
  assert.ok(games.length >= 4);
  for (const r of games) assert.ok(`${items.get(r.id).title}${items.get(r.id).text}`.includes('游戏'), r.id);
  // Traditional queries find the Simplified catalogue.
  assert.deepEqual(lexical('遊戲').map((r) => r.id), games.map((r) => r.id));
  // A query term that is only part of a word matches nothing: 戏 alone is not 游戏.
  assert.equal(lexical('戏').length, 0);
  const zip = lexical('解压缩').map((r) => r.id);
  assert.ok(zip.includes('unzip'), zip.join(' '));
  catalog.dispose();
});

test('Chinese posts rank the Chinese catalogue sensibly by the lexical part alone', async () => {
  const catalog = await chineseCatalog();
  const rankFor = async (posts) => {
    const profile = new InterestProfile(model);
    await profile.addPosts(posts.map((text, i) => ({ id: `p${i}`, text, time: 1000 + i })));
    const out = profile.rank(catalog, { strategy: 'lexical', k: 3 });
    profile.dispose();
    return out;
  };
  const games = await rankFor(['周末和朋友玩了坦克大战游戏，太好玩了。', '最近迷上了角色扮演游戏和冒险游戏。']);
  assert.equal(games.length, 3);
  // Relevant: Debian's section says games, or (packages outside the English list, such as a
  // game's data package) the synopsis says 游戏.
  const isGame = (it) => it.tags?.[0] === 'games' || (!it.tags && it.title.includes('游戏'));
  for (const r of games) assert.ok(isGame(items.get(r.id)), `${r.id}: ${items.get(r.id).title}`);
  const archives = await rankFor(['我需要解压缩 zip 和 gzip 文件。', '有没有好用的压缩工具？']);
  for (const r of archives) {
    assert.match(`${items.get(r.id).title}${items.get(r.id).text}`, /压缩/, `${r.id}: ${items.get(r.id).title}`);
  }
  catalog.dispose();
});
