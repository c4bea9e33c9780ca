#!/usr/bin/env node
// Checks an exported student in onnxruntime-node against PyTorch and its int8 form against fp32:
//   node models/distill/check.mjs --run RUN_DIR [--min-fp32 0.9999] [--min-int8 0.99]
// RUN_DIR holds model-fp32.onnx, model-int8.onnx and check.{json,f32} (PyTorch's embeddings of
// held-out texts with their WordPiece ids), written by `distill.py export`. Exits 1 when a cosine
// is below its bound. Prints one JSON line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { dot, studentEncoder, summary } from '../../dev/encoders.mjs';

const { values: args } = parseArgs({ options: {
  run: { type: 'string' }, 'min-fp32': { type: 'string', default: '0.9999' },
  'min-int8': { type: 'string', default: '0.99' }, tokenizer: { type: 'string' },
} });
if (!args.run) throw new Error('check.mjs: --run RUN_DIR is required');
const check = JSON.parse(readFileSync(path.join(args.run, 'check.json'), 'utf8'));
const raw = readFileSync(path.join(args.run, 'check.f32'));
const torchEmb = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
const ids = check.ids;
const dims = check.dims;

// The tokenizer is not used for ids here (they are the training ids); it only has to load.
const tokenizer = args.tokenizer ?? path.join(args.run, '..', '..', 'tokenizer', 'tokenizer.json');
const fp32 = await studentEncoder(path.join(args.run, 'model-fp32.onnx'), tokenizer);
const int8 = await studentEncoder(path.join(args.run, 'model-int8.onnx'), tokenizer);
const a = await fp32.embedIds(ids, { batchSize: 16 });
const b = await int8.embedIds(ids, { batchSize: 16 });
const vsTorch = summary(a.map((v, i) => dot(v, torchEmb.subarray(i * dims, (i + 1) * dims))));
const int8VsFp32 = summary(a.map((v, i) => dot(v, b[i])));
const ok = vsTorch.min >= Number(args['min-fp32']) && int8VsFp32.min >= Number(args['min-int8']);
console.log(JSON.stringify({ check: ok ? 'ok' : 'FAILED', texts: ids.length,
  ortFp32VsTorch: vsTorch, int8VsFp32 }));
process.exit(ok ? 0 : 1);
