#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "core/common/error.h"
#include "core/profile/keyword_store.h"
#include "profile_fake_model.h"

using localrec::KeywordStore;
using localrec::testing::Name;

namespace {

std::vector<float> RandomUnit(std::mt19937& rng, size_t dims) {
  std::normal_distribution<float> g;
  std::vector<float> v(dims);
  double s = 0;
  for (float& x : v) {
    x = g(rng);
    s += x * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

// U computed from scratch: normalise(sum_i f_i k_i).
std::vector<float> BruteForceU(const KeywordStore& store, const std::vector<uint32_t>& ids) {
  std::vector<double> sum(store.dims(), 0.0);
  for (uint32_t id : ids) {
    const auto& e = store.at(id);
    for (size_t d = 0; d < sum.size(); ++d) sum[d] += e.keyword_mass * e.embedding[d];
  }
  double n = 0;
  for (double x : sum) n += x * x;
  std::vector<float> out(sum.size());
  for (size_t d = 0; d < sum.size(); ++d) out[d] = static_cast<float>(sum[d] / std::sqrt(n));
  return out;
}

void RequireClose(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) REQUIRE(a[i] == Approx(b[i]).margin(1e-6));
}

}  // namespace

TEST_CASE("the paper's U is the frequency-weighted mean of keyword embeddings",
          "[profile][keywords]") {
  std::mt19937 rng(7);
  KeywordStore store(16, 100, 100);
  std::vector<uint32_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(store.PutEmbedding(Name("k", i), Name("K", i), 1, RandomUnit(rng, 16)));
  }
  REQUIRE(store.UserVector() == std::vector<float>(16, 0.0f));  // no keyword yet
  store.AddKeywordMass(ids[0], 1.0);
  store.AddKeywordMass(ids[1], 2.0);
  store.AddKeywordMass(ids[0], 0.5);
  store.AddKeywordMass(ids[4], 4.0);
  REQUIRE(store.at(ids[0]).keyword_mass == 1.5);
  REQUIRE(store.at(ids[0]).keyword_posts == 2);
  REQUIRE(store.total_keyword_mass() == 7.5);
  RequireClose(store.UserVector(), BruteForceU(store, ids));

  const auto top = store.TopKeywords(2);
  REQUIRE(top == std::vector<uint32_t>{ids[4], ids[1]});

  // Decay rescaling changes no direction; recomputing from scratch gives the same U.
  const auto before = store.UserVector();
  store.ScaleMasses(1.0 / 1024);
  RequireClose(store.UserVector(), before);
  store.BeginRecompute();
  store.AddKeywordMass(ids[0], 1.5 / 1024);
  store.AddKeywordMass(ids[1], 2.0 / 1024);
  store.AddKeywordMass(ids[4], 4.0 / 1024);
  store.FinishRecompute();
  RequireClose(store.UserVector(), before);

  // A keyword needs an embedding.
  const uint32_t bare = store.Acquire("bare", "bare", 1);
  REQUIRE_THROWS_AS(store.AddKeywordMass(bare, 1.0), localrec::Error);
}

TEST_CASE("entries are reference counted and freed when nothing needs them",
          "[profile][keywords]") {
  KeywordStore store(4, 10, 10);
  const uint32_t a = store.Acquire("alpha", "Alpha", 1);
  store.AddRef(a);
  REQUIRE(store.size() == 1);
  REQUIRE(store.Find("alpha") == a);
  REQUIRE_FALSE(store.HasEmbedding("alpha"));
  store.Release(a);
  REQUIRE(store.size() == 1);
  store.Release(a);
  REQUIRE(store.size() == 0);
  REQUIRE_FALSE(store.Find("alpha"));
  const uint32_t b = store.Acquire("beta", "beta", 1);
  REQUIRE(b == a);  // the slot is reused
}

TEST_CASE("the embedding cache is bounded, least recently used first, keywords exempt",
          "[profile][keywords]") {
  std::mt19937 rng(1);
  KeywordStore store(8, 4, 100);
  const uint32_t kw = store.PutEmbedding("keyword", "keyword", 1, RandomUnit(rng, 8));
  store.AddKeywordMass(kw, 1.0);
  for (int i = 0; i < 12; ++i) {
    store.PutEmbedding(Name("c", i), "c", 1, RandomUnit(rng, 8));
  }
  store.Acquire("c0", "c", 1);  // a use: c0 becomes the most recently used
  store.Trim();
  int cached = 0;
  for (int i = 0; i < 12; ++i) cached += store.HasEmbedding(Name("c", i));
  REQUIRE(cached == 4);
  REQUIRE(store.HasEmbedding("c0"));
  REQUIRE(store.HasEmbedding("c11"));
  REQUIRE_FALSE(store.HasEmbedding("c1"));
  REQUIRE(store.HasEmbedding("keyword"));
  REQUIRE(store.Find("c0"));        // referenced: kept (its embedding too, recently used)
  REQUIRE_FALSE(store.Find("c1"));  // unreferenced and evicted: gone
}

TEST_CASE("keywords held only by folded posts are capped, the lightest dropped",
          "[profile][keywords]") {
  std::mt19937 rng(3);
  KeywordStore store(8, 100, 4);
  std::vector<uint32_t> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(store.PutEmbedding(Name("k", i), "k", 1, RandomUnit(rng, 8)));
    store.AddKeywordMass(ids.back(), 1.0 + i);
    store.FoldKeyword(ids.back(), 1.0 + i);  // the post that held it was folded
  }
  store.Trim();
  std::vector<uint32_t> kept = store.TopKeywords(100);
  REQUIRE(kept.size() == 4);
  REQUIRE(kept == std::vector<uint32_t>{ids[9], ids[8], ids[7], ids[6]});
  RequireClose(store.UserVector(), BruteForceU(store, kept));
}
