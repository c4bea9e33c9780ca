// The paper's step 3, KeyBERT-style: candidate words and 2-3 word phrases from a post (via the
// shared analyser, so stop words and matching keys are the catalogue's), then the candidates most
// similar to the post's own embedding, diversified with maximal marginal relevance (MMR).
// Stateless apart from its options; const methods are thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace localrec {

struct KeywordCandidate {
  std::string key;     // analysed terms joined by one space: the matching key ("star chart")
  std::string text;    // case-folded surfaces as first written ("star charts"; Chinese words
                       // joined without spaces, "电影推荐"): shown and embedded
  uint32_t words = 0;  // 1..max_phrase_words
  uint32_t count = 0;  // occurrences in the post
  uint32_t first = 0;  // word index of the first occurrence
};

struct KeywordChoice {
  uint32_t candidate = 0;  // index into the candidate list
  float relevance = 0;     // cosine between the candidate's and the post's embeddings
};

struct KeywordExtractorOptions {
  uint32_t max_candidates = 96;    // per post, most frequent first (bounds the encoder call)
  uint32_t max_phrase_words = 3;   // 1 = single words only
  uint32_t keywords_per_post = 8;  // KeyBERT's top_n
  double diversity = 0.5;          // MMR: 0 = by relevance only, 1 = by novelty only
};

class KeywordExtractor {
 public:
  // Longest surface (bytes) a word may have to be a candidate: longer "words" are hashes, URLs
  // run together or base64, not interests.
  static constexpr size_t kMaxWordBytes = 48;

  // Throws Error(kInvalidArgument) on out-of-range options (0 candidates or keywords, phrase
  // length outside 1..3, diversity outside [0, 1]).
  explicit KeywordExtractor(const KeywordExtractorOptions& options);

  const KeywordExtractorOptions& options() const { return options_; }

  // Candidates of `text`: every non-stop word, and every run of 2..max_phrase_words non-stop
  // words that no stop word or punctuation interrupts. Deduplicated by key; at most
  // max_candidates, the most frequent first (ties: earlier first, then shorter). Throws
  // Error(kInvalidUtf8) on invalid UTF-8. Linear in the text length.
  std::vector<KeywordCandidate> Candidates(std::string_view text) const;

  // KeyBERT with MMR: picks up to keywords_per_post candidates. The first is the most relevant;
  // each next one maximises (1 - diversity) * relevance - diversity * (max cosine to the picked
  // ones). `post` and each candidate vector are L2-normalised and of equal length. O(n * top_n *
  // dims) for n candidates.
  std::vector<KeywordChoice> Select(std::span<const float> post,
                                    std::span<const std::span<const float>> candidates) const;

 private:
  KeywordExtractorOptions options_;
};

}  // namespace localrec
