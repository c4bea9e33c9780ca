// A deterministic stand-in for the sentence encoder in the profile tests: hashed bag of words
// over the shared analyser's terms (two signed hash buckets per term), L2-normalised. Texts that
// share words are similar, texts that share none are nearly orthogonal; nothing is constant.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/profile/interest_profile.h"
#include "core/text/analyzer.h"

namespace localrec::testing {

inline uint64_t Fnv1a(std::string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

inline std::vector<float> FakeEmbed(std::string_view text, size_t dims) {
  std::vector<float> v(dims, 0.0f);
  auto terms = AnalyzeTerms(text);
  if (terms.empty()) terms.emplace_back(text);  // stop words only: still a distinct vector
  for (const auto& t : terms) {
    for (uint64_t seed = 0; seed < 2; ++seed) {
      const uint64_t h = Fnv1a(t, seed);
      v[h % dims] += (h >> 63) ? 1.0f : -1.0f;
    }
  }
  double sum = 0;
  for (float x : v) sum += x * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(sum));
  return v;
}

struct TextPost {
  std::string id;
  std::string text;
  double time_ms;
};

// Step 2 of adding posts with the fake model: every text of the batch (posts, then missing
// keyword candidates) embedded, as a model without a tokenizer in the core would.
inline void EmbedBatch(IngestBatch& batch) {
  std::vector<float> rows;
  rows.reserve(batch.text_count() * batch.dims());
  for (size_t i = 0; i < batch.text_count(); ++i) {
    const std::vector<float> v = FakeEmbed(batch.text(i), batch.dims());
    rows.insert(rows.end(), v.begin(), v.end());
  }
  batch.SetEmbeddings(rows);
}

// The three steps the JS layer runs: prepare the batch, embed its texts, commit it.
inline void AddTextPosts(InterestProfile& profile, const std::vector<TextPost>& posts,
                         std::optional<double> now_ms = std::nullopt) {
  std::vector<PostText> in;
  for (const auto& p : posts) in.push_back({p.id, p.text, p.time_ms});
  IngestBatch batch = profile.PrepareAdd(std::move(in), now_ms);
  EmbedBatch(batch);
  profile.CommitAdd(batch);
}

// "p" + number. (Written with append: GCC 12 warns falsely, -Wrestrict, on operator+ here.)
inline std::string Name(std::string_view prefix, long n) {
  std::string s(prefix);
  s.append(std::to_string(n));
  return s;
}

constexpr double kDay = 86400000.0;
constexpr double kT0 = 1.7e12;  // a fixed "now" in ms (Nov 2023), for reproducible tests

}  // namespace localrec::testing
