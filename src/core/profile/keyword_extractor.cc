#include "core/profile/keyword_extractor.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "core/common/error.h"
#include "core/profile/vector_math.h"
#include "core/text/analyzer.h"

namespace localrec {

KeywordExtractor::KeywordExtractor(const KeywordExtractorOptions& options) : options_(options) {
  if (options.max_candidates == 0 || options.max_candidates > 4096) {
    throw Error(ErrorCode::kInvalidArgument, "maxCandidates must be in 1..4096");
  }
  if (options.max_phrase_words < 1 || options.max_phrase_words > 3) {
    throw Error(ErrorCode::kInvalidArgument, "maxPhraseWords must be 1, 2 or 3");
  }
  if (options.keywords_per_post == 0 || options.keywords_per_post > 256) {
    throw Error(ErrorCode::kInvalidArgument, "keywordsPerPost must be in 1..256");
  }
  if (!(options.diversity >= 0 && options.diversity <= 1)) {
    throw Error(ErrorCode::kInvalidArgument, "keywordDiversity must be in [0, 1]");
  }
}

std::vector<KeywordCandidate> KeywordExtractor::Candidates(std::string_view text) const {
  const std::vector<AnalyzedWord> words = AnalyzeText(text);
  std::vector<KeywordCandidate> found;
  std::unordered_map<std::string, size_t> by_key;

  auto add = [&](size_t begin, size_t n) {
    std::string key = words[begin].term;
    std::string shown = words[begin].surface;
    for (size_t i = begin + 1; i < begin + n; ++i) {
      key += ' ';
      key += words[i].term;
      // Chinese is written without spaces: 电影 + 推荐 shows as 电影推荐 (the key keeps the space).
      if (!(words[i - 1].han && words[i].han)) shown += ' ';
      shown += words[i].surface;
    }
    auto [it, inserted] = by_key.try_emplace(std::move(key), found.size());
    if (inserted) {
      KeywordCandidate c;
      c.key = it->first;
      c.text = std::move(shown);
      c.words = static_cast<uint32_t>(n);
      c.count = 1;
      c.first = static_cast<uint32_t>(begin);
      found.push_back(std::move(c));
    } else {
      ++found[it->second].count;
    }
  };

  // A phrase may start at word i and extend while no stop word, oversized word or phrase
  // boundary (punctuation, line break) intervenes.
  auto usable = [&](size_t i) {
    return !words[i].stop && words[i].surface.size() <= kMaxWordBytes;
  };
  // A one-character Chinese word (拍, 写, 看) is a candidate alone but joins no phrase: such
  // phrases are mostly a verb glued to its object (山顶拍), which does not read as a topic.
  auto joins = [&](size_t i) {
    return !(words[i].han && words[i].surface.size() <= 4);  // one Han code point: 3-4 bytes
  };
  for (size_t i = 0; i < words.size(); ++i) {
    if (!usable(i)) continue;
    add(i, 1);
    if (!joins(i)) continue;
    for (size_t n = 2; n <= options_.max_phrase_words && i + n <= words.size(); ++n) {
      const size_t last = i + n - 1;
      if (!usable(last) || words[last].phrase_start || !joins(last)) break;
      add(i, n);
    }
  }

  std::stable_sort(found.begin(), found.end(),
                   [](const KeywordCandidate& a, const KeywordCandidate& b) {
                     if (a.count != b.count) return a.count > b.count;
                     if (a.first != b.first) return a.first < b.first;
                     return a.words < b.words;
                   });
  if (found.size() > options_.max_candidates) found.resize(options_.max_candidates);
  return found;
}

std::vector<KeywordChoice> KeywordExtractor::Select(
    std::span<const float> post, std::span<const std::span<const float>> candidates) const {
  const size_t n = candidates.size();
  std::vector<float> relevance(n);
  for (size_t i = 0; i < n; ++i) {
    if (candidates[i].size() != post.size()) {
      throw Error(ErrorCode::kInvalidArgument, "candidate embedding has the wrong dimension");
    }
    relevance[i] = Dot(post, candidates[i]);
  }
  const size_t top_n = std::min<size_t>(options_.keywords_per_post, n);
  std::vector<KeywordChoice> chosen;
  chosen.reserve(top_n);
  std::vector<bool> taken(n, false);
  // Highest cosine of each candidate to any picked keyword so far (MMR's redundancy term).
  std::vector<float> redundancy(n, -std::numeric_limits<float>::infinity());
  const double lambda = 1.0 - options_.diversity;
  for (size_t step = 0; step < top_n; ++step) {
    size_t best = n;
    double best_score = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      const double score =
          step == 0 ? relevance[i] : lambda * relevance[i] - options_.diversity * redundancy[i];
      if (score > best_score) {  // strict: ties go to the earlier (more frequent) candidate
        best_score = score;
        best = i;
      }
    }
    if (best == n) break;
    taken[best] = true;
    chosen.push_back({static_cast<uint32_t>(best), relevance[best]});
    for (size_t i = 0; i < n; ++i) {
      if (!taken[i]) redundancy[i] = std::max(redundancy[i], Dot(candidates[best], candidates[i]));
    }
  }
  return chosen;
}

}  // namespace localrec
