// Recommend: ranks a Catalog for an InterestProfile in one call: the profile's query for the
// chosen strategy (interests' vectors, the user's weighted words), the catalogue's search
// (int8 scan, BM25 fusion, filters, MMR), and the reasons of each result: the interest whose
// vector matched (with its c-TF-IDF label) and the user's keywords found in the item's title and
// text. This is the layer above profile/ and rank/ (docs/architecture.md); the JS
// `InterestProfile.rank()` is a thin call to it. Pure: neither the profile nor the catalogue
// changes; items with feedback (liked or dismissed) are left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/profile/interest_profile.h"
#include "core/rank/search.h"

namespace localrec {

// Every default of rank() lives here (the binding exports them to JS, web/src/core.js
// `coreDefaults()`); the query's own (terms, interests, lexical weight) are QueryOptions'.
struct RecommendOptions {
  // A candidate pool per part (dense, lexical) that does not shrink with k, so the fused scores'
  // normalisation (and thus the top of the ranking) is the same whether 10 or 100 are asked for.
  static constexpr size_t kMinCandidates = 400;
  static constexpr size_t kLabelTerms = 3;      // label keywords of a result's interest
  static constexpr size_t kReasonKeywords = 3;  // the user's keywords found in a result

  size_t k = 10;                                // results (at most the catalogue's size)
  Strategy strategy = Strategy::kHybrid;        // the eval's winner (docs/profile.md)
  QueryOptions query;                           // maxTerms, maxInterests, ... (profile/)
  float diversity = SearchOptions{}.diversity;  // MMR trade-off in [0, 1]
  std::vector<std::string> exclude_ids;         // besides the items with feedback
  std::vector<std::string> require_tags;
  std::vector<std::string> exclude_tags;
  Fusion fusion = SearchOptions{}.fusion;
  Normalization normalization = SearchOptions{}.normalization;
  size_t candidates = 0;  // per part; 0 = max(4k, kMinCandidates)
  float bm25_k1 = SearchOptions{}.bm25_k1;
  float bm25_b = SearchOptions{}.bm25_b;
  bool explain = true;  // false: no keyword reasons, no interest labels, no metadata
};

struct Recommendation {
  uint32_t index = 0;   // the item in the catalogue
  std::string_view id;  // a view into the catalogue
  float score = 0.0f;
  float dense = 0.0f;
  float lexical = 0.0f;
  uint32_t interest_id = 0;  // the interest whose vector matched best; 0 when none did
  std::vector<std::string> interest_keywords;  // its label (empty unless explain)
  std::vector<std::string> keywords;           // the user's keywords in the item (explain)
};

// The top k for `profile` (empty when the profile knows nothing yet). On a catalogue without a
// lexical part (built without texts) the hybrid strategy uses its dense half. Throws
// Error(kInvalidArgument) for bad options (or 'lexical' on a catalogue without terms) and
// Error(kModelMismatch) when the catalogue was built with another model than the profile.
std::vector<Recommendation> Recommend(const InterestProfile& profile, const Catalog& catalog,
                                      const RecommendOptions& options);

// The text a result's keyword reasons are matched against: the string `title` and `text` of the
// item's metadata JSON (the last of duplicate keys, as JSON.parse), joined by a line break; ""
// when it has neither. Exposed for tests.
std::string ItemReasonText(std::string_view metadata_json);

}  // namespace localrec
