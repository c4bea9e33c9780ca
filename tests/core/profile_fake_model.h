// A deterministic stand-in for the sentence encoder in the profile tests: hashed bag of words
// over the shared analyser's terms (two signed hash buckets per term), L2-normalised. Texts that
// share words are similar, texts that share none are nearly orthogonal; nothing is constant.
#pragma once

#include <cmath>
#include <cstdint>
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

// The two-step flow the JS layer runs: ask for the missing candidates, embed the posts and
// those candidates, hand everything over.
inline void AddTextPosts(InterestProfile& profile, const std::vector<TextPost>& posts) {
  std::vector<std::string_view> texts;
  for (const auto& p : posts) texts.push_back(p.text);
  const auto missing = profile.MissingCandidates(texts);
  std::vector<std::vector<float>> post_vectors, candidate_vectors;
  for (const auto& p : posts) post_vectors.push_back(FakeEmbed(p.text, profile.dims()));
  for (const auto& c : missing) candidate_vectors.push_back(FakeEmbed(c.text, profile.dims()));
  std::vector<NewPost> batch;
  for (size_t i = 0; i < posts.size(); ++i) {
    batch.push_back({posts[i].id, posts[i].text, posts[i].time_ms, post_vectors[i]});
  }
  std::vector<EmbeddedCandidate> candidates;
  for (size_t i = 0; i < missing.size(); ++i) {
    candidates.push_back({missing[i].key, missing[i].text, candidate_vectors[i]});
  }
  profile.AddPosts(batch, candidates);
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
