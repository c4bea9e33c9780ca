// The profile golden (tests/fixtures/profile-golden.json): fixed posts with fixed times,
// added, replaced, removed and liked through the public API, with the embedded default model
// (use-lite, SentencePiece), the bilingual distilled BERT (WordPiece, Chinese posts) and the
// pure-JS fake model (embed() only). What is recorded: the sha256 of the profile's bytes, and its
// keywords and interests, so that a change in how posts are ingested that changes any profile
// shows which part moved. dev/gen/profile-golden.mjs writes it; profile-golden.test.mjs
// compares against it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadModel, InterestProfile } from '../web/index.js';
import { fakeModel } from './fake-model.mjs';

const ROOT = new URL('../', import.meta.url);
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3600e3;
const NOW = T0 + 400 * HOUR;

const SENTENCES = readFileSync(new URL('tests/fixtures/sentences.jsonl', ROOT), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l).text);

// Written for this golden: a few Chinese posts next to English ones on the same topics.
const ZH = ['今晚用望远镜看到了木星和它的四颗卫星。', '我想找一个星图软件，规划今晚的观测。',
  '天文摄影：叠加了两百张猎户座星云的照片。', '周末烤了酸面包，面团发酵了一整夜。'];

export const GOLDEN_MODELS = Object.freeze(['use-lite', 'use-lite-bert-zh-2x128', 'fake']);

async function openModel(name) {
  if (name === 'fake') return { model: fakeModel(), dispose() {} };
  const model = await loadModel({ name });
  return { model, dispose: () => model.dispose() };
}

const round = (x) => Math.round(x * 1e6) / 1e6;

/** Builds the golden's profile for one model and describes it. */
export async function goldenProfile(name) {
  const { model, dispose } = await openModel(name);
  const profile = new InterestProfile(model, { halfLifeDays: 30 });
  try {
    // 150 posts in three batches of 64 (candidates cached by one batch are reused by the next),
    // one text twice in a batch.
    const posts = SENTENCES.slice(0, 150).map((text, i) => ({ id: `p${i}`, text, time: T0 + i * 2 * HOUR }));
    posts[7].text = posts[3].text;
    if (name === 'use-lite-bert-zh-2x128') ZH.forEach((text, i) => posts.push({ id: `zh${i}`, text, time: T0 + (i * 70 + 5) * HOUR }));
    await profile.addPosts(posts, { now: NOW });
    // Replaced ids, a small batch size, a removal and a like.
    await profile.addPosts([
      { id: 'p3', text: SENTENCES[200], time: T0 + 301 * HOUR },
      { id: 'new1', text: SENTENCES[201], time: T0 + 302 * HOUR },
      { id: 'p10', text: SENTENCES[10], time: T0 + 303 * HOUR },
      { id: 'new2', text: SENTENCES[202], time: T0 + 304 * HOUR },
    ], { now: NOW, batchSize: 3 });
    profile.removePost('p20');
    await profile.feedback('stellarium', 'like', { text: 'Stellarium: a planetarium showing a realistic sky with stars', time: T0 + 305 * HOUR, now: NOW });
    const bytes = profile.toBytes();
    return {
      posts: profile.size,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.byteLength,
      keywords: profile.keywords({ limit: 25, now: NOW }).map((k) => `${k.text} ${round(k.weight)}`),
      interests: profile.interests({ labelTerms: 4, now: NOW }).map((it) => ({
        weight: round(it.weight),
        keywords: it.keywords.map((k) => k.text),
        posts: it.postIds.length,
        representative: it.representative,
      })),
    };
  } finally {
    profile.dispose();
    await dispose();
  }
}
