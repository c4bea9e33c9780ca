// Ranking a Catalog: exact top-k of dot products against one or several query vectors (int8 SIMD
// scan, then f32 rescoring of an over-fetched candidate set), filters, BM25 over the items' terms
// for a weighted term query, fusion of the two, and MMR diversity. Results are deterministic:
// equal scores are ordered by item index. Search is a pure function of its inputs (thread-safe
// on a shared const Catalog).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/common/enum_names.h"

namespace localrec {

enum class Combine { kMax, kSum };           // several query vectors: weighted max or sum
enum class Fusion { kWeighted, kRrf };        // how dense and lexical scores are fused
enum class Normalization { kMinMax, kZScore };  // per-query normalisation for kWeighted
inline constexpr EnumName<Combine> kCombineNames[] = {{"max", Combine::kMax},
                                                      {"sum", Combine::kSum}};
inline constexpr EnumName<Fusion> kFusionNames[] = {{"weighted", Fusion::kWeighted},
                                                    {"rrf", Fusion::kRrf}};
inline constexpr EnumName<Normalization> kNormalizationNames[] = {
    {"minmax", Normalization::kMinMax}, {"zscore", Normalization::kZScore}};

struct WeightedTerm {
  std::string term;  // raw words; analysed with AnalyzeTerms (every resulting term gets `weight`)
  float weight = 1.0f;
  // `term` already holds analysed terms separated by spaces (a profile's keyword key): they are
  // looked up as they are. Analysing a Chinese word again on its own may split it differently
  // from the text it came from (迷上 in 迷上了 is one word, alone two), so keys are not re-analysed.
  bool analyzed = false;
};

struct SearchOptions {
  static constexpr size_t kMinCandidates = 100;  // the default pool is max(4k, kMinCandidates)

  size_t k = 10;
  std::vector<float> weights;             // one per query vector (finite, >= 0); empty: all 1
  Combine combine = Combine::kMax;
  std::vector<std::string> exclude_ids;   // ids the catalogue lacks are ignored
  std::vector<std::string> require_tags;  // an item must carry all of them
  std::vector<std::string> exclude_tags;  // an item carrying any of them is dropped
  float diversity = 0.0f;                 // MMR trade-off in [0, 1]; 0 = plain relevance order
  std::vector<WeightedTerm> terms;        // lexical query (BM25); needs a catalogue with terms
  float lexical_weight = 0.5f;            // share of the lexical part in fusion, [0, 1]
  Fusion fusion = Fusion::kWeighted;
  Normalization normalization = Normalization::kMinMax;
  std::optional<Fingerprint> model_fingerprint;  // refused (kModelMismatch) when it differs
  size_t candidates = 0;                  // per-part candidate pool; 0 = max(4k, kMinCandidates)
  bool exact = false;                     // score every item in f32, no int8 scan (reference)
  float bm25_k1 = 1.2f;
  float bm25_b = 0.75f;
  float rrf_k = 60.0f;
};

struct SearchResult {
  uint32_t index = 0;
  float score = 0.0f;    // the ranking score (fused when both parts are present)
  float dense = 0.0f;    // combined weighted dot product (0 without query vectors)
  float lexical = 0.0f;  // weighted BM25 (0 without terms or when no term matches)
  int32_t query = -1;    // query vector with the largest weighted dot product; -1 if none
};

// `queries` holds num_queries x catalog.dims() floats, row-major (may be empty when `terms` are
// given). Throws Error(kInvalidArgument) for bad options and Error(kModelMismatch) for a
// fingerprint that differs from the catalogue's.
std::vector<SearchResult> Search(const Catalog& catalog, std::span<const float> queries,
                                 const SearchOptions& options);

// BM25 of every item for a weighted term query (0 where nothing matches), with the Lucene idf
// ln(1 + (N - df + 0.5) / (df + 0.5)). Exposed for tests and evaluation.
std::vector<float> Bm25Scores(const Catalog& catalog, std::span<const WeightedTerm> terms,
                              float k1 = 1.2f, float b = 0.75f);

}  // namespace localrec
