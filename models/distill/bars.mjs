#!/usr/bin/env node
// The distillation's bars, side by side with the teacher (issue 7):
//   * WordNet triplets (../shared/data/wordnet-triplets.jsonl): accuracy of cos(anchor, positive)
//     above cos(anchor, easy negative), above the hard negative, and above both; TF-IDF baseline;
//   * cosine to the teacher on the held-out corpus texts (by source);
//   * int8 vs fp32 cosine of the student (held-out texts and triplet glosses);
//   * speed per short post in ONNX Runtime Web (wasm, 1 thread), one post per call, tokenisation
//     included, teacher and student measured alternately in the same process.
// Usage: node models/distill/bars.mjs --student BUNDLE_DIR [--fp32 model-fp32.onnx]
//          [--teacher DIR] [--heldout heldout.tsv] [--triplets FILE] [--posts 200] [--json OUT]
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { dot, studentEncoder, summary, teacherEncoder } from '../../dev/encoders.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values: args } = parseArgs({ options: {
  student: { type: 'string' }, fp32: { type: 'string' }, teacher: { type: 'string' },
  heldout: { type: 'string', default: path.join(ROOT, '.cache/distill/corpus/heldout.tsv') },
  triplets: { type: 'string', default: path.join(ROOT, '../shared/data/wordnet-triplets.jsonl') },
  posts: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' },
  json: { type: 'string' }, 'skip-speed': { type: 'boolean', default: false },
  browser: { type: 'boolean', default: false },
} });
if (!args.student) throw new Error('bars.mjs: --student BUNDLE_DIR is required');
const teacherDir = args.teacher
  ?? [path.join(ROOT, 'web/models/use-lite'), path.join(ROOT, '.cache/distill/teacher/use-lite')].find((d) => existsSync(path.join(d, 'manifest.json')));
if (!teacherDir) throw new Error('bars.mjs: no teacher bundle: run scripts/build-models.sh use-lite or pass --teacher');
let triplets = args.triplets;
if (!existsSync(triplets) && existsSync('/work/shared/data/wordnet-triplets.jsonl')) triplets = '/work/shared/data/wordnet-triplets.jsonl';

const studentManifest = JSON.parse(readFileSync(path.join(args.student, 'manifest.json'), 'utf8'));
const tokJson = path.join(args.student, studentManifest.tokenizer.file);
const teacher = await teacherEncoder(teacherDir);
const models = [{ key: 'teacher', label: `teacher ${teacher.name}`, enc: teacher,
  bytes: statSync(path.join(teacherDir, 'model.onnx')).size }];
if (args.fp32) {
  models.push({ key: 'fp32', label: `${studentManifest.name} fp32`,
    enc: await studentEncoder(args.fp32, tokJson), bytes: statSync(args.fp32).size });
}
models.push({ key: 'int8', label: `${studentManifest.name} int8`,
  enc: await studentEncoder(path.join(args.student, studentManifest.model.file), tokJson),
  bytes: studentManifest.model.bytes });
const results = { teacher: teacherDir, student: args.student, models: {} };
for (const m of models) results.models[m.key] = { label: m.label, bytes: m.bytes };

// --- WordNet triplets ------------------------------------------------------------------------
function tripletScores(vec, n) {
  let easy = 0, hard = 0, both = 0;
  for (let i = 0; i < n; i++) {
    const [a, p, e, h] = [vec(4 * i), vec(4 * i + 1), vec(4 * i + 2), vec(4 * i + 3)];
    const ap = dot(a, p), ae = dot(a, e), ah = dot(a, h);
    easy += ap > ae; hard += ap > ah; both += ap > ae && ap > ah;
  }
  return { easy: easy / n, hard: hard / n, both: both / n, n };
}

function tfidfVectors(texts) {
  const docs = texts.map((t) => (t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  const df = new Map();
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  return docs.map((d) => {
    const tf = new Map();
    for (const w of d) tf.set(w, (tf.get(w) ?? 0) + 1);
    let norm = 0;
    const v = new Map();
    for (const [w, c] of tf) {
      const x = c * (Math.log((1 + docs.length) / (1 + df.get(w))) + 1);
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  });
}
const sparseDot = (a, b) => { let s = 0; for (const [w, x] of a) s += x * (b.get(w) ?? 0); return s; };

let tripletTexts = null;
if (existsSync(triplets)) {
  const rows = readFileSync(triplets, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  tripletTexts = rows.flatMap((r) => [r.anchor_text, r.positive_text, r.negative_text, r.negative_hard_text]);
  results.triplets = { file: triplets, n: rows.length, scores: {} };
  for (const m of models) {
    const v = await m.enc.embed(tripletTexts, { batchSize: 32 });
    m.tripletVectors = v;
    results.triplets.scores[m.key] = tripletScores((i) => v[i], rows.length);
  }
  const tf = tfidfVectors(tripletTexts);
  let easy = 0, hard = 0, both = 0;
  for (let i = 0; i < rows.length; i++) {
    const ap = sparseDot(tf[4 * i], tf[4 * i + 1]), ae = sparseDot(tf[4 * i], tf[4 * i + 2]);
    const ah = sparseDot(tf[4 * i], tf[4 * i + 3]);
    easy += ap > ae; hard += ap > ah; both += ap > ae && ap > ah;
  }
  results.triplets.scores.tfidf = { easy: easy / rows.length, hard: hard / rows.length, both: both / rows.length, n: rows.length };
} else {
  results.triplets = { absent: `${triplets} not found: the WordNet bar was not measured` };
}

// --- held-out cosine to the teacher, and int8 vs fp32 ----------------------------------------
let heldout = [];
if (existsSync(args.heldout)) {
  heldout = readFileSync(args.heldout, 'utf8').split('\n').filter(Boolean).map((l) => {
    const tab = l.indexOf('\t');
    return { source: l.slice(0, tab), text: l.slice(tab + 1) };
  }).filter((r) => teacher.tokenize(r.text).length > 0 && teacher.tokenize(r.text).length <= 128);
  const texts = heldout.map((r) => r.text);
  for (const m of models) m.heldoutVectors = await m.enc.embed(texts, { batchSize: 32 });
  results.heldout = { file: args.heldout, n: texts.length, toTeacher: {} };
  for (const m of models.slice(1)) {
    const cos = m.heldoutVectors.map((v, i) => dot(v, models[0].heldoutVectors[i]));
    const bySource = {};
    heldout.forEach((r, i) => (bySource[r.source] ??= []).push(cos[i]));
    results.heldout.toTeacher[m.key] = { all: summary(cos),
      bySource: Object.fromEntries(Object.entries(bySource).map(([s, c]) => [s, summary(c).mean])) };
  }
}
const fp32 = models.find((m) => m.key === 'fp32');
const int8 = models.find((m) => m.key === 'int8');
if (fp32) {
  const cos = [];
  for (const set of ['heldoutVectors', 'tripletVectors']) {
    if (fp32[set]) fp32[set].forEach((v, i) => cos.push(dot(v, int8[set][i])));
  }
  results.int8VsFp32 = summary(cos);
}

// --- speed per short post, ORT Web wasm, 1 thread -------------------------------------------
if (!args['skip-speed']) {
  const posts = (heldout.length ? heldout.map((r) => r.text) : tripletTexts ?? [])
    .filter((t) => { const w = t.split(/\s+/).length; return w >= 5 && w <= 30; })
    .slice(0, Number(args.posts));
  // Tokenisation is left out of the timing: the reference tokenizers used here (TF.js's
  // Unigram in plain JS, Hugging Face's in native code) are not the package's (one C++ core
  // for both), and the TF.js one alone costs several ms per post.
  results.speed = { posts: posts.length, rounds: Number(args.rounds), note: 'session.run + pooling per post, tokenisation excluded', postTexts: posts };
  for (const runtime of ['web', 'node']) {
    const encs = [
      { key: 'teacher', enc: await teacherEncoder(teacherDir, { runtime, threads: 1 }) },
      { key: 'int8', enc: await studentEncoder(path.join(args.student, studentManifest.model.file), tokJson, { runtime, threads: 1 }) },
    ];
    for (const w of encs) {
      w.ids = await w.enc.encodeIds(posts);
      for (const x of w.ids.slice(0, 10)) await w.enc.embedIds([x]);
      w.ms = [];
    }
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const w of encs) {
        const t0 = performance.now();
        for (const x of w.ids) await w.enc.embedIds([x]);
        w.ms.push((performance.now() - t0) / posts.length);
      }
    }
    const name = runtime === 'web' ? 'onnxruntime-web (wasm, 1 thread) in Node' : 'onnxruntime-node (1 thread)';
    const best = Object.fromEntries(encs.map((w) => [w.key, Math.min(...w.ms)]));
    results.speed[runtime] = { runtime: name, msPerPost: best, allRounds: Object.fromEntries(encs.map((w) => [w.key, w.ms])),
      studentOverTeacher: best.int8 / best.teacher,
      meanTokens: Object.fromEntries(encs.map((w) => [w.key, w.ids.reduce((a, x) => a + x.length, 0) / w.ids.length])) };
  }
}

// --- the same in Chromium (ORT Web wasm, 1 thread, no cross-origin isolation) ---------------
if (!args['skip-speed'] && args.browser) {
  const { launchBrowser, startServer } = await import('../../dev/harness.mjs');
  const { mkdtempSync, copyFileSync, rmSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  // A throw-away web root: ORT Web's files and the two models (the repository's .cache is not served).
  const root = mkdtempSync(path.join(tmpdir(), 'distill-bars-'));
  const ortDist = path.join(ROOT, 'node_modules/onnxruntime-web/dist');
  mkdirSync(path.join(root, 'ort'));
  for (const f of ['ort.wasm.bundle.min.mjs', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
    copyFileSync(path.join(ortDist, f), path.join(root, 'ort', f));
  }
  copyFileSync(path.join(teacherDir, 'model.onnx'), path.join(root, 'teacher.onnx'));
  copyFileSync(path.join(args.student, studentManifest.model.file), path.join(root, 'student.onnx'));
  const server = await startServer({ root, isolated: false });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/ort/ort-wasm-simd-threaded.mjs`);
    const posts = results.speed.postTexts;
    const ids = { teacher: await teacher.encodeIds(posts), int8: await models.at(-1).enc.encodeIds(posts) };
    const ms = await page.evaluate(async ({ ids, rounds }) => {
      const ort = await import('/ort/ort.wasm.bundle.min.mjs');
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.wasmPaths = '/ort/';
      const sessions = {
        teacher: await ort.InferenceSession.create('/teacher.onnx', { executionProviders: ['wasm'] }),
        int8: await ort.InferenceSession.create('/student.onnx', { executionProviders: ['wasm'] }),
      };
      const run = async (key, x) => {
        const T = x.length;
        const feeds = {
          input_ids: new ort.Tensor('int64', BigInt64Array.from(x, BigInt), [1, T]),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
        };
        if (key === 'int8') feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(T), [1, T]);
        const out = await sessions[key].run(feeds);
        return Object.values(out)[0].data[0];
      };
      const res = { teacher: [], int8: [] };
      for (const key of Object.keys(res)) for (const x of ids[key].slice(0, 10)) await run(key, x);
      for (let r = 0; r < rounds; r++) {
        for (const key of Object.keys(res)) {
          const t0 = performance.now();
          for (const x of ids[key]) await run(key, x);
          res[key].push((performance.now() - t0) / ids[key].length);
        }
      }
      return res;
    }, { ids, rounds: Number(args.rounds) });
    const best = { teacher: Math.min(...ms.teacher), int8: Math.min(...ms.int8) };
    results.speed.chromium = { runtime: 'ONNX Runtime Web (wasm, 1 thread) in headless Chromium', msPerPost: best,
      allRounds: ms, studentOverTeacher: best.int8 / best.teacher,
      meanTokens: { teacher: ids.teacher.reduce((a, x) => a + x.length, 0) / posts.length,
        int8: ids.int8.reduce((a, x) => a + x.length, 0) / posts.length } };
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
if (results.speed) delete results.speed.postTexts;

// --- the table ------------------------------------------------------------------------------
const f = (x, d = 3) => (x === undefined ? '-' : x.toFixed(d));
const lines = [];
lines.push(`teacher: ${teacherDir}\nstudent: ${args.student}`);
lines.push('| model | MB | triplets easy | hard | both | held-out cos to teacher (mean / p10) | ms per short post (ORT Web wasm, 1 thread; Chromium if measured) |');
lines.push('|---|---|---|---|---|---|---|');
for (const m of models) {
  const t = results.triplets.scores?.[m.key] ?? {};
  const h = results.heldout?.toTeacher[m.key]?.all;
  const ms = (results.speed?.chromium ?? results.speed?.web)?.msPerPost[m.key];
  lines.push(`| ${m.label} | ${(m.bytes / 1e6).toFixed(1)} | ${f(t.easy)} | ${f(t.hard)} | ${f(t.both)} | ` +
    `${m.key === 'teacher' ? '1 (itself)' : h ? `${f(h.mean)} / ${f(h.p10)}` : '-'} | ${ms === undefined ? '-' : f(ms, 2)} |`);
}
const tt = results.triplets.scores?.tfidf;
if (tt) lines.push(`| TF-IDF baseline | - | ${f(tt.easy)} | ${f(tt.hard)} | ${f(tt.both)} | - | - |`);
if (results.triplets.absent) lines.push(results.triplets.absent);
if (results.int8VsFp32) lines.push(`int8 vs fp32 cosine: mean ${f(results.int8VsFp32.mean, 4)}, p1 ${f(results.int8VsFp32.p1, 4)}, min ${f(results.int8VsFp32.min, 4)} (${results.int8VsFp32.n} texts)`);
if (results.speed) {
  for (const r of ['chromium', 'web', 'node']) {
    const sp = results.speed[r];
    if (!sp) continue;
    lines.push(`speed, ${sp.runtime}: teacher ${f(sp.msPerPost.teacher, 2)} ms, student ${f(sp.msPerPost.int8, 2)} ms per post; ` +
      `student / teacher = ${f(sp.studentOverTeacher, 2)} (${results.speed.posts} posts of ${f(sp.meanTokens.teacher, 1)} / ${f(sp.meanTokens.int8, 1)} tokens, best of ${results.speed.rounds} rounds, tokenisation excluded)`);
  }
}
if (results.heldout) {
  const key = fp32 ? 'fp32' : 'int8';
  lines.push(`held-out cos to teacher by source (${key}): ` + Object.entries(results.heldout.toTeacher[key].bySource)
    .map(([s, c]) => `${s} ${f(c)}`).join(', '));
}
console.log(lines.join('\n'));
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2) + '\n');
