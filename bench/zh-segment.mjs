// Chinese word segmentation, side by side: localrec's segmenter (wasm in Node, native, and wasm
// in headless Chromium with --browser) and the platform's Intl.Segmenter (Node's ICU, and
// Chromium's with --browser), each scored by word-level F1 against python3-jieba's jieba.cut
// (default mode, HMM on) on real Chinese text, with throughput. Corpora: Debian's zh_CN package
// descriptions outside the holdout list, and fortunes-zh (dev/zh-corpus.mjs).
// Usage: node bench/zh-segment.mjs [--browser] [--limit N]
// Needs: scripts/fetch-zh-corpus.sh, the native and wasm builds, python3-jieba, fortunes-zh.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpora } from '../dev/zh-corpus.mjs';
import { init } from '../web/index.js';
import { getCore } from '../web/src/core.js';
import { loadChinese } from '../web/src/chinese.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const browser = args.includes('--browser');
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Infinity;

const JIEBA = `
import sys, json, time, logging
import jieba
jieba.setLogLevel(logging.ERROR)
jieba.initialize()
texts = json.load(sys.stdin)
t = time.perf_counter()
out = [[w for w in jieba.cut(s) if w.strip()] for s in texts]
secs = time.perf_counter() - t
json.dump({"words": out, "secs": secs}, sys.stdout, ensure_ascii=False)
`;

function jieba(texts) {
  const r = spawnSync('/usr/bin/python3', ['-c', JIEBA], {
    input: JSON.stringify(texts), maxBuffer: 1 << 30, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`python3-jieba failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function native(texts, time) {
  const bin = path.join(root, 'build/native-release/bench_zh_segment_bench');
  const r = spawnSync(bin, time ? ['--time'] : [], {
    input: texts.join('\n') + '\n', maxBuffer: 1 << 30, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${bin} failed (build the native preset): ${r.stderr}`);
  if (time) return JSON.parse(r.stdout);
  return r.stdout.split('\n').slice(0, texts.length).map((l) => (l ? l.split('\x01') : []));
}

/** Word spans [start, end) in the text, found left to right (whitespace is never a word). */
function spans(text, words) {
  const out = new Set();
  let at = 0;
  for (const w of words) {
    const i = text.indexOf(w, at);
    if (i < 0) continue;  // a word the text does not hold (not expected): counts as wrong
    out.add(`${i}:${i + w.length}`);
    at = i + w.length;
  }
  return out;
}

function f1(texts, reference, got) {
  let tp = 0, nRef = 0, nGot = 0, same = 0;
  texts.forEach((t, i) => {
    const a = spans(t, reference[i]);
    const b = spans(t, got[i]);
    nRef += a.size;
    nGot += b.size;
    for (const s of b) if (a.has(s)) tp++;
    if (a.size === b.size && [...a].every((s) => b.has(s))) same++;
  });
  const p = tp / nGot, r = tp / nRef;
  return { f1: (2 * p * r) / (p + r), precision: p, recall: r, identical: same / texts.length };
}

function timed(fn, bytes) {
  // Repeat until a second has passed: small corpora still give a stable rate.
  let n = 0;
  const t0 = performance.now();
  let out;
  do { out = fn(); n++; } while (performance.now() - t0 < 1000);
  return { out, mbPerS: (n * bytes) / ((performance.now() - t0) / 1000) / 1e6 };
}

const intlSegment = (seg, t) => [...seg.segment(t)].map((s) => s.segment).filter((w) => w.trim());

async function inChromium(texts) {
  const { startServer, launchBrowser, openModulePage } = await import('../dev/harness.mjs');
  const server = await startServer();
  const b = await launchBrowser();
  try {
    const { page } = await openModulePage(b, server);
    return await page.evaluate(async (list) => {
      const m = await import('localrec');
      const { getCore } = await import('/web/src/core.js');
      await m.init();
      await m.loadChinese();
      const core = getCore();
      const seg = new Intl.Segmenter('zh', { granularity: 'word' });
      const bytes = new TextEncoder().encode(list.join('\n')).length;
      const run = (fn) => {
        let n = 0; const t0 = performance.now(); let out;
        do { out = list.map(fn); n++; } while (performance.now() - t0 < 1000);
        return { out, mbPerS: (n * bytes) / ((performance.now() - t0) / 1000) / 1e6 };
      };
      const ours = run((t) => core.segmentLikeJieba(t));
      const intl = run((t) => [...seg.segment(t)].map((s) => s.segment).filter((w) => w.trim()));
      return { ours, intl, userAgent: navigator.userAgent };
    }, texts);
  } finally {
    await b.close();
    await server.close();
  }
}

await init();
let t0 = performance.now();
await loadChinese();
const loadMs = performance.now() - t0;
const core = getCore();
const seg = new Intl.Segmenter('zh', { granularity: 'word' });
console.log(`localrec Chinese segmenter vs python3-jieba 0.42.1 (jieba.cut, default mode) — ${process.version}, ICU ${process.versions.icu}, ${(await import('node:os')).cpus()[0].model}`);
console.log(`dictionary load in wasm (inflate + parse): ${loadMs.toFixed(0)} ms\n`);

const rows = [];
for (const [name, all] of Object.entries(corpora())) {
  const texts = all.slice(0, limit);
  const bytes = Buffer.byteLength(texts.join('\n'));
  const ref = jieba(texts);
  const wasm = timed(() => texts.map((t) => core.segmentLikeJieba(t)), bytes);
  const nat = native(texts, false);
  const natSpeed = native(texts, true);
  const intl = timed(() => texts.map((t) => intlSegment(seg, t)), bytes);
  const row = { name, texts: texts.length, bytes, ref, wasm, nat, natSpeed, intl };
  if (browser) row.chromium = await inChromium(texts);
  rows.push(row);
  const jiebaMb = bytes / ref.secs / 1e6;
  const line = (label, q, mb) => console.log(`  ${label.padEnd(34)} F1 ${q.f1.toFixed(4)}  P ${q.precision.toFixed(4)}  R ${q.recall.toFixed(4)}  same texts ${(100 * q.identical).toFixed(1).padStart(5)} %  ${mb.toFixed(2).padStart(7)} MB/s`);
  console.log(`${name}: ${texts.length} texts, ${(bytes / 1e6).toFixed(2)} MB`);
  line('python3-jieba (reference)', { f1: 1, precision: 1, recall: 1, identical: 1 }, jiebaMb);
  line('localrec native', f1(texts, ref.words, nat), natSpeed.mb_per_s);
  line('localrec wasm (Node)', f1(texts, ref.words, wasm.out), wasm.mbPerS);
  line(`Intl.Segmenter (Node, ICU ${process.versions.icu})`, f1(texts, ref.words, intl.out), intl.mbPerS);
  if (row.chromium) {
    const c = row.chromium;
    line('localrec wasm (Chromium)', f1(texts, ref.words, c.ours.out), c.ours.mbPerS);
    line('Intl.Segmenter (Chromium)', f1(texts, ref.words, c.intl.out), c.intl.mbPerS);
    const differ = (a, b) => a.filter((w, i) => JSON.stringify(w) !== JSON.stringify(b[i])).length;
    console.log(`  texts segmented differently, Node vs Chromium: localrec ${differ(wasm.out, c.ours.out)}, Intl.Segmenter ${differ(intl.out, c.intl.out)}  (${c.userAgent.match(/Chrome\/[\d.]+/)?.[0]})`);
  }
  console.log(`  localrec native vs wasm: ${nat.filter((w, i) => JSON.stringify(w) !== JSON.stringify(wasm.out[i])).length} texts differ`);
  console.log('');
}
