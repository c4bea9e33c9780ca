#!/usr/bin/env node
// The Blends bar, paired: per strategy, the student's NDCG@10 / Recall@50 minus the teacher's,
// over the same users, with 95 % bootstrap intervals (dev/metrics.mjs).
// Usage: node bench/eval-blends.mjs --json teacher.json
//        node bench/eval-blends.mjs --model BUNDLE_DIR --json student.json
//        node models/distill/eval-diff.mjs teacher.json student.json
import { readFileSync } from 'node:fs';

import { bootstrap } from '../../dev/metrics.mjs';

const [teacherFile, studentFile] = process.argv.slice(2);
if (!studentFile) throw new Error('usage: eval-diff.mjs TEACHER.json STUDENT.json (from eval-blends --json)');
const [t, s] = [teacherFile, studentFile].map((f) => JSON.parse(readFileSync(f, 'utf8')));
if (t.users !== s.users) throw new Error(`different users: ${t.users} vs ${s.users}`);
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const f = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);
const ci = (b) => `${f(b.mean)} [${f(b.lo)}, ${f(b.hi)}]`;
const best = (r) => Object.keys(r.perUser).reduce((a, b) => (mean(r.perUser[b].ndcg) > mean(r.perUser[a].ndcg) ? b : a));
console.log(`| strategy | NDCG@10 teacher | student | student - teacher (95 % CI) | Recall@50 student - teacher |`);
console.log('|---|---|---|---|---|');
for (const name of Object.keys(t.perUser)) {
  if (!s.perUser[name] || name === 'random') continue;
  const [a, b] = [t.perUser[name], s.perUser[name]];
  console.log(`| ${name} | ${mean(a.ndcg).toFixed(3)} | ${mean(b.ndcg).toFixed(3)} | ${ci(bootstrap(b.ndcg, { paired: a.ndcg }))} | ` +
    `${ci(bootstrap(b.recall, { paired: a.recall }))} |`);
}
const [bt, bs] = [best(t), best(s)];
const d = mean(s.perUser[bs].ndcg) - mean(t.perUser[bt].ndcg);
console.log(`best strategy by NDCG@10: teacher ${bt} ${mean(t.perUser[bt].ndcg).toFixed(3)}, ` +
  `student ${bs} ${mean(s.perUser[bs].ndcg).toFixed(3)}: difference ${f(d)} (bar: no worse than -0.010)`);
