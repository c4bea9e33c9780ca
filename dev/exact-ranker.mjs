// A brute-force exact dense ranker with the catalogue search contract's dense semantics
// (score = max over query vectors of weight * cosine; exclusions), as a reference for the
// profile's rank() in tests. No lexical part: hybrid ranking is tested against the real Catalog.
import { cosine } from './fake-model.mjs';

export function exactCatalog(items, modelFingerprint) {
  return {
    size: items.length,
    dims: items[0].vector.length,
    modelFingerprint,
    hasTerms: false,
    metadata(id) { return items.find((it) => it.id === id)?.metadata ?? null; },
    search(queries, { k = 10, weights = [], exclude = [], terms = [], modelFingerprint: fp } = {}) {
      if (fp !== undefined && fp !== modelFingerprint) throw new Error('model fingerprint mismatch');
      if (terms.length) throw new Error('this reference has no lexical part');
      const list = queries instanceof Float32Array ? [queries] : queries;
      const scored = [];
      items.forEach((it, index) => {
        if (exclude.includes(it.id)) return;
        let best = -Infinity, query = null;
        list.forEach((q, j) => {
          const s = (weights[j] ?? 1) * cosine(q, it.vector);
          if (s > best) { best = s; query = j; }
        });
        scored.push({ id: it.id, index, score: best, dense: best, lexical: 0, query, metadata: it.metadata ?? null });
      });
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.slice(0, k);
    },
  };
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

/** SMALL_APPS embedded with `model` as an exact catalogue (metadata: title = id, text). */
export async function smallAppCatalog(model) {
  const ids = Object.keys(SMALL_APPS);
  const vectors = await model.embed(ids.map((id) => SMALL_APPS[id]));
  return exactCatalog(ids.map((id, i) => ({ id, vector: vectors[i], metadata: { title: id, text: SMALL_APPS[id] } })),
    model.fingerprint);
}
