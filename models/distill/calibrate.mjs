#!/usr/bin/env node
// A model's calibration: the profile's similarity thresholds on this model's cosine scale.
//
// The profile's joinThreshold (0.4) and mergeThreshold (0.8) were chosen on USE Lite. Another
// model spreads the same texts differently (the distilled 2x128 puts unrelated texts at 0.37 on
// average where USE Lite has 0.27), so the same number means something else. This embeds the
// held-out related and unrelated pairs of calibration-pairs.tsv (calibration_pairs.py) with the
// reference (use-lite) and with the model, and maps each threshold by the affine map that sends
// the reference's mean unrelated and mean related cosine to the model's:
//   t_model = u_m + (t_ref - u_r) * (r_m - u_m) / (r_r - u_r)
// so a threshold keeps its place between "unrelated" and "related". The result goes into the
// bundle's manifest as `calibration` (with --write), which InterestProfile reads for its defaults.
//
// Usage: node models/distill/calibrate.mjs --model DIR_OR_NAME [--reference use-lite]
//          [--pairs models/distill/calibration-pairs.tsv] [--write] [--json OUT]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { init, loadModel } from '../../web/index.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const REFERENCE_THRESHOLDS = { joinThreshold: 0.4, mergeThreshold: 0.8 };

const { values: args } = parseArgs({ options: {
  model: { type: 'string' }, reference: { type: 'string', default: 'use-lite' },
  pairs: { type: 'string', default: path.join(HERE, 'calibration-pairs.tsv') },
  write: { type: 'boolean', default: false }, json: { type: 'string' },
} });
if (!args.model) throw new Error('calibrate.mjs: --model DIR_OR_NAME is required');

const load = (m) => (existsSync(path.join(m, 'manifest.json')) ? loadModel({ dir: m }) : loadModel({ name: m }));

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Mean cosine of the related and of the unrelated pairs under `model`. */
export async function pairCosines(model, rows) {
  const texts = [...new Set(rows.flatMap((r) => [r.a, r.b]))];
  const vectors = await model.embed(texts);
  const at = new Map(texts.map((t, i) => [t, vectors[i]]));
  const out = { related: [], unrelated: [] };
  for (const r of rows) out[r.label].push(dot(at.get(r.a), at.get(r.b)));
  return out;
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const round = (x) => Math.round(x * 1000) / 1000;

await init();
const pairsText = readFileSync(args.pairs, 'utf8');
const rows = pairsText.split('\n').filter(Boolean).map((l) => {
  const [label, , , a, b] = l.split('\t');
  return { label, a, b };
});
const reference = await load(args.reference);
const model = await load(args.model);
const ref = await pairCosines(reference, rows);
const cur = await pairCosines(model, rows);
const ur = mean(ref.unrelated), rr = mean(ref.related);
const um = mean(cur.unrelated), rm = mean(cur.related);
const map = (t) => round(um + (t - ur) * (rm - um) / (rr - ur));
const calibration = {
  reference: reference.name,
  joinThreshold: map(REFERENCE_THRESHOLDS.joinThreshold),
  mergeThreshold: Math.min(0.99, map(REFERENCE_THRESHOLDS.mergeThreshold)),
  method: 'affine map of the reference thresholds (join 0.4, merge 0.8) by the mean cosine of held-out unrelated and related pairs',
  pairs: {
    file: path.relative(path.join(HERE, '../..'), args.pairs),
    sha256: createHash('sha256').update(pairsText).digest('hex'),
    related: rows.filter((r) => r.label === 'related').length,
    unrelated: rows.filter((r) => r.label === 'unrelated').length,
  },
  reference_means: { unrelated: round(ur), related: round(rr) },
  model_means: { unrelated: round(um), related: round(rm) },
};
console.log(JSON.stringify({ model: model.name, fingerprint: model.fingerprint, calibration }, null, 2));
if (args.json) writeFileSync(args.json, JSON.stringify(calibration, null, 2) + '\n');
if (args.write) {
  const file = path.join(args.model, 'manifest.json');
  if (!existsSync(file)) throw new Error(`calibrate.mjs: --write needs a bundle folder (${file} not found)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  manifest.calibration = calibration;
  writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`calibrate.mjs: written to ${file}`);
}
await model.dispose();
await reference.dispose();
