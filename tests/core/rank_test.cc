#include "core/rank/search.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "catalog_fixture.h"
#include "core/catalog/quantize.h"
#include "core/common/error.h"
#include "core/rank/kernels.h"
#include "core/text/analyzer.h"

using namespace localrec;
using namespace localrec::testing;

namespace {

// The brute-force reference: double-precision dot products on the original f32 vectors, ranked
// by score (descending) then index.
std::vector<uint32_t> BruteForceTopK(const std::vector<float>& items, size_t dims,
                                     const std::vector<float>& queries, std::vector<float> weights,
                                     bool sum, size_t k,
                                     const std::vector<bool>& allowed = {}) {
  const size_t n = items.size() / dims, nq = queries.size() / dims;
  if (weights.empty()) weights.assign(nq, 1.0f);
  std::vector<std::pair<double, uint32_t>> scored;
  for (size_t i = 0; i < n; ++i) {
    if (!allowed.empty() && !allowed[i]) continue;
    double best = -std::numeric_limits<double>::infinity(), total = 0;
    for (size_t q = 0; q < nq; ++q) {
      double dot = 0;
      for (size_t d = 0; d < dims; ++d) dot += double(items[i * dims + d]) * queries[q * dims + d];
      best = std::max(best, weights[q] * dot);
      total += weights[q] * dot;
    }
    scored.push_back({sum ? total : best, static_cast<uint32_t>(i)});
  }
  std::sort(scored.begin(), scored.end(), [](auto& a, auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  std::vector<uint32_t> out;
  for (size_t j = 0; j < std::min(k, scored.size()); ++j) out.push_back(scored[j].second);
  return out;
}

std::vector<TestItem> ItemsFromVectors(const std::vector<float>& v, size_t dims) {
  std::vector<TestItem> items(v.size() / dims);
  for (size_t i = 0; i < items.size(); ++i) {
    items[i].id = "item-" + std::to_string(i);
    items[i].vector.assign(v.begin() + i * dims, v.begin() + (i + 1) * dims);
  }
  return items;
}

std::vector<uint32_t> Indices(const std::vector<SearchResult>& r) {
  std::vector<uint32_t> out;
  for (const auto& x : r) out.push_back(x.index);
  return out;
}

double Recall(const std::vector<uint32_t>& got, const std::vector<uint32_t>& truth) {
  const std::set<uint32_t> t(truth.begin(), truth.end());
  size_t hit = 0;
  for (uint32_t g : got) hit += t.count(g);
  return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

}  // namespace

TEST_CASE("int8 kernels agree with the scalar reference", "[rank]") {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> value(-127, 127);
  for (size_t stride : {16u, 48u, 384u, 512u}) {
    for (size_t count : {1u, 3u, 4u, 7u, 64u}) {
      for (size_t nq : {1u, 2u, 5u}) {
        CAPTURE(stride, count, nq);
        // 64-byte aligned rows, as in a loaded catalogue.
        AlignedBuffer rows(stride * count);
        for (size_t i = 0; i < stride * count; ++i) rows.data()[i] = static_cast<uint8_t>(value(rng));
        std::vector<int16_t> q(stride * nq);
        for (auto& x : q) x = static_cast<int16_t>(value(rng));
        std::vector<int32_t> simd(count * nq), scalar(count * nq);
        const auto* r = reinterpret_cast<const int8_t*>(rows.data());
        DotInt8Rows(r, stride, count, q.data(), nq, simd.data());
        DotInt8RowsScalar(r, stride, count, q.data(), nq, scalar.data());
        REQUIRE(simd == scalar);
      }
    }
  }
  // Extremes do not overflow: 512 x 127 x 127 and 512 x -127 x 127.
  AlignedBuffer rows(512);
  std::memset(rows.data(), 127, 512);
  std::vector<int16_t> q(512, 127), q_neg(512, -127);
  int32_t out = 0;
  DotInt8Rows(reinterpret_cast<const int8_t*>(rows.data()), 512, 1, q.data(), 1, &out);
  REQUIRE(out == 512 * 127 * 127);
  DotInt8Rows(reinterpret_cast<const int8_t*>(rows.data()), 512, 1, q_neg.data(), 1, &out);
  REQUIRE(out == -512 * 127 * 127);
}

TEST_CASE("the bandwidth probe sums bytes", "[rank]") {
  AlignedBuffer data(256);
  for (size_t i = 0; i < 256; ++i) data.data()[i] = static_cast<uint8_t>(i);
  const uint32_t a = ScanInt8(reinterpret_cast<const int8_t*>(data.data()), 256);
  data.data()[17] ^= 1;
  REQUIRE(ScanInt8(reinterpret_cast<const int8_t*>(data.data()), 256) != a);
}

namespace {

// Mean recall@10 of the default search (int8 scan + rescoring) over `queries` against the
// brute-force truth. `exclude[q]` >= 0 removes that item (leave-one-out item queries).
double SearchRecall(const Catalog& catalog, size_t dims, const std::vector<float>& queries,
                    const std::vector<std::vector<uint32_t>>& truth,
                    const std::vector<int>& exclude = {}) {
  const size_t k = 10, num_queries = truth.size();
  double recall = 0;
  for (size_t q = 0; q < num_queries; ++q) {
    const std::span<const float> query(queries.data() + q * dims, dims);
    SearchOptions o;
    o.k = k;
    if (!exclude.empty() && exclude[q] >= 0) o.exclude_ids = {"item-" + std::to_string(exclude[q])};
    const auto got = Search(catalog, query, o);
    REQUIRE(got.size() == k);
    for (size_t j = 1; j < got.size(); ++j) REQUIRE(got[j - 1].score >= got[j].score);
    for (const auto& r : got) {
      REQUIRE(r.query == 0);
      REQUIRE(r.lexical == 0.0f);
      REQUIRE(r.score == r.dense);
    }
    recall += Recall(Indices(got), truth[q]);
  }
  return recall / static_cast<double>(num_queries);
}

std::vector<std::vector<uint32_t>> Truth(const std::vector<float>& items, size_t dims,
                                         const std::vector<float>& queries,
                                         const std::vector<int>& exclude = {}) {
  const size_t n = items.size() / dims;
  std::vector<std::vector<uint32_t>> truth;
  for (size_t q = 0; q < queries.size() / dims; ++q) {
    const std::vector<float> query(queries.begin() + q * dims, queries.begin() + (q + 1) * dims);
    std::vector<bool> allowed;
    if (!exclude.empty() && exclude[q] >= 0) {
      allowed.assign(n, true);
      allowed[exclude[q]] = false;
    }
    truth.push_back(BruteForceTopK(items, dims, query, {}, false, 10, allowed));
  }
  return truth;
}

}  // namespace

TEST_CASE("int8 search recalls the exact f32 top-10 on random vectors", "[rank]") {
  // Random unit vectors are the hardest case for 8 bits: the top-10 of a random query lie
  // ~1e-3 apart and a Gaussian vector's largest component (~3x its rms) sets the int8 step.
  const size_t dims = 384, n = 20000, half = 150;
  const std::vector<float> items = RandomUnitVectors(n, dims, 101);
  // Queries near items (as real queries are) and plain random ones.
  std::vector<float> queries = RandomUnitVectors(2 * half, dims, 202);
  for (size_t q = 0; q < half; ++q) {
    for (size_t d = 0; d < dims; ++d) queries[q * dims + d] += items[(q * 97) * dims + d];
  }
  const auto truth = Truth(items, dims, queries);
  const auto near_truth = std::vector<std::vector<uint32_t>>(truth.begin(), truth.begin() + half);
  const auto random_truth = std::vector<std::vector<uint32_t>>(truth.begin() + half, truth.end());
  const std::vector<float> near_queries(queries.begin(), queries.begin() + half * dims);
  const std::vector<float> random_queries(queries.begin() + half * dims, queries.end());

  // The scan finds the candidates in every case; rescoring precision is what differs. Plain
  // int8 (compact) loses ~1.3 % of the boundary items to the 8-bit rounding of the items, which
  // no rounding scheme at 8 bits removes; the default's refinement bit halves that error.
  struct Case {
    VectorPrecision precision;
    double required;
  };
  const Case cases[] = {{VectorPrecision::kInt8, 0.99},
                        {VectorPrecision::kInt8Compact, 0.98},
                        {VectorPrecision::kInt8Residual, 0.999},
                        {VectorPrecision::kFloat32, 0.999}};
  for (const Case& c : cases) {
    const Catalog catalog =
        Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(items, dims), dims, c.precision));
    const double near_recall = SearchRecall(catalog, dims, near_queries, near_truth);
    const double random_recall = SearchRecall(catalog, dims, random_queries, random_truth);
    CAPTURE(static_cast<int>(c.precision), near_recall, random_recall);
    CHECK(near_recall >= c.required);
    CHECK(random_recall >= c.required);
    WARN("precision " << static_cast<int>(c.precision) << ": recall@10 near-item " << near_recall
                      << ", random " << random_recall);
  }
}

TEST_CASE("int8 search recalls the exact top-10 on embedding-like vectors", "[rank]") {
  // Sentence embeddings share a strong common component (the default model's Debian catalogue:
  // ||mean|| 0.75); a profile's interest vector, a centroid of items, points mostly along it.
  // Synthetic stand-in: EmbeddingLikeVectors.
  const size_t dims = 384, n = 20000, num_queries = 150;
  const std::vector<float> items = EmbeddingLikeVectors(n, dims, 31);
  std::mt19937 rng(33);
  // Item queries (the item itself excluded) and centroids of 5 random items.
  std::vector<float> item_queries(num_queries * dims), centroid_queries(num_queries * dims, 0.0f);
  std::vector<int> exclude(num_queries);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  for (size_t q = 0; q < num_queries; ++q) {
    exclude[q] = static_cast<int>(pick(rng));
    std::copy_n(items.begin() + exclude[q] * dims, dims, item_queries.begin() + q * dims);
    for (int m = 0; m < 5; ++m) {
      const size_t it = pick(rng);
      for (size_t d = 0; d < dims; ++d) centroid_queries[q * dims + d] += items[it * dims + d] / 5;
    }
  }
  const auto item_truth = Truth(items, dims, item_queries, exclude);
  const auto centroid_truth = Truth(items, dims, centroid_queries);

  auto build = [&](VectorPrecision precision, Rounding rounding) {
    CatalogBuilder builder(dims, TestFingerprint(), CatalogBuilderOptions{precision, rounding});
    for (const TestItem& it : ItemsFromVectors(items, dims)) {
      builder.Add({it.id, it.vector, "", {}, ""});
    }
    return Catalog::FromBuffer(builder.Finish());
  };
  std::map<std::pair<int, int>, std::pair<double, double>> recall;  // (precision, rounding)
  for (VectorPrecision precision : {VectorPrecision::kInt8, VectorPrecision::kInt8Compact}) {
    for (Rounding rounding : {Rounding::kShaped, Rounding::kNearest}) {
      const Catalog catalog = build(precision, rounding);
      const double item_recall = SearchRecall(catalog, dims, item_queries, item_truth, exclude);
      const double centroid_recall = SearchRecall(catalog, dims, centroid_queries, centroid_truth);
      recall[{static_cast<int>(precision), static_cast<int>(rounding)}] = {item_recall,
                                                                           centroid_recall};
      WARN("precision " << static_cast<int>(precision) << ", rounding "
                        << static_cast<int>(rounding) << ": recall@10 item " << item_recall
                        << ", centroid of 5 " << centroid_recall);
    }
  }
  const auto [item, centroid] =
      recall[{static_cast<int>(VectorPrecision::kInt8), static_cast<int>(Rounding::kShaped)}];
  CHECK(item >= 0.99);
  CHECK(centroid >= 0.99);
  // Shaped rounding is what fixes the centroid queries at 8 bits.
  const auto compact_shaped = recall[{static_cast<int>(VectorPrecision::kInt8Compact),
                                      static_cast<int>(Rounding::kShaped)}];
  const auto compact_nearest = recall[{static_cast<int>(VectorPrecision::kInt8Compact),
                                       static_cast<int>(Rounding::kNearest)}];
  CHECK(compact_shaped.second >= 0.99);
  CHECK(compact_shaped.second > compact_nearest.second);
}

TEST_CASE("several query vectors: weighted max and sum", "[rank]") {
  const size_t dims = 64, n = 5000, k = 10;
  const std::vector<float> items = RandomUnitVectors(n, dims, 7);
  std::vector<float> queries = RandomUnitVectors(3, dims, 8);
  for (size_t d = 0; d < dims; ++d) queries[1 * dims + d] += 2.0f * items[1234 * dims + d];
  const std::vector<float> weights = {1.0f, 0.5f, 2.0f};
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(items, dims), dims, VectorPrecision::kFloat32));
  for (bool sum : {false, true}) {
    SearchOptions o;
    o.k = k;
    o.weights = weights;
    o.combine = sum ? Combine::kSum : Combine::kMax;
    const auto got = Search(catalog, queries, o);
    const auto truth = BruteForceTopK(items, dims, queries, weights, sum, k);
    REQUIRE(Recall(Indices(got), truth) >= 0.9);
    // Exact mode on a catalogue with f32 vectors is the brute-force ranking itself.
    o.exact = true;
    REQUIRE(Indices(Search(catalog, queries, o)) == truth);
    // The reported query is the one with the largest weighted dot product.
    for (const auto& r : got) {
      std::vector<double> contrib(3);
      for (size_t q = 0; q < 3; ++q) {
        double dot = 0;
        for (size_t d = 0; d < dims; ++d) dot += double(items[r.index * dims + d]) * queries[q * dims + d];
        contrib[q] = weights[q] * dot;
      }
      REQUIRE(r.query == std::max_element(contrib.begin(), contrib.end()) - contrib.begin());
      const double expected = sum ? contrib[0] + contrib[1] + contrib[2]
                                  : *std::max_element(contrib.begin(), contrib.end());
      REQUIRE(r.dense == Approx(expected).margin(1e-5));
    }
  }
  // Item 1234 dominates query 1 (weight 0.5): with 'max' it is found through query 1.
  SearchOptions o;
  o.k = 1;
  o.weights = {0.0f, 1.0f, 0.0f};
  const auto top = Search(catalog, queries, o);
  REQUIRE(top[0].index == 1234);
  REQUIRE(top[0].query == 1);
}

TEST_CASE("ties are broken by index", "[rank]") {
  const size_t dims = 16;
  std::vector<float> one = RandomUnitVectors(1, dims, 4);
  std::vector<TestItem> items;
  for (int i = 0; i < 30; ++i) items.push_back({"dup" + std::to_string(i), one, "", {}, ""});
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(items, dims));
  SearchOptions o;
  o.k = 10;
  const auto got = Search(catalog, one, o);
  REQUIRE(Indices(got) == std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  o.exclude_ids = {"dup0", "dup3", "not-in-catalogue"};
  REQUIRE(Indices(Search(catalog, one, o)) == std::vector<uint32_t>{1, 2, 4, 5, 6, 7, 8, 9, 10, 11});
}

TEST_CASE("filters match a filtered brute force", "[rank]") {
  const size_t dims = 32, n = 3000;
  const std::vector<float> v = RandomUnitVectors(n, dims, 21);
  std::vector<TestItem> items = ItemsFromVectors(v, dims);
  for (size_t i = 0; i < n; ++i) {
    if (i % 2 == 0) items[i].tags.push_back("even");
    if (i % 3 == 0) items[i].tags.push_back("three");
    if (i % 5 == 0) items[i].tags.push_back("five");
  }
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(items, dims, VectorPrecision::kFloat32));
  const std::vector<float> query = RandomUnitVectors(1, dims, 22);
  SearchOptions o;
  o.k = 20;
  o.exact = true;
  o.require_tags = {"even", "three"};
  o.exclude_tags = {"five", "unknown-tag"};
  o.exclude_ids = {"item-6"};
  std::vector<bool> allowed(n);
  for (size_t i = 0; i < n; ++i) allowed[i] = i % 6 == 0 && i % 5 != 0 && i != 6;
  const auto truth = BruteForceTopK(v, dims, query, {}, false, 20, allowed);
  REQUIRE(Indices(Search(catalog, query, o)) == truth);
  o.exact = false;
  REQUIRE(Recall(Indices(Search(catalog, query, o)), truth) >= 0.95);
  for (const auto& r : Search(catalog, query, o)) REQUIRE(allowed[r.index]);
  o.require_tags = {"no-such-tag"};
  REQUIRE(Search(catalog, query, o).empty());
}

namespace {

// Items with texts for the lexical tests: topic words drawn per item, vectors random.
struct LexicalFixture {
  size_t dims = 24, n = 400;
  std::vector<float> vectors;
  std::vector<std::string> texts;
  Catalog catalog;

  static LexicalFixture Make() {
    LexicalFixture f{24, 400, {}, {}, Catalog::FromBytes(MakeCatalogBytes({}, 24))};
    const std::vector<std::string> words = {"telescope", "astronomy", "star", "chart", "editor",
                                            "text", "image", "photo", "game", "strategy", "music",
                                            "audio", "network", "server", "library", "python"};
    std::mt19937 rng(99);
    f.vectors = RandomUnitVectors(f.n, f.dims, 98);
    std::vector<TestItem> items = ItemsFromVectors(f.vectors, f.dims);
    for (size_t i = 0; i < f.n; ++i) {
      std::string text;
      const size_t len = 3 + rng() % 30;
      for (size_t w = 0; w < len; ++w) text += words[rng() % words.size()] + (w % 4 == 3 ? "s " : " ");
      if (i % 7 == 0) text += "The and of it";  // stop words do not count
      items[i].text = text;
      f.texts.push_back(text);
    }
    f.catalog = Catalog::FromBytes(MakeCatalogBytes(items, f.dims, VectorPrecision::kFloat32));
    return f;
  }

  // BM25 computed here from the raw texts (Lucene idf, k1 = 1.2, b = 0.75).
  std::vector<double> ReferenceBm25(const std::vector<std::pair<std::string, double>>& query) const {
    std::vector<std::map<std::string, int>> tf(n);
    std::map<std::string, int> df;
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
      for (const auto& t : AnalyzeTerms(texts[i])) ++tf[i][t];
      for (const auto& [t, c] : tf[i]) {
        ++df[t];
        total += c;
      }
    }
    const double avgdl = total / n;
    std::vector<double> out(n, 0.0);
    for (const auto& [raw, w] : query) {
      for (const auto& t : AnalyzeTerms(raw)) {
        if (!df.count(t)) continue;
        const double idf = std::log(1 + (n - df[t] + 0.5) / (df[t] + 0.5));
        for (size_t i = 0; i < n; ++i) {
          auto it = tf[i].find(t);
          if (it == tf[i].end()) continue;
          double dl = 0;
          for (const auto& [x, c] : tf[i]) dl += c;
          out[i] += w * idf * it->second * 2.2 / (it->second + 1.2 * (0.25 + 0.75 * dl / avgdl));
        }
      }
    }
    return out;
  }
};

}  // namespace

TEST_CASE("BM25 matches a reference computed from the texts", "[rank]") {
  const LexicalFixture f = LexicalFixture::Make();
  const std::vector<WeightedTerm> query = {{"Telescopes", 1.0f}, {"star charts", 0.5f}, {"zzz", 3.0f}};
  const std::vector<float> got = Bm25Scores(f.catalog, query);
  const std::vector<double> ref = f.ReferenceBm25({{"Telescopes", 1.0}, {"star charts", 0.5}, {"zzz", 3.0}});
  size_t matched = 0;
  for (size_t i = 0; i < f.n; ++i) {
    REQUIRE(got[i] == Approx(ref[i]).epsilon(1e-5).margin(1e-6));
    matched += ref[i] > 0;
  }
  REQUIRE(matched > 50);

  // A purely lexical search ranks by BM25, with no dense part.
  SearchOptions o;
  o.k = 15;
  o.terms = query;
  const auto results = Search(f.catalog, {}, o);
  std::vector<uint32_t> order(f.n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return got[a] > got[b]; });
  order.resize(15);
  REQUIRE(Indices(results) == order);
  for (const auto& r : results) {
    REQUIRE(r.query == -1);
    REQUIRE(r.dense == 0.0f);
    REQUIRE(r.score == r.lexical);
    REQUIRE(r.lexical == got[r.index]);
  }
}

TEST_CASE("hybrid fusion matches a reference over the whole catalogue", "[rank]") {
  const LexicalFixture f = LexicalFixture::Make();
  const std::vector<float> query = RandomUnitVectors(1, f.dims, 5);
  const std::vector<WeightedTerm> terms = {{"game strategy", 1.0f}, {"music", 0.3f}};
  const std::vector<float> lex = Bm25Scores(f.catalog, terms);
  std::vector<double> dense(f.n);
  for (size_t i = 0; i < f.n; ++i) {
    double d = 0;
    for (size_t j = 0; j < f.dims; ++j) d += double(f.vectors[i * f.dims + j]) * query[j];
    dense[i] = d;
  }
  auto ranked = [&](const std::vector<double>& score) {
    std::vector<uint32_t> order(f.n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return score[a] > score[b]; });
    order.resize(10);
    return order;
  };
  SearchOptions o;
  o.k = 10;
  o.terms = terms;
  o.exact = true;
  o.candidates = f.n;  // the pool is the whole catalogue, so the reference normalises over it
  o.lexical_weight = 0.4f;

  // Weighted, min-max.
  const auto [dlo, dhi] = std::minmax_element(dense.begin(), dense.end());
  const auto [llo, lhi] = std::minmax_element(lex.begin(), lex.end());
  std::vector<double> fused(f.n);
  for (size_t i = 0; i < f.n; ++i) {
    fused[i] = 0.6 * (dense[i] - *dlo) / (*dhi - *dlo) + 0.4 * (lex[i] - *llo) / (*lhi - *llo);
  }
  const auto got = Search(f.catalog, query, o);
  REQUIRE(Indices(got) == ranked(fused));
  for (const auto& r : got) {
    REQUIRE(r.score == Approx(fused[r.index]).margin(1e-5));
    REQUIRE(r.dense == Approx(dense[r.index]).margin(1e-5));
    REQUIRE(r.lexical == lex[r.index]);
  }

  // Weighted, z-score.
  o.normalization = Normalization::kZScore;
  auto z = [&](const std::vector<double>& v) {
    double m = 0, s = 0;
    for (double x : v) m += x;
    m /= v.size();
    for (double x : v) s += (x - m) * (x - m);
    s = std::sqrt(s / v.size());
    std::vector<double> out(v.size());
    for (size_t i = 0; i < v.size(); ++i) out[i] = (v[i] - m) / s;
    return out;
  };
  const auto dz = z(dense), lz = z(std::vector<double>(lex.begin(), lex.end()));
  for (size_t i = 0; i < f.n; ++i) fused[i] = 0.6 * dz[i] + 0.4 * lz[i];
  REQUIRE(Indices(Search(f.catalog, query, o)) == ranked(fused));

  // Reciprocal rank fusion.
  o.fusion = Fusion::kRrf;
  auto ranks = [&](const std::vector<double>& v) {
    std::vector<uint32_t> order(f.n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return v[a] > v[b]; });
    std::vector<size_t> rank(f.n);
    for (size_t r = 0; r < f.n; ++r) rank[order[r]] = r + 1;
    return rank;
  };
  const auto rd = ranks(dense), rl = ranks(std::vector<double>(lex.begin(), lex.end()));
  for (size_t i = 0; i < f.n; ++i) fused[i] = 0.6 / (60 + rd[i]) + (lex[i] > 0 ? 0.4 / (60 + rl[i]) : 0);
  REQUIRE(Indices(Search(f.catalog, query, o)) == ranked(fused));

  // The default pool (int8 scan, max(4k, 100) per part) agrees closely with the exact one.
  o.fusion = Fusion::kWeighted;
  o.normalization = Normalization::kMinMax;
  o.exact = false;
  o.candidates = 0;
  REQUIRE(Search(f.catalog, query, o).size() == 10);
}

TEST_CASE("MMR diversity follows a greedy reference", "[rank]") {
  // Five tight clusters of 20 near-duplicates; the query is closest to cluster 0.
  const size_t dims = 32, clusters = 5, per = 20;
  const std::vector<float> centres = RandomUnitVectors(clusters, dims, 1);
  const std::vector<float> noise = RandomUnitVectors(clusters * per, dims, 2);
  std::vector<float> v(clusters * per * dims);
  for (size_t c = 0; c < clusters; ++c) {
    for (size_t j = 0; j < per; ++j) {
      for (size_t d = 0; d < dims; ++d) {
        v[(c * per + j) * dims + d] = centres[c * dims + d] + 0.05f * noise[(c * per + j) * dims + d];
      }
    }
  }
  for (size_t i = 0; i < clusters * per; ++i) {  // catalogue vectors are unit length
    double norm = 0;
    for (size_t d = 0; d < dims; ++d) norm += v[i * dims + d] * v[i * dims + d];
    for (size_t d = 0; d < dims; ++d) v[i * dims + d] = static_cast<float>(v[i * dims + d] / std::sqrt(norm));
  }
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(v, dims), dims, VectorPrecision::kFloat32));
  std::vector<float> query(centres.begin(), centres.begin() + dims);
  for (size_t d = 0; d < dims; ++d) query[d] += 0.3f * centres[dims + d];
  SearchOptions o;
  o.k = 5;
  o.exact = true;
  const auto plain = Search(catalog, query, o);
  for (const auto& r : plain) REQUIRE(r.index / per == 0);  // all from the closest cluster
  o.diversity = 0.7f;
  const auto diverse = Search(catalog, query, o);
  std::set<uint32_t> seen;
  for (const auto& r : diverse) seen.insert(r.index / per);
  REQUIRE(seen.size() >= 4);
  REQUIRE(diverse[0].index == plain[0].index);  // the first pick is the most relevant

  // Reference greedy MMR over the same pool (the whole catalogue: 100 items).
  const size_t m = clusters * per;
  std::vector<double> score(m), norm(m);
  for (size_t i = 0; i < m; ++i) {
    double d = 0, nn = 0;
    for (size_t j = 0; j < dims; ++j) {
      d += double(v[i * dims + j]) * query[j];
      nn += double(v[i * dims + j]) * v[i * dims + j];
    }
    score[i] = d;
    norm[i] = std::sqrt(nn);
  }
  const double lo = *std::min_element(score.begin(), score.end());
  const double hi = *std::max_element(score.begin(), score.end());
  std::vector<uint32_t> picked;
  std::vector<double> max_sim(m, 0.0);
  std::vector<bool> taken(m, false);
  for (size_t step = 0; step < 5; ++step) {
    int best = -1;
    double best_value = 0;
    for (size_t i = 0; i < m; ++i) {
      if (taken[i]) continue;
      const double value = 0.3 * (score[i] - lo) / (hi - lo) - 0.7 * max_sim[i];
      if (best < 0 || value > best_value + 1e-9) {
        best = static_cast<int>(i);
        best_value = value;
      }
    }
    taken[best] = true;
    picked.push_back(best);
    for (size_t i = 0; i < m; ++i) {
      double dot = 0;
      for (size_t j = 0; j < dims; ++j) dot += double(v[i * dims + j]) * v[best * dims + j];
      max_sim[i] = std::max(max_sim[i], dot / (norm[i] * norm[best]));
    }
  }
  REQUIRE(Indices(diverse) == picked);
}

TEST_CASE("bad search arguments are refused clearly", "[rank]") {
  const size_t dims = 8;
  const std::vector<float> v = RandomUnitVectors(10, dims, 1);
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(v, dims), dims));
  const std::vector<float> q(v.begin(), v.begin() + dims);
  auto message = [&](std::span<const float> query, SearchOptions o) {
    try {
      Search(catalog, query, o);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  SearchOptions o;
  REQUIRE(message(q, o) == "accepted");
  o.k = 0;
  REQUIRE_THAT(message(q, o), Catch::Contains("k must"));
  o = {};
  REQUIRE_THAT(message(std::vector<float>(dims + 1, 0.1f), o), Catch::Contains("multiple"));
  std::vector<float> bad = q;
  bad[2] = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THAT(message(bad, o), Catch::Contains("NaN"));
  o.weights = {1, 2};
  REQUIRE_THAT(message(q, o), Catch::Contains("weights"));
  o = {};
  o.weights = {-1};
  REQUIRE_THAT(message(q, o), Catch::Contains("weights"));
  o = {};
  o.diversity = 1.5f;
  REQUIRE_THAT(message(q, o), Catch::Contains("diversity"));
  o = {};
  o.lexical_weight = -0.1f;
  REQUIRE_THAT(message(q, o), Catch::Contains("lexicalWeight"));
  o = {};
  REQUIRE_THAT(message({}, o), Catch::Contains("nothing to search"));
  o.terms = {{"star", 1.0f}};
  REQUIRE_THAT(message(q, o), Catch::Contains("no lexical part"));
  o = {};
  o.model_fingerprint = TestFingerprint(42);
  try {
    Search(catalog, q, o);
    FAIL("accepted another model's query");
  } catch (const Error& e) {
    REQUIRE(e.code() == ErrorCode::kModelMismatch);
  }
  o.model_fingerprint = TestFingerprint();
  REQUIRE(Search(catalog, q, o).size() == 10);  // k = 10 of 10 items
}

TEST_CASE("the refined rescoring kernel is the dot product with the decoded row", "[rank]") {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> value(-127, 127), byte(0, 255);
  std::normal_distribution<float> normal;
  for (size_t n : {1u, 5u, 16u, 40u, 384u}) {
    CAPTURE(n);
    std::vector<float> a(n);
    std::vector<int8_t> codes(n);
    std::vector<uint8_t> bits((n + 7) / 8);
    for (auto& x : a) x = normal(rng);
    for (auto& c : codes) c = static_cast<int8_t>(value(rng));
    for (auto& b : bits) b = static_cast<uint8_t>(byte(rng));
    double expected = 0;
    for (size_t d = 0; d < n; ++d) {
      const bool bit = (bits[d / 8] >> (d % 8)) & 1u;
      expected += double(a[d]) * (codes[d] + (bit ? 0.25 : -0.25));
    }
    REQUIRE(DotF32Refined(a.data(), codes.data(), bits.data(), n) == Approx(expected).margin(1e-3));
  }
}

TEST_CASE("a k or a candidate pool far beyond the catalogue returns every item", "[rank]") {
  // k = 4e9 reserved a 137 GB pool (found by tests/fuzz/fuzz_search.cc); now the pool is capped
  // at the catalogue's size, which changes no result.
  const size_t dims = 16, n = 50;
  const std::vector<float> items = RandomUnitVectors(n, dims, 3);
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(items, dims), dims));
  const std::vector<float> query(items.begin(), items.begin() + dims);
  SearchOptions o;
  o.k = n;
  const auto all = Search(catalog, query, o);
  REQUIRE(all.size() == n);
  for (size_t k : {size_t{4000000000u}, static_cast<size_t>(-1)}) {
    o.k = k;
    REQUIRE(Indices(Search(catalog, query, o)) == Indices(all));
    o.k = 10;
    o.candidates = k;
    REQUIRE(Search(catalog, query, o).size() == 10);
    o.candidates = 0;
  }
}

TEST_CASE("queries whose scores overflow a float are refused, not ranked by NaN", "[rank]") {
  // Found by tests/fuzz/fuzz_search.cc: finite but huge values overflowed to inf, then NaN.
  const size_t dims = 16, n = 20;
  const std::vector<float> items = RandomUnitVectors(n, dims, 4);
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(items, dims), dims));
  std::vector<float> query(items.begin(), items.begin() + dims);
  for (float& x : query) x *= 3e38f;
  SearchOptions o;
  for (bool exact : {false, true}) {
    o.exact = exact;
    try {
      Search(catalog, query, o);
      FAIL("an overflowing query was ranked");
    } catch (const localrec::Error& e) {
      REQUIRE(e.code() == localrec::ErrorCode::kInvalidArgument);
    }
  }
  for (float& x : query) x /= 3e38f;
  REQUIRE(Search(catalog, query, o).size() == 10);
}

TEST_CASE("a query of subnormal values is quantised without overflow", "[rank]") {
  // Found by tests/fuzz/fuzz_search.cc (UBSan): 127 / max overflowed a float, 0 * inf was NaN.
  const size_t dims = 16, n = 20;
  const std::vector<float> items = RandomUnitVectors(n, dims, 5);
  const Catalog catalog = Catalog::FromBytes(MakeCatalogBytes(ItemsFromVectors(items, dims), dims));
  std::vector<float> query(dims, 0.0f);
  query[3] = 1e-45f;
  query[7] = -1e-45f;
  SearchOptions o;
  const auto r = Search(catalog, query, o);
  REQUIRE(r.size() == 10);
  std::vector<int8_t> codes(dims);
  QuantizeInt8(query, codes);
  REQUIRE(codes[3] == 127);
  REQUIRE(codes[7] == -127);
  REQUIRE(codes[0] == 0);
}
