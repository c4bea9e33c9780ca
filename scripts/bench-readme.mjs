#!/usr/bin/env node
// Regenerates README.md's benchmark section: runs each benchmark command, one after another on
// this machine, and puts what it printed (markdown tables with ratios measured side by side)
// between the README's `<!-- benchmarks:begin -->` and `<!-- benchmarks:end -->` markers.
// Usage: node scripts/bench-readme.mjs [--only name,name] [--dry-run]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';

const BENCHMARKS = [
  { name: 'tokenizer', title: 'Tokenizer: our wasm WordPiece vs transformers.js and HF Rust tokenizers', cmd: ['npm', 'run', '-s', 'bench:tokenizer'] },
  { name: 'embed', title: 'Posts → embeddings: ours vs transformers.js (Node and Chromium)', cmd: ['npm', 'run', '-s', 'bench:embed'] },
  { name: 'models', title: 'Models: WordNet triplets (with TF-IDF), agreement with USE Lite, speed per post', cmd: ['npm', 'run', '-s', 'bench:models'] },
  { name: 'rank', title: 'Ranking: top-10, ours vs a JS loop, hnswlib-wasm and the bandwidth bound', cmd: ['npm', 'run', '-s', 'bench:rank'] },
  { name: 'rankBrowser', title: 'Ranking in headless Chromium: the same benchmark in a page', cmd: ['npm', 'run', '-s', 'bench:rank:browser'] },
  { name: 'recall', title: 'Int8 ranking vs exact f32 on real embeddings', cmd: ['npm', 'run', '-s', 'bench:recall'] },
  { name: 'profile', title: 'Profile: cost of a post and of interests()', cmd: ['npm', 'run', '-s', 'bench:profile'] },
  { name: 'demo', title: 'Start-up and the demo page: time to first recommendations, cold and warm, Chromium and Node; post → recommendations; memory', cmd: ['npm', 'run', '-s', 'bench:demo'] },
  { name: 'demoPlain', title: 'The demo page without cross-origin isolation (ONNX Runtime on one thread)', cmd: ['npm', 'run', '-s', 'bench:demo', '--', '--no-isolation', '--no-node', '--no-memory'] },
  { name: 'eval', title: 'Quality: Debian Blends (NDCG@10, Recall@50, MRR, 95 % bootstrap intervals)', cmd: ['npm', 'run', '-s', 'eval'] },
];

const opts = new Command().option('--only <names>', 'comma-separated subset').option('--dry-run', 'print, do not write')
  .parse().opts();
const only = opts.only ? new Set(opts.only.split(',')) : null;
const readmeUrl = new URL('../README.md', import.meta.url);
let readme = readFileSync(readmeUrl, 'utf8');
const begin = '<!-- benchmarks:begin -->';
const end = '<!-- benchmarks:end -->';
if (!readme.includes(begin) || !readme.includes(end)) throw new Error('README.md has no benchmark markers');

const sections = new Map();
// Keep the sections not re-run this time.
for (const m of readme.slice(readme.indexOf(begin), readme.indexOf(end)).matchAll(/<!-- bench:(\w+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
  sections.set(m[1], m[2]);
}
for (const b of BENCHMARKS) {
  if (only && !only.has(b.name)) continue;
  console.error(`bench-readme: ${b.cmd.join(' ')}`);
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const out = execFileSync(b.cmd[0], b.cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  sections.set(b.name, `### ${b.title}\n\n\`${b.cmd.join(' ').replace(' -s', '')}\`, run ${started} UTC on ` +
    `${os.cpus()[0].model} (${os.cpus().length} cores):\n\n${out.trim()}\n\n`);
}
const body = BENCHMARKS.filter((b) => sections.has(b.name))
  .map((b) => `<!-- bench:${b.name} -->\n${sections.get(b.name)}<!-- /bench:${b.name} -->`).join('\n');
readme = `${readme.slice(0, readme.indexOf(begin) + begin.length)}\n${body}\n${readme.slice(readme.indexOf(end))}`;
if (opts.dryRun) console.log(body);
else writeFileSync(readmeUrl, readme);
