#!/usr/bin/env node
// The Chinese bars of the bilingual student (docs/distill.md), beside use-lite's figures:
//   * zh->en recall@10: each evaluation package's Chinese description (DDTP), with every word
//     in Latin letters removed (program names would otherwise match without any Chinese
//     understanding), ranks the English descriptions of all evaluation packages; recall@k is the
//     share whose own English description is in the top k. The packages (zh/eval.tsv, made by
//     zh_corpus.py) are neither held out (zh-holdout-packages.txt) nor trained on (nor any
//     sibling from the same source package).
//   * mean cosine of unrelated Chinese texts: every pair of different evaluation packages'
//     Chinese descriptions (Latin words removed), and the short posts on unrelated topics.
// Models are loaded by the package's loadModel(), as an application would.
// Usage: node models/distill/zh_bars.mjs [--eval models/distill/zh-eval.tsv] --model DIR_OR_NAME
//          [--model ...] [--json OUT]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { init, loadModel } from '../../web/index.js';

const { values: args } = parseArgs({ options: {
  eval: { type: 'string', default: new URL('./zh-eval.tsv', import.meta.url).pathname }, model: { type: 'string', multiple: true, default: ['use-lite'] },
  json: { type: 'string' },
} });


// Words with Latin letters (and the digits, dots, dashes and pluses glued to them) go.
export const stripLatin = (t) => t.replace(/[A-Za-z0-9_.+#/-]*[A-Za-z][A-Za-z0-9_.+#/-]*/g, ' ')
  .replace(/\s+/g, ' ').trim();

// Short posts on unrelated topics, written for this check (not from any package).
const POSTS = ['我喜欢足球和篮球。', '今天股市大跌。', '我喜欢AI和电影，最近在研究旅游和科技。',
  '周末在家烤面包，酵母发得很好。', '昨晚用望远镜看到了土星环。', '这首钢琴曲的和弦很难弹。',
  '医生建议我多喝水，早点睡觉。', '我们公司下个月要搬到上海。', '孩子的数学作业越来越难了。',
  '雨季来了，花园里的番茄长得很快。'].map(stripLatin);
// The same posts in English: what the teacher makes of the meaning (the student's target scale).
const POSTS_EN = ['I like football and basketball.', 'The stock market fell sharply today.',
  'I like AI and films, and lately I have been looking into travel and technology.',
  'Baked bread at home this weekend, the yeast rose well.', 'Saw the rings of Saturn through the telescope last night.',
  'The chords of this piano piece are hard to play.', 'The doctor told me to drink more water and go to bed earlier.',
  'Our company moves to Shanghai next month.', "The children's maths homework keeps getting harder.",
  'The rainy season is here and the tomatoes in the garden grow fast.'];

const rows = readFileSync(args.eval, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [pkg, en, zh] = l.split('\t');
  return { pkg, en, zh: stripLatin(zh) };
});
const dot = (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

await init();
const results = { eval: args.eval, n: rows.length, models: {} };
for (const name of args.model) {
  const model = existsSync(path.join(name, 'manifest.json')) ? await loadModel({ dir: name }) : await loadModel({ name });
  const en = await model.embed(rows.map((r) => r.en));
  const zh = await model.embed(rows.map((r) => r.zh));
  const ranks = zh.map((q, i) => {
    const mine = dot(q, en[i]);
    let better = 0;
    for (let j = 0; j < en.length; j++) if (j !== i && dot(q, en[j]) > mine) better++;
    return better + 1;
  });
  const recall = (k) => ranks.filter((r) => r <= k).length / ranks.length;
  let s = 0, n = 0, se = 0, cross = 0;
  for (let i = 0; i < zh.length; i++) {
    for (let j = i + 1; j < zh.length; j++) {
      s += dot(zh[i], zh[j]); se += dot(en[i], en[j]); cross += dot(zh[i], en[j]) + dot(zh[j], en[i]); n++;
    }
  }
  const posts = await model.embed(POSTS);
  const postsEn = await model.embed(POSTS_EN);
  let ps = 0, pe = 0, pn = 0;
  for (let i = 0; i < posts.length; i++) {
    for (let j = i + 1; j < posts.length; j++) { ps += dot(posts[i], posts[j]); pe += dot(postsEn[i], postsEn[j]); pn++; }
  }
  const unk = Array.from(zh.unknownShares);
  results.models[model.name] = {
    recall1: recall(1), recall10: recall(10), mrr: ranks.reduce((a, r) => a + 1 / r, 0) / ranks.length,
    unrelatedZhDescriptions: s / n, unrelatedEnDescriptions: se / n, unrelatedZhPosts: ps / pn,
    unrelatedEnPosts: pe / pn, postPairCosine: posts.reduce((a, q, i) => a + dot(q, postsEn[i]), 0) / posts.length,
    zhUnknownShareMean: unk.reduce((a, b) => a + b, 0) / unk.length,
    pairCosineMean: zh.reduce((a, q, i) => a + dot(q, en[i]), 0) / zh.length,
    // The separation that matters: a Chinese description to its own English vs to the other
    // packages' English (a shift of every cosine moves both; only their gap ranks).
    crossCosineMean: cross / (2 * n),
  };
  await model.dispose();
}
const f = (x) => x.toFixed(3);
console.log(`zh->en over ${rows.length} held-out packages (Latin words removed from the Chinese side)`);
console.log('| model | recall@1 | recall@10 (bar >= 0.7) | MRR | cos(zh, its en) | cos(zh, other en) | mean cos, unrelated zh posts (bar <= 0.5) | same posts in English | unrelated zh descriptions | their English | zh unknown share |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results.models)) {
  console.log(`| ${name} | ${f(r.recall1)} | ${f(r.recall10)} | ${f(r.mrr)} | ${f(r.pairCosineMean)} | ${f(r.crossCosineMean)} | ${f(r.unrelatedZhPosts)} | ${f(r.unrelatedEnPosts)} | ${f(r.unrelatedZhDescriptions)} | ${f(r.unrelatedEnDescriptions)} | ${f(r.zhUnknownShareMean)} |`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2) + '\n');
