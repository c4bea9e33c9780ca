// libFuzzer target for the catalogue's search options (src/core/rank/search.h) as a caller may
// pass them: any k, weights, tags, exclusions, diversity, terms, fusion settings and query
// vectors (NaN and huge values included). Search either throws localrec::Error or returns at
// most k distinct, valid items with finite scores. Seeds: tests/fuzz/corpus/fuzz_search/.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/common/error.h"
#include "core/rank/search.h"
#include "fuzz_bytes.h"

namespace {
constexpr size_t kDims = 8;

const localrec::Catalog& Fixture() {
  static const localrec::Catalog catalog = [] {
    localrec::CatalogBuilder b(kDims, localrec::Fingerprint{}, {});
    const char* texts[] = {"telescope star chart", "bread oven baking", "guitar chord music",
                           "chess opening", "star telescope mount", "", "music studio mixing"};
    for (size_t i = 0; i < 7; ++i) {
      std::vector<float> v(kDims, 0.0f);
      v[i % kDims] = 0.8f;
      v[(i * 3 + 1) % kDims] = 0.6f;
      std::vector<std::string> tags = {i % 2 ? "odd" : "even"};
      b.Add({"item" + std::to_string(i), v, "", tags, texts[i]});
    }
    return localrec::Catalog::FromBuffer(b.Finish());
  }();
  return catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Bytes in(data, size);
  const localrec::Catalog& c = Fixture();
  localrec::SearchOptions o;
  o.k = in.U8() % 4 == 0 ? in.U32() : in.U8() % 12;
  const size_t nq = in.U8() % 4;
  std::vector<float> q;
  for (size_t i = 0; i < nq * kDims; ++i) q.push_back(static_cast<float>(in.Number()));
  for (size_t i = 0, n = in.U8() % 5; i < n; ++i) o.weights.push_back(static_cast<float>(in.Number()));
  o.combine = in.U8() % 2 ? localrec::Combine::kSum : localrec::Combine::kMax;
  for (size_t i = 0, n = in.U8() % 3; i < n; ++i) o.exclude_ids.push_back(in.Str(16));
  for (size_t i = 0, n = in.U8() % 2; i < n; ++i) o.require_tags.push_back(in.Str(8));
  for (size_t i = 0, n = in.U8() % 2; i < n; ++i) o.exclude_tags.push_back(in.Str(8));
  o.diversity = static_cast<float>(in.Number());
  for (size_t i = 0, n = in.U8() % 4; i < n; ++i) {
    o.terms.push_back({in.Str(16), static_cast<float>(in.Number())});
  }
  o.lexical_weight = static_cast<float>(in.Number());
  o.fusion = in.U8() % 2 ? localrec::Fusion::kRrf : localrec::Fusion::kWeighted;
  o.normalization = in.U8() % 2 ? localrec::Normalization::kZScore : localrec::Normalization::kMinMax;
  if (in.U8() % 8 == 0) o.model_fingerprint = localrec::Fingerprint{};
  o.candidates = in.U8() % 4 == 0 ? in.U32() : in.U8() % 10;
  o.exact = in.U8() % 2;
  o.bm25_k1 = static_cast<float>(in.Number());
  o.bm25_b = static_cast<float>(in.Number());
  o.rrf_k = static_cast<float>(in.Number());
  try {
    const auto results = localrec::Search(c, q, o);
    if (results.size() > o.k || results.size() > c.size()) std::abort();
    std::set<uint32_t> seen;
    for (const auto& r : results) {
      if (r.index >= c.size() || !seen.insert(r.index).second) std::abort();
      if (!std::isfinite(r.score) || !std::isfinite(r.dense) || !std::isfinite(r.lexical)) std::abort();
      if (r.query < -1 || r.query >= static_cast<int32_t>(nq)) std::abort();
    }
  } catch (const localrec::Error&) {
  }
  return 0;
}
