#include "core/rank/search.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/catalog/quantize.h"
#include "core/common/error.h"
#include "core/rank/kernels.h"
#include "core/text/analyzer.h"

namespace localrec {

namespace {

// Rows scored per kernel call: 64 rows of 384 int8 stay in L1 while several queries reuse them.
constexpr size_t kBlockRows = 64;

[[noreturn]] void Invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidArgument, message);
}

struct Scored {
  float score;
  uint32_t index;
};

// The ranking order everywhere: higher score first, then lower index.
inline bool Better(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.index < b.index);
}

// Keeps the `capacity` best entries seen; the worst one is at the top of the heap.
class TopK {
 public:
  explicit TopK(size_t capacity) : capacity_(capacity) { heap_.reserve(capacity); }
  // Lowest score that can still enter (for the scan's fast rejection).
  bool Full() const { return heap_.size() == capacity_; }
  float Threshold() const { return heap_.front().score; }
  void Push(Scored s) {
    if (capacity_ == 0) return;
    if (heap_.size() < capacity_) {
      heap_.push_back(s);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (Better(s, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = s;
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }
  std::vector<Scored> Sorted() && {
    std::sort(heap_.begin(), heap_.end(), Better);
    return std::move(heap_);
  }

 private:
  size_t capacity_;
  std::vector<Scored> heap_;
};

void CheckFinite(std::span<const float> v, const char* what) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      Invalid(std::string(what) + " has a NaN or infinite value at position " + std::to_string(i));
    }
  }
}

// Exact dense scores of item i against every original query: the stored f32 row when present,
// else the dequantised int8 row (with its refinement bits or residual when stored).
struct DenseExact {
  float score;
  int32_t query;
};

class DenseScorer {
 public:
  DenseScorer(const Catalog& catalog, std::span<const float> queries, size_t num_queries,
              std::span<const float> weights, Combine combine)
      : catalog_(catalog), queries_(queries), nq_(num_queries), weights_(weights),
        combine_(combine) {}

  DenseExact Score(size_t i) const {
    const size_t dims = catalog_.dims();
    float best = 0.0f, sum = 0.0f;
    int32_t best_q = -1;
    for (size_t q = 0; q < nq_; ++q) {
      const float* qv = queries_.data() + q * dims;
      float dot;
      if (catalog_.has_f32()) {
        dot = DotF32(qv, catalog_.vector_f32(i), dims);
      } else if (catalog_.has_refinement()) {
        dot = DotF32Refined(qv, catalog_.vector_i8(i), catalog_.refinement_bits(i), dims) *
              catalog_.scale(i);
      } else {
        dot = DotF32Int8(qv, catalog_.vector_i8(i), dims) * catalog_.scale(i);
        if (catalog_.has_residual()) {
          dot += DotF32Int8(qv, catalog_.residual_i8(i), dims) * catalog_.residual_scale(i);
        }
      }
      const float contribution = weights_[q] * dot;
      sum += contribution;
      if (best_q < 0 || contribution > best) {
        best = contribution;
        best_q = static_cast<int32_t>(q);
      }
    }
    return {combine_ == Combine::kSum ? sum : best, best_q};
  }

 private:
  const Catalog& catalog_;
  std::span<const float> queries_;
  size_t nq_;
  std::span<const float> weights_;
  Combine combine_;
};

// Allowed items after the filters; an empty vector means "all".
std::vector<uint8_t> BuildFilter(const Catalog& catalog, const SearchOptions& o, bool* none) {
  *none = false;
  std::vector<uint8_t> allowed;
  if (o.exclude_ids.empty() && o.require_tags.empty() && o.exclude_tags.empty()) return allowed;
  const size_t n = catalog.size();
  allowed.assign(n, 1);
  for (const std::string& id : o.exclude_ids) {
    if (auto i = catalog.IndexOf(id)) allowed[*i] = 0;
  }
  std::vector<uint32_t> require, exclude;
  for (const std::string& t : o.require_tags) {
    const auto id = catalog.FindTag(t);
    if (!id) {  // nothing carries an unknown tag
      *none = true;
      return allowed;
    }
    require.push_back(*id);
  }
  for (const std::string& t : o.exclude_tags) {
    if (auto id = catalog.FindTag(t)) exclude.push_back(*id);
  }
  std::sort(require.begin(), require.end());
  require.erase(std::unique(require.begin(), require.end()), require.end());
  if (require.empty() && exclude.empty()) return allowed;
  for (size_t i = 0; i < n; ++i) {
    if (!allowed[i]) continue;
    const auto tags = catalog.item_tags(i);  // sorted
    if (!std::includes(tags.begin(), tags.end(), require.begin(), require.end())) {
      allowed[i] = 0;
      continue;
    }
    for (uint32_t t : exclude) {
      if (std::binary_search(tags.begin(), tags.end(), t)) {
        allowed[i] = 0;
        break;
      }
    }
  }
  return allowed;
}

// Dense candidates: the int8 scan (or an exact scan) keeps the best `capacity` items.
std::vector<Scored> DenseCandidates(const Catalog& catalog, std::span<const float> queries,
                                    size_t nq, std::span<const float> weights, Combine combine,
                                    const std::vector<uint8_t>& allowed, size_t capacity,
                                    bool exact) {
  const size_t n = catalog.size(), dims = catalog.dims();
  TopK top(capacity);
  if (exact) {
    DenseScorer scorer(catalog, queries, nq, weights, combine);
    for (size_t i = 0; i < n; ++i) {
      if (!allowed.empty() && !allowed[i]) continue;
      top.Push({scorer.Score(i).score, static_cast<uint32_t>(i)});
    }
    return std::move(top).Sorted();
  }

  // A weighted sum of dot products is the dot product with the weighted sum of the queries, so
  // 'sum' scans with one vector; 'max' scans with each query and keeps the best weighted score.
  std::vector<float> effective;
  std::vector<float> effective_weights;
  if (combine == Combine::kSum && nq > 1) {
    effective.assign(dims, 0.0f);
    for (size_t q = 0; q < nq; ++q) {
      for (size_t d = 0; d < dims; ++d) effective[d] += weights[q] * queries[q * dims + d];
    }
    effective_weights = {1.0f};
  } else {
    effective.assign(queries.begin(), queries.end());
    effective_weights.assign(weights.begin(), weights.end());
  }
  const size_t ne = effective_weights.size();
  const size_t stride = catalog.stride_i8();
  std::vector<int16_t> q16(ne * stride, 0);
  std::vector<float> factor(ne);
  {
    std::vector<int8_t> q8(stride);
    for (size_t q = 0; q < ne; ++q) {
      const float s = QuantizeInt8(std::span<const float>(effective.data() + q * dims, dims), q8);
      for (size_t d = 0; d < stride; ++d) q16[q * stride + d] = q8[d];
      factor[q] = effective_weights[q] * s;
    }
  }

  std::vector<int32_t> dots(kBlockRows * ne);
  const int8_t* rows = catalog.vectors_i8();
  const float* scales = catalog.scales();
  for (size_t start = 0; start < n; start += kBlockRows) {
    const size_t count = std::min(kBlockRows, n - start);
    DotInt8Rows(rows + start * stride, stride, count, q16.data(), ne, dots.data());
    for (size_t r = 0; r < count; ++r) {
      const size_t i = start + r;
      float best = factor[0] * static_cast<float>(dots[r * ne]);
      for (size_t q = 1; q < ne; ++q) best = std::max(best, factor[q] * static_cast<float>(dots[r * ne + q]));
      const float score = best * scales[i];
      if (top.Full() && score < top.Threshold()) continue;  // the common case: rejected
      if (!allowed.empty() && !allowed[i]) continue;
      top.Push({score, static_cast<uint32_t>(i)});
    }
  }
  return std::move(top).Sorted();
}

std::vector<float> Normalized(const std::vector<float>& v, Normalization how) {
  std::vector<float> out(v.size(), 0.0f);
  if (v.empty()) return out;
  if (how == Normalization::kMinMax) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    const double range = static_cast<double>(*hi) - static_cast<double>(*lo);
    if (range <= 0.0) return out;
    for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>((v[i] - *lo) / range);
    return out;
  }
  double mean = 0.0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double var = 0.0;
  for (float x : v) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / static_cast<double>(v.size()));
  if (sd <= 0.0) return out;
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>((v[i] - mean) / sd);
  return out;
}

// Greedy maximal marginal relevance over `pool` (sorted by score): each step takes the item with
// the best (1 - diversity) * relevance - diversity * (max cosine to the items already taken);
// relevance is the score min-max normalised over the pool.
std::vector<size_t> Mmr(const Catalog& catalog, const std::vector<SearchResult>& pool, size_t k,
                        float diversity) {
  const size_t m = pool.size(), dims = catalog.dims();
  std::vector<float> vectors(m * dims), norms(m);
  for (size_t j = 0; j < m; ++j) {
    std::span<float> v(vectors.data() + j * dims, dims);
    catalog.Vector(pool[j].index, v);
    norms[j] = std::sqrt(DotF32(v.data(), v.data(), dims));
  }
  std::vector<float> scores(m);
  for (size_t j = 0; j < m; ++j) scores[j] = pool[j].score;
  const std::vector<float> relevance = Normalized(scores, Normalization::kMinMax);
  std::vector<float> max_sim(m, 0.0f);
  std::vector<uint8_t> taken(m, 0);
  std::vector<size_t> order;
  bool first = true;
  while (order.size() < std::min(k, m)) {
    size_t best = m;
    float best_value = 0.0f;
    for (size_t j = 0; j < m; ++j) {
      if (taken[j]) continue;
      const float value = (1.0f - diversity) * relevance[j] - diversity * (first ? 0.0f : max_sim[j]);
      if (best == m || value > best_value) {  // pool order breaks ties
        best = j;
        best_value = value;
      }
    }
    taken[best] = 1;
    order.push_back(best);
    first = false;
    const float* b = vectors.data() + best * dims;
    for (size_t j = 0; j < m; ++j) {
      if (taken[j]) continue;
      const float denom = norms[j] * norms[best];
      const float sim = denom > 0.0f ? DotF32(vectors.data() + j * dims, b, dims) / denom : 0.0f;
      max_sim[j] = std::max(max_sim[j], sim);
    }
  }
  return order;
}

}  // namespace

std::vector<float> Bm25Scores(const Catalog& catalog, std::span<const WeightedTerm> terms, float k1,
                              float b) {
  if (!catalog.has_terms()) {
    Invalid("this catalogue has no lexical part (it was built without item texts): search "
            "without terms, or rebuild it with texts");
  }
  if (!std::isfinite(k1) || k1 < 0.0f) Invalid("bm25 k1 must be a finite number >= 0");
  if (!std::isfinite(b) || b < 0.0f || b > 1.0f) Invalid("bm25 b must be in [0, 1]");
  // Analysed query terms with summed weights (std::map: a fixed order, so sums are reproducible).
  std::map<uint32_t, float> query;
  for (const WeightedTerm& wt : terms) {
    if (!std::isfinite(wt.weight)) Invalid("the weight of term '" + wt.term + "' is not finite");
    if (wt.analyzed) {
      for (size_t start = 0; start <= wt.term.size();) {
        size_t end = wt.term.find(' ', start);
        if (end == std::string::npos) end = wt.term.size();
        if (end > start) {
          if (auto id = catalog.FindTerm(std::string_view(wt.term).substr(start, end - start))) {
            query[*id] += wt.weight;
          }
        }
        start = end + 1;
      }
      continue;
    }
    for (const std::string& t : AnalyzeTerms(wt.term)) {
      if (auto id = catalog.FindTerm(t)) query[*id] += wt.weight;
    }
  }
  const size_t n = catalog.size();
  std::vector<float> scores(n, 0.0f);
  const double avgdl = catalog.average_doc_length();
  for (const auto& [t, weight] : query) {
    if (weight == 0.0f) continue;
    const double df = catalog.doc_frequency(t);
    const double idf = std::log(1.0 + (static_cast<double>(n) - df + 0.5) / (df + 0.5));
    const auto items = catalog.posting_items(t);
    const auto tfs = catalog.posting_tfs(t);
    for (size_t j = 0; j < items.size(); ++j) {
      const double tf = tfs[j];
      const double norm = k1 * (1.0 - b + b * catalog.doc_length(items[j]) / avgdl);
      scores[items[j]] += static_cast<float>(weight * idf * tf * (k1 + 1.0) / (tf + norm));
    }
  }
  return scores;
}

std::vector<SearchResult> Search(const Catalog& catalog, std::span<const float> queries,
                                 const SearchOptions& o) {
  const size_t dims = catalog.dims(), n = catalog.size();
  if (o.model_fingerprint) catalog.CheckFingerprint(*o.model_fingerprint);
  if (o.k == 0) Invalid("k must be at least 1");
  if (queries.size() % dims != 0) {
    Invalid("query vectors have " + std::to_string(queries.size()) +
            " values, not a multiple of the catalogue's " + std::to_string(dims) + " dimensions");
  }
  const size_t nq = queries.size() / dims;
  CheckFinite(queries, "a query vector");
  std::vector<float> weights = o.weights;
  if (weights.empty()) weights.assign(nq, 1.0f);
  if (weights.size() != nq) {
    Invalid("got " + std::to_string(weights.size()) + " weights for " + std::to_string(nq) +
            " query vectors");
  }
  for (float w : weights) {
    if (!std::isfinite(w) || w < 0.0f) Invalid("query weights must be finite and >= 0");
  }
  if (!(o.diversity >= 0.0f && o.diversity <= 1.0f)) Invalid("diversity must be in [0, 1]");
  if (!(o.lexical_weight >= 0.0f && o.lexical_weight <= 1.0f)) {
    Invalid("lexicalWeight must be in [0, 1]");
  }
  if (!(o.rrf_k > 0.0f) || !std::isfinite(o.rrf_k)) Invalid("rrf k must be a finite number > 0");
  if (!(o.bm25_k1 >= 0.0f) || !std::isfinite(o.bm25_k1)) {
    Invalid("bm25 k1 must be a finite number >= 0");
  }
  if (!(o.bm25_b >= 0.0f && o.bm25_b <= 1.0f)) Invalid("bm25 b must be in [0, 1]");
  const bool lexical = !o.terms.empty();
  if (nq == 0 && !lexical) Invalid("nothing to search for: give query vectors, terms, or both");

  bool none = false;
  const std::vector<uint8_t> allowed = BuildFilter(catalog, o, &none);
  std::vector<float> lex;
  if (lexical) lex = Bm25Scores(catalog, o.terms, o.bm25_k1, o.bm25_b);
  if (none || n == 0) return {};

  // No pool larger than the catalogue: it would change no result, only reserve memory (a k of
  // 4e9 asked for 137 GB, found by tests/fuzz/fuzz_search.cc), and 4 * k could wrap in wasm32.
  const uint64_t k = std::min<uint64_t>(o.k, n);
  const uint64_t wanted =
      o.candidates != 0 ? o.candidates : std::max<uint64_t>(4 * k, SearchOptions::kMinCandidates);
  const size_t capacity = static_cast<size_t>(std::min<uint64_t>(std::max(k, wanted), n));
  const DenseScorer scorer(catalog, queries, nq, weights, o.combine);

  // The pool: dense candidates (rescored exactly) and lexical candidates (score > 0).
  std::vector<uint32_t> pool;
  if (nq > 0) {
    for (const Scored& s : DenseCandidates(catalog, queries, nq, weights, o.combine, allowed,
                                           capacity, o.exact)) {
      pool.push_back(s.index);
    }
  }
  if (lexical) {
    TopK top(capacity);
    for (size_t i = 0; i < n; ++i) {
      if (lex[i] > 0.0f && (allowed.empty() || allowed[i])) top.Push({lex[i], static_cast<uint32_t>(i)});
    }
    for (const Scored& s : std::move(top).Sorted()) pool.push_back(s.index);
  }
  std::sort(pool.begin(), pool.end());
  pool.erase(std::unique(pool.begin(), pool.end()), pool.end());

  std::vector<SearchResult> results(pool.size());
  for (size_t j = 0; j < pool.size(); ++j) {
    SearchResult& r = results[j];
    r.index = pool[j];
    if (nq > 0) {
      const DenseExact d = scorer.Score(r.index);
      r.dense = d.score;
      r.query = d.query;
    }
    if (lexical) r.lexical = lex[r.index];
  }

  if (nq > 0 && lexical) {
    const float lw = o.lexical_weight;
    if (o.fusion == Fusion::kWeighted) {
      std::vector<float> dense(results.size()), lexs(results.size());
      for (size_t j = 0; j < results.size(); ++j) {
        dense[j] = results[j].dense;
        lexs[j] = results[j].lexical;
      }
      const std::vector<float> dn = Normalized(dense, o.normalization);
      const std::vector<float> ln = Normalized(lexs, o.normalization);
      for (size_t j = 0; j < results.size(); ++j) results[j].score = (1.0f - lw) * dn[j] + lw * ln[j];
    } else {
      // Reciprocal rank fusion: ranks within the pool, 1-based; no lexical match, no lexical term.
      std::vector<Scored> by_dense(results.size()), by_lex;
      for (size_t j = 0; j < results.size(); ++j) {
        by_dense[j] = {results[j].dense, static_cast<uint32_t>(j)};
        if (results[j].lexical > 0.0f) by_lex.push_back({results[j].lexical, static_cast<uint32_t>(j)});
      }
      // Pool slots are in index order, so ordering by slot on ties is ordering by item index.
      std::sort(by_dense.begin(), by_dense.end(), Better);
      std::sort(by_lex.begin(), by_lex.end(), Better);
      for (auto& r : results) r.score = 0.0f;
      for (size_t rank = 0; rank < by_dense.size(); ++rank) {
        results[by_dense[rank].index].score += (1.0f - lw) / (o.rrf_k + static_cast<float>(rank + 1));
      }
      for (size_t rank = 0; rank < by_lex.size(); ++rank) {
        results[by_lex[rank].index].score += lw / (o.rrf_k + static_cast<float>(rank + 1));
      }
    }
  } else {
    for (auto& r : results) r.score = nq > 0 ? r.dense : r.lexical;
  }
  // Finite query values and weights can still overflow a float (a query component of 1e30, a
  // term weight of 1e38): an error, not NaN scores that also break the sort's ordering (found by
  // tests/fuzz/fuzz_search.cc).
  for (const SearchResult& r : results) {
    if (!std::isfinite(r.score) || !std::isfinite(r.dense) || !std::isfinite(r.lexical)) {
      Invalid("the query's values or weights are too large: scores overflow (pass unit-length "
              "query vectors and moderate weights)");
    }
  }

  std::sort(results.begin(), results.end(), [](const SearchResult& a, const SearchResult& b) {
    return Better({a.score, a.index}, {b.score, b.index});
  });
  if (o.diversity > 0.0f && results.size() > 1) {
    const std::vector<size_t> order = Mmr(catalog, results, o.k, o.diversity);
    std::vector<SearchResult> picked;
    picked.reserve(order.size());
    for (size_t j : order) picked.push_back(results[j]);
    return picked;
  }
  if (results.size() > o.k) results.resize(o.k);
  return results;
}

}  // namespace localrec
