// Fixed rank() scenarios on committed data, whose results tests/fixtures/rank-goldens.json
// records (dev/gen/rank-goldens.mjs writes it; tests/web/rank-golden.test.mjs compares).
// Issue 15 moved rank() from JS into the core: the goldens were written by the JS version first,
// so any change to what rank() returns (ids, scores, reasons, metadata) fails that test.
//
// Data: every 24th item of web/demo/data/debian-apps.jsonl.gz plus the items about a few topics,
// embedded with the deterministic fake model (dev/fake-model.mjs) into real Catalogs; users
// made of fixed posts from tests/fixtures/sentences.jsonl on those topics, at fixed times.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { Catalog, InterestProfile } from 'localrec';
import { fakeModel } from './fake-model.mjs';

const root = new URL('../', import.meta.url);
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3600e3;
const NOW = T0 + 400 * HOUR;
const TOPICS = /\b(game|games|audio|music|sound|astronomy|planetarium|telescope|photo|image)\b/i;

function catalogueItems() {
  const lines = gunzipSync(readFileSync(new URL('web/demo/data/debian-apps.jsonl.gz', root))).toString('utf8')
    .split('\n').filter(Boolean);
  const out = [];
  lines.forEach((line, i) => {
    const it = JSON.parse(line);
    if (i % 24 === 0 || (i % 3 === 0 && TOPICS.test(it.text))) out.push(it);
  });
  return out;
}

function postsOf(pattern, prefix, count, startHour) {
  const sentences = readFileSync(new URL('tests/fixtures/sentences.jsonl', root), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l).text).filter((t) => pattern.test(t));
  return sentences.slice(0, count).map((text, i) => ({ id: `${prefix}${i}`, text, time: T0 + (startHour + i) * HOUR }));
}

// Plain data of a rank() result (Float32 scores are exact in JSON: doubles round-trip).
const plain = (results) => JSON.parse(JSON.stringify(results));

/**
 * Runs every scenario and returns { name: results }. Disposes what it makes.
 */
export async function runRankScenarios() {
  const model = fakeModel();
  const items = catalogueItems();
  const texts = items.map((it) => it.text);
  const vectors = await model.embed(texts);
  const catalog = Catalog.fromVectors({
    ids: items.map((it) => it.id), vectors, texts, modelFingerprint: model.fingerprint,
    metadata: items.map((it, i) => (i % 7 === 3 ? null : { title: it.title, tags: it.tags })),
  });
  // The same vectors without texts: no lexical part, no metadata.text.
  const dense = Catalog.fromVectors({
    ids: items.map((it) => it.id), vectors, modelFingerprint: model.fingerprint, precision: 'float32',
    metadata: items.map((it) => ({ title: it.title })),
  });
  const user = new InterestProfile(model, { joinThreshold: 0.3, mergeThreshold: 0.6 });
  const fresh = new InterestProfile(model);
  const out = {};
  try {
    await user.addPosts([
      ...postsOf(/\b(game|games)\b/i, 'g', 12, 0),
      ...postsOf(/\b(audio|music|sound)\b/i, 'm', 10, 50),
      ...postsOf(/\b(astronomy|planetarium|telescope|image|photo)\b/i, 'a', 8, 100),
    ], { now: NOW });
    out['empty profile'] = plain(fresh.rank(catalog));
    out.default = plain(user.rank(catalog));
    for (const strategy of ['keywords', 'centroid', 'interests', 'lexical', 'hybrid']) {
      out[`strategy ${strategy}`] = plain(user.rank(catalog, { k: 6, strategy }));
    }
    out['k 15'] = plain(user.rank(catalog, { k: 15 }));
    out['k above the size'] = plain(user.rank(dense, { k: 100000, strategy: 'centroid', explain: false }).slice(0, 5));
    out.diversity = plain(user.rank(catalog, { k: 8, diversity: 0.6 }));
    out['explain false'] = plain(user.rank(catalog, { k: 6, explain: false }));
    out['requireTags'] = plain(user.rank(catalog, { k: 6, requireTags: ['role::program'] }));
    out['excludeTags'] = plain(user.rank(catalog, { k: 6, excludeTags: ['section::games', 'use::gameplaying'] }));
    out['fusion rrf'] = plain(user.rank(catalog, { k: 6, fusion: 'rrf' }));
    out['normalization zscore, bm25'] = plain(user.rank(catalog, { k: 6, normalization: 'zscore', bm25: { k1: 0.9, b: 0.4 } }));
    out['query options'] = plain(user.rank(catalog, {
      k: 6, termSource: 'both', maxTerms: 12, maxInterests: 2, interestWeightPower: 1, lexicalWeight: 0.4, candidates: 50,
    }));
    out['termSource keywords, lexical'] = plain(user.rank(catalog, { k: 6, strategy: 'lexical', termSource: 'keywords' }));
    out['hybrid without a lexical part'] = plain(user.rank(dense, { k: 6 }));
    const top = user.rank(catalog, { k: 3 }).map((r) => r.id);
    out.exclude = plain(user.rank(catalog, { k: 6, exclude: [top[0], 'no-such-item'] }));
    await user.feedback(top[1], 'dismiss', { time: NOW, now: NOW });
    await user.feedback(top[2], 'like', { catalog, time: NOW, now: NOW });
    out.feedback = plain(user.rank(catalog, { k: 6 }));
  } finally {
    user.dispose();
    fresh.dispose();
    catalog.dispose();
    dense.dispose();
  }
  return out;
}
