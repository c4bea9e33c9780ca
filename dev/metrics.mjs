// Ranking metrics with binary relevance, and percentile bootstrap intervals over users.

// The seeded PRNG (mulberry32) the tests use, so that intervals are reproducible.
import { rng } from './stats.mjs';

export { rng };

/** NDCG@k: DCG of the ranking over the DCG of an ideal one (all relevant items first). */
export function ndcgAt(ranked, relevant, k) {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  }
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Share of the relevant items in the top k. */
export function recallAt(ranked, relevant, k) {
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i])) hits++;
  return relevant.size ? hits / relevant.size : 0;
}

/** 1 / rank of the first relevant item (0 when none is in the ranking given). */
export function reciprocalRank(ranked, relevant) {
  for (let i = 0; i < ranked.length; i++) if (relevant.has(ranked[i])) return 1 / (i + 1);
  return 0;
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Mean and 95 % percentile bootstrap interval of per-user values (resampling users). With
 * `paired`, the interval is of the mean difference values[i] - paired[i] (same resamples).
 */
export function bootstrap(values, { resamples = 2000, seed = 12345, paired = null } = {}) {
  const n = values.length;
  const diffs = paired ? values.map((v, i) => v - paired[i]) : values;
  const next = rng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diffs[Math.floor(next() * n)];
    means[r] = s / n;
  }
  means.sort();
  return { mean: mean(diffs), lo: means[Math.floor(0.025 * resamples)], hi: means[Math.ceil(0.975 * resamples) - 1] };
}
