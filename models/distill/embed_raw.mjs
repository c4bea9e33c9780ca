#!/usr/bin/env node
// The pooled sentence vectors of a bundle *before* L2 normalisation, as the package computes them
// (its tokenizer, ONNX Runtime, mean pooling or the graph's own sentence output; only the
// manifest's `normalize` is turned off), for center.py, which estimates the space's common
// direction from them and checks the centred graph.
// Usage: node models/distill/embed_raw.mjs --model BUNDLE_DIR --texts FILE --out FILE.f32
//   FILE: one text per line. FILE.f32: little-endian float32, one row of `dims` per text.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { init, loadModel } from '../../web/index.js';

const { values: args } = parseArgs({ options: {
  model: { type: 'string' }, texts: { type: 'string' }, out: { type: 'string' },
} });
if (!args.model || !args.texts || !args.out) throw new Error('embed_raw.mjs: --model, --texts and --out are required');

const files = {};
for (const f of readdirSync(args.model)) files[f] = readFileSync(path.join(args.model, f));
const manifest = JSON.parse(files['manifest.json']);
if (!['mean', 'none'].includes(manifest.pooling)) throw new Error(`embed_raw.mjs: ${args.model} pools by ${manifest.pooling}`);
files['manifest.json'] = Buffer.from(JSON.stringify({ ...manifest, normalize: false }));

await init();
const model = await loadModel({ files });
const texts = readFileSync(args.texts, 'utf8').split('\n').filter(Boolean);
const out = new Float32Array(texts.length * model.dims);
const step = 2048;
for (let i = 0; i < texts.length; i += step) {
  const vectors = await model.embed(texts.slice(i, i + step));
  vectors.forEach((v, j) => out.set(v, (i + j) * model.dims));
}
await model.dispose();
writeFileSync(args.out, Buffer.from(out.buffer));
console.log(`embed_raw: ${texts.length} texts x ${model.dims} dims -> ${args.out}`);
