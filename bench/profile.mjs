#!/usr/bin/env node
// `npm run bench:profile`: what the interest profile costs in the wasm core, in Node.
//  1. Adding one post to profiles of 1,000 / 10,000 / 100,000 posts: the core's work per post
//     (keyword selection, the paper's U, interests, centroid) must not grow with the history.
//     The encoder call is left out (a memoised model answers instantly) and timed separately
//     with the real default model.
//  2. interests() on 10,000 posts (target: under 50 ms).
// Posts are synthetic: 40 topics of 60 words each, 12-20 words per post, embedded with a hashed
// bag of words (512 dims, the default model's size) so that the profile sees realistic structure.
import os from 'node:os';
import * as localrec from 'localrec';

const DIMS = 512;
const TOPICS = 40;
const WORDS_PER_TOPIC = 60;
const SIZES = (process.env.SIZES ?? '1000,10000,100000').split(',').map(Number);
const TIMED = 30;

let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const syllables = ['ka', 'lo', 'mi', 'ten', 'ra', 'su', 'vo', 'ne', 'dri', 'pha', 'gu', 'zel', 'tor', 'ish'];
const word = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
const vocab = Array.from({ length: TOPICS }, () => Array.from({ length: WORDS_PER_TOPIC }, word));
function post(i, topic = Math.floor(rand() * TOPICS)) {
  const n = 12 + Math.floor(rand() * 9);
  const words = Array.from({ length: n }, () => vocab[topic][Math.floor(rand() * WORDS_PER_TOPIC)]);
  return { id: `p${i}`, text: `${words.slice(0, n / 2).join(' ')}. ${words.slice(n / 2).join(' ')}`, time: 1.7e12 + i * 60000 };
}

function fnv(s, h) { for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0; return h; }
function bow(text) {
  const v = new Float32Array(DIMS);
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? [text]) {
    const h = fnv(w, 0x811c9dc5);
    v[h % DIMS] += h & 1 ? 1 : -1;
    v[fnv(w, 0x1234567) % DIMS] += 0.5;
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}
// The model contract; everything it embeds is memoised, so texts seen before cost nothing.
const table = new Map();
const model = {
  name: 'bow', dims: DIMS, fingerprint: 'b'.repeat(64), maxLength: 128,
  async embed(texts) {
    return texts.map((t) => {
      if (!table.has(t)) table.set(t, bow(t));
      return table.get(t);
    });
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await localrec.init();
console.log(`profile benchmark: Node ${process.version}, ${os.cpus()[0].model} x${os.cpus().length}, wasm core; ${DIMS}-d posts`);
console.log('\nadding one post (core work only; the encoder call is timed below):');
console.log('| posts in profile | median ms / post | p90 ms / post | interests | keywords weight sum ok |');
console.log('|---|---|---|---|---|');
let interestsAt10k = null;
for (const size of SIZES) {
  seed = 42;
  const profile = new localrec.InterestProfile(model, { maxPosts: Math.max(10000, size + TIMED) });
  for (let s = 0; s < size; s += 1000) {
    await profile.addPosts(Array.from({ length: Math.min(1000, size - s) }, (_, j) => post(s + j)), { batchSize: 1000 });
  }
  // Embed the timed posts and their keyword candidates beforehand (through a scratch profile),
  // so the timed calls measure the core and its JS glue only.
  const timed = Array.from({ length: TIMED }, (_, j) => post(size + j));
  const scratch = new localrec.InterestProfile(model);
  await scratch.addPosts(timed);
  scratch.dispose();
  const times = [];
  for (const p of timed) {
    const t0 = performance.now();
    await profile.addPosts([p]);
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const kw = profile.keywords({ limit: 1e9 });
  const sum = kw.reduce((s, k) => s + k.weight, 0);
  console.log(`| ${profile.size.toLocaleString('en')} | ${median(times).toFixed(3)} | ${sorted[Math.floor(0.9 * sorted.length)].toFixed(3)} | ${profile.interests({ labelTerms: 0 }).length} | ${Math.abs(sum - 1) < 1e-6} |`);
  if (size === 10000) {
    const runs = [];
    for (let r = 0; r < 9; r++) {
      const t0 = performance.now();
      profile.interests();
      runs.push(performance.now() - t0);
    }
    interestsAt10k = { median: median(runs), count: profile.interests().length };
  }
  profile.dispose();
}
if (interestsAt10k) {
  console.log(`\ninterests() on 10,000 posts: median ${interestsAt10k.median.toFixed(1)} ms over 9 runs (${interestsAt10k.count} interests, labels and member lists included; target < 50 ms)`);
}

// The encoder's share: the default model embeds one real post and its new keyword candidates in
// one call (onnxruntime-node in Node).
const real = await localrec.loadModel().catch((e) => {
  console.log(`\n(default model not available: ${e.message}; encoder timing skipped, run \`npm run build\`)`);
  return null;
});
if (real) {
  const profile = new localrec.InterestProfile(real);
  const texts = ['Watched the Perseids last night from the hills, counted forty meteors before the clouds came in.',
    'Finally got the sourdough starter going again, first loaf with a proper open crumb.',
    'Long ride over the pass today, new gears made the climb so much easier.'];
  await profile.addPosts([{ id: 'warm', text: 'warm up the session', time: 1.7e12 }]);
  const runs = [];
  for (const [i, text] of texts.entries()) {
    const t0 = performance.now();
    await profile.addPosts([{ id: `r${i}`, text, time: 1.7e12 + i }]);
    runs.push(performance.now() - t0);
  }
  console.log(`\nwith the encoder (loadModel(), ${real.name}, ${real.backend ?? ''}): adding one real post = post + its new keyword candidates in one model call + the core: median ${median(runs).toFixed(1)} ms over ${runs.length} posts`);
  profile.dispose();
  real.dispose();
}
