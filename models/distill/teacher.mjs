#!/usr/bin/env node
// Teacher embeddings and student token ids for the distillation corpus, in resumable chunks.
//
// For each chunk of `--chunk` texts of a corpus file ("source<TAB>text" lines) this writes, under
// --out:
//   chunk-NNNNN.emb.f32   the teacher's embeddings, float32 [n, 512], in corpus order
//   chunk-NNNNN.wp.u16    the student's WordPiece ids (with [CLS]/[SEP], untruncated),
//                         concatenated; vocabularies < 2^16 pieces
// A line may have a third column ("source<TAB>teacher text<TAB>student text"): the student then
// learns the teacher's embedding of the second column from the WordPiece ids of the third (the
// bilingual step: Chinese text -> the teacher's embedding of its English translation). Equal
// teacher texts inside a chunk are embedded once.
//   chunk-NNNNN.json      n, per-text WordPiece and teacher token counts, the sha256 of the
//                         chunk's texts, the teacher's fingerprint; written last, so its presence
//                         marks a complete chunk (a killed run resumes at the first missing one)
// The teacher is a converted Universal Sentence Encoder Lite bundle (manifest.json, model.onnx,
// vocab.json) run by onnxruntime-node; its tokenizer is the original TF.js one (SentencePiece
// unigram, @tensorflow-models/universal-sentence-encoder). The student's tokenizer is Hugging
// Face's Rust tokenizer (@anush008/tokenizers) on the bert-base-uncased tokenizer.json.
// Batches are length-sorted inside a chunk; the teacher's result for a text does not depend on
// its batch in fp32; in int8 (the default teacher: the shipped model) it does slightly, so the
// chunking and sorting are deterministic.
//
// Usage: node models/distill/teacher.mjs --corpus FILE --teacher DIR --tokenizer tokenizer.json
//          --out DIR [--chunk 8192] [--batch-tokens 4096] [--threads 1] [--limit N] [--first-chunk K]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const { Tokenizer: WordPiece } = require('@anush008/tokenizers');
const { Tokenizer: UseTokenizer } = require('@tensorflow-models/universal-sentence-encoder');

const DIMS = 512;
const TEACHER_MAX = 128;  // the original graph only has 128 positions

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string' }, teacher: { type: 'string' }, tokenizer: { type: 'string' },
    out: { type: 'string' }, chunk: { type: 'string', default: '8192' },
    'batch-tokens': { type: 'string', default: '4096' }, threads: { type: 'string', default: '1' },
    limit: { type: 'string' }, 'first-chunk': { type: 'string', default: '0' },
  },
});
for (const k of ['corpus', 'teacher', 'tokenizer', 'out']) {
  if (!args[k]) throw new Error(`teacher.mjs: --${k} is required`);
}
const chunkSize = Number(args.chunk);
// A second corpus file adds its chunks after the first one's (the bilingual step's extra
// English replay): chunk files are numbered from here.
const firstChunk = Number(args['first-chunk']);
const batchTokens = Number(args['batch-tokens']);

const manifest = JSON.parse(readFileSync(path.join(args.teacher, 'manifest.json'), 'utf8'));
if (manifest.tokenizer.kind !== 'unigram' || manifest.output !== 'embedding' || manifest.dims !== DIMS) {
  throw new Error(`teacher.mjs: ${args.teacher} is not a USE Lite bundle (unigram, embedding[512])`);
}
const modelBytes = readFileSync(path.join(args.teacher, manifest.model.file));
const fingerprint = createHash('sha256').update(modelBytes).digest('hex');
if (fingerprint !== manifest.model.sha256) throw new Error('teacher.mjs: model sha256 differs from its manifest');
const useTok = new UseTokenizer(JSON.parse(readFileSync(path.join(args.teacher, manifest.tokenizer.file), 'utf8')));
const wordPiece = WordPiece.fromFile(args.tokenizer);
const session = await ort.InferenceSession.create(modelBytes, {
  intraOpNumThreads: Number(args.threads), interOpNumThreads: 1, executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});

let lines = readFileSync(args.corpus, 'utf8').split('\n').filter((l) => l.length > 0);
if (args.limit) lines = lines.slice(0, Number(args.limit));
const texts = lines.map((l) => l.split('\t')[1] ?? '');
const studentTexts = lines.map((l, i) => l.split('\t')[2] ?? texts[i]);
mkdirSync(args.out, { recursive: true });

const nChunks = Math.ceil(texts.length / chunkSize);
const started = Date.now();
let done = 0;
for (let c = 0; c < nChunks; c++) {
  const base = path.join(args.out, `chunk-${String(c + firstChunk).padStart(5, '0')}`);
  const chunkTexts = texts.slice(c * chunkSize, (c + 1) * chunkSize);
  const chunkStudent = studentTexts.slice(c * chunkSize, (c + 1) * chunkSize);
  const hash = createHash('sha256').update(chunkTexts.join('\n'));
  if (chunkStudent.some((t, i) => t !== chunkTexts[i])) hash.update('\0' + chunkStudent.join('\n'));
  const textsSha = hash.digest('hex');
  if (existsSync(`${base}.json`)) {
    const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
    if (meta.textsSha256 === textsSha && meta.teacherSha256 === fingerprint) continue;
  }
  const t0 = Date.now();
  const useIds = chunkTexts.map((t) => useTok.encode(t));
  const wpEnc = await wordPiece.encodeBatch(chunkStudent);
  const wpIds = wpEnc.map((e) => e.getIds());
  if (wpIds.some((x) => x.some((id) => id > 0xffff))) throw new Error('teacher.mjs: vocabulary over 2^16');

  const emb = new Float32Array(chunkTexts.length * DIMS);
  const firstOf = new Map();
  const copies = [];
  chunkTexts.forEach((t, i) => {
    if (firstOf.has(t)) copies.push([i, firstOf.get(t)]); else firstOf.set(t, i);
  });
  const order = [...firstOf.values()].sort((a, b) => useIds[a].length - useIds[b].length || a - b);
  for (let s = 0; s < order.length;) {
    const len = (i) => Math.max(1, Math.min(TEACHER_MAX, useIds[i].length));
    let e = s + 1;
    while (e < order.length && e - s < 256 && (e - s + 1) * len(order[e]) <= batchTokens) e++;
    const idx = order.slice(s, e);
    const T = Math.max(1, ...idx.map((i) => Math.min(TEACHER_MAX, useIds[i].length)));
    const ids = new BigInt64Array(idx.length * T);
    const mask = new BigInt64Array(idx.length * T);
    idx.forEach((i, r) => {
      const row = useIds[i].slice(0, TEACHER_MAX);
      row.forEach((id, t) => { ids[r * T + t] = BigInt(id); mask[r * T + t] = 1n; });
    });
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, [idx.length, T]),
      attention_mask: new ort.Tensor('int64', mask, [idx.length, T]),
    });
    const y = out[manifest.output].data;
    idx.forEach((i, r) => emb.set(y.subarray(r * DIMS, (r + 1) * DIMS), i * DIMS));
    s = e;
  }
  for (const [i, j] of copies) emb.copyWithin(i * DIMS, j * DIMS, (j + 1) * DIMS);

  const total = wpIds.reduce((a, x) => a + x.length, 0);
  const wp = new Uint16Array(total);
  let o = 0;
  for (const x of wpIds) { wp.set(x, o); o += x.length; }
  const write = (file, data) => { writeFileSync(`${file}.tmp`, data); renameSync(`${file}.tmp`, file); };
  write(`${base}.emb.f32`, Buffer.from(emb.buffer));
  write(`${base}.wp.u16`, Buffer.from(wp.buffer));
  write(`${base}.json`, JSON.stringify({
    n: chunkTexts.length, textsSha256: textsSha, teacherSha256: fingerprint, teacher: manifest.name,
    wpLengths: wpIds.map((x) => x.length), teacherLengths: useIds.map((x) => x.length),
  }));
  done += chunkTexts.length;
  const dt = (Date.now() - t0) / 1000;
  console.log(`teacher: chunk ${c + 1}/${nChunks} (${chunkTexts.length} texts) in ${dt.toFixed(1)} s, ` +
    `${(chunkTexts.length / dt).toFixed(0)} texts/s; ${((Date.now() - started) / 60000).toFixed(1)} min so far`);
}
console.log(`teacher: all ${nChunks} chunks of ${args.corpus} present in ${args.out} (${done} computed now)`);
