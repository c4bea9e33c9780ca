// A brute-force exact dense ranking with the catalogue search's dense semantics (score = max over
// query vectors of weight * cosine; exclusions; ties by item order), as an independent check of
// what the real Catalog returns for a profile's query. No lexical part: hybrid ranking is checked
// on the real Catalog against the goldens (rank-golden.test.mjs).
import { Catalog } from 'localrec';
import { cosine } from './fake-model.mjs';

/**
 * The top k of `items` ({ id, vector }[]) for `query` (profile.query(strategy)): [{ id, score,
 * interest }] where interest is the id of the matching interest (0 for none).
 */
export function exactRanking(items, query, { k = 10, exclude = [] } = {}) {
  const scored = [];
  items.forEach((it, index) => {
    if (exclude.includes(it.id)) return;
    let best = -Infinity, which = -1;
    query.vectors.forEach((q, j) => {
      const s = (query.weights[j] ?? 1) * cosine(q, it.vector);
      if (s > best) { best = s; which = j; }
    });
    scored.push({ id: it.id, index, score: best, interest: which < 0 ? 0 : query.interestIds[which] });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, k).map(({ id, score, interest }) => ({ id, score, interest }));
}

/** Six apps, two of them astronomy, for tests whose user writes about one topic. */
export const SMALL_APPS = Object.freeze({
  stellarium: 'Stellarium: a planetarium that shows a realistic sky in 3D, stars, planets and nebulae, like a telescope',
  kstars: 'KStars: desktop planetarium and observation planner for amateur astronomers with telescope control',
  breadcalc: 'Bread baking calculator: hydration, flour and sourdough starter ratios for home bakers',
  gnucash: 'GnuCash: personal and small business accounting with double entry bookkeeping',
  vlc: 'VLC: multimedia player for video and audio files, streams and DVDs',
  inkscape: 'Inkscape: vector graphics editor for illustrations, diagrams and logos',
});

/**
 * SMALL_APPS embedded with `model`: { catalog, items }, a real Catalog without a lexical part
 * (float32 vectors, so that its ranking is exact; metadata: title = id, text) and the items for
 * exactRanking(). The caller disposes the catalogue.
 */
export async function smallAppCatalog(model) {
  const ids = Object.keys(SMALL_APPS);
  const vectors = await model.embed(ids.map((id) => SMALL_APPS[id]));
  const catalog = Catalog.fromVectors({
    ids, vectors, modelFingerprint: model.fingerprint, precision: 'float32',
    metadata: ids.map((id) => ({ title: id, text: SMALL_APPS[id] })),
  });
  return { catalog, items: ids.map((id, i) => ({ id, vector: vectors[i] })) };
}
