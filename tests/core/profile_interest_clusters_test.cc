#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "core/common/error.h"
#include "core/profile/interest_clusters.h"
#include "core/profile/interest_labels.h"
#include "core/profile/keyword_store.h"

using localrec::InterestClusters;
using localrec::InterestOptions;
using localrec::KeywordStore;
using localrec::TermCount;

namespace {

constexpr size_t kDims = 32;

// A post near topic axis `topic`: the axis plus small noise, unit length.
std::vector<float> Near(int topic, std::mt19937& rng, float noise = 0.25f) {
  std::normal_distribution<float> g(0, noise / std::sqrt(float(kDims)));
  std::vector<float> v(kDims);
  for (float& x : v) x = g(rng);
  v[topic] += 1;
  double s = 0;
  for (float x : v) s += x * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

}  // namespace

TEST_CASE("posts on separate topics form separate interests; the count comes from the data",
          "[profile][interests]") {
  std::mt19937 rng(42);
  KeywordStore store(kDims, 100, 100);
  InterestClusters clusters(kDims, {});
  std::map<int, std::set<uint32_t>> ids_by_topic;
  for (int i = 0; i < 60; ++i) {
    const int topic = i % 3;
    ids_by_topic[topic].insert(clusters.AddPost(Near(topic, rng), 1.0, i, {}, store));
  }
  REQUIRE(clusters.size() == 3);
  for (const auto& [topic, ids] : ids_by_topic) {
    REQUIRE(ids.size() == 1);  // every post of a topic landed in the same interest
  }
  for (const auto& [id, in] : clusters.all()) {
    REQUIRE(in.posts == 20);
    REQUIRE(in.mass == 20.0);
    REQUIRE(in.unit[in.id - 1] > 0.95f);  // the centroid points along its topic's axis
  }
  REQUIRE(clusters.Find(1)->last_active_ms == 57);

  InterestClusters one_topic(kDims, {});
  for (int i = 0; i < 30; ++i) one_topic.AddPost(Near(5, rng), 1.0, i, {}, store);
  REQUIRE(one_topic.size() == 1);
}

TEST_CASE("more interests than allowed are merged closest first", "[profile][interests]") {
  std::mt19937 rng(5);
  KeywordStore store(kDims, 100, 100);
  InterestOptions o;
  o.max_interests = 2;
  InterestClusters clusters(kDims, o);
  // Topics 0 and 1 overlap (a shared component); topic 2 stands apart.
  auto blend = [&](int a, int b) {
    auto v = Near(a, rng, 0.05f);
    v[b] += 0.8f;
    double s = 0;
    for (float x : v) s += x * x;
    for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
    return v;
  };
  const uint32_t a = clusters.AddPost(blend(0, 10), 1.0, 0, {}, store);
  const uint32_t b = clusters.AddPost(blend(1, 10), 1.0, 1, {}, store);
  REQUIRE(a != b);
  const uint32_t c = clusters.AddPost(Near(2, rng), 1.0, 2, {}, store);
  REQUIRE(clusters.size() == 2);
  REQUIRE(clusters.Resolve(a) == clusters.Resolve(b));  // the close pair merged
  REQUIRE(clusters.Resolve(c) == c);
  REQUIRE(clusters.Find(clusters.Resolve(a))->posts == 2);
}

TEST_CASE("recomputation restores masses and drops emptied interests", "[profile][interests]") {
  std::mt19937 rng(9);
  KeywordStore store(kDims, 100, 100);
  const uint32_t t1 = store.Acquire("star", "star", 1);
  const uint32_t t2 = store.Acquire("bread", "bread", 1);
  InterestClusters clusters(kDims, {});
  const auto e1 = Near(0, rng), e2 = Near(1, rng);
  const std::vector<TermCount> terms1 = {{t1, 2}}, terms2 = {{t2, 1}};
  const uint32_t i1 = clusters.AddPost(e1, 4.0, 10, terms1, store);
  const uint32_t i2 = clusters.AddPost(e2, 1.0, 20, terms2, store);
  REQUIRE(store.at(t1).refs == 2);  // the caller's and the interest's

  // Remove the second post: its terms go, its interest empties.
  clusters.RemovePostTerms(i2, terms2, store);
  clusters.BeginRecompute();
  clusters.AddLive(i1, e1, 4.0, 10);
  clusters.FinishRecompute(store);
  REQUIRE(clusters.size() == 1);
  REQUIRE(clusters.Find(i2) == nullptr);
  REQUIRE(clusters.Find(i1)->mass == 4.0);
  REQUIRE(store.at(t2).refs == 1);  // only the caller's own reference is left

  // Folded posts keep their interest alive and their mass counted.
  clusters.FoldPost(i1, e1, 4.0, 10);
  clusters.BeginRecompute();
  clusters.FinishRecompute(store);
  REQUIRE(clusters.size() == 1);
  REQUIRE(clusters.Find(i1)->mass == 4.0);
  REQUIRE(clusters.Find(i1)->folded_posts == 1);
  REQUIRE(clusters.Find(i1)->posts == 0);
}

TEST_CASE("c-TF-IDF labels pick what is frequent here and rare elsewhere", "[profile][interests]") {
  std::mt19937 rng(11);
  KeywordStore store(kDims, 100, 100);
  auto term = [&](const char* key) { return store.Acquire(key, key, 1); };
  const uint32_t star = term("star"), telescope = term("telescope"), bread = term("bread"),
                 oven = term("oven"), free = term("free");
  const uint32_t star_chart = store.Acquire("star chart", "star chart", 2);
  InterestClusters clusters(kDims, {});
  for (int i = 0; i < 5; ++i) {
    const std::vector<TermCount> astro = {{star, 3}, {telescope, 2}, {free, 3}, {star_chart, 2}};
    const std::vector<TermCount> baking = {{bread, 3}, {oven, 1}, {free, 3}};
    clusters.AddPost(Near(0, rng), 1.0, i, astro, store);
    clusters.AddPost(Near(1, rng), 1.0, i, baking, store);
  }
  REQUIRE(clusters.size() == 2);
  const auto labels = localrec::ClassTfIdfLabels(clusters, store, 3);
  for (const auto& [id, label] : labels) {
    REQUIRE_FALSE(label.empty());
    const std::string first = store.at(label[0].term).key;
    double sum = 0;
    std::set<std::string> keys;
    for (const auto& t : label) {
      sum += t.weight;
      keys.insert(store.at(t.term).key);
    }
    REQUIRE(sum == Approx(1.0));
    REQUIRE(first != "free");  // shared by both interests: never what labels one
    if (first == "star" || first == "star chart") {
      REQUIRE(keys.count("telescope"));
      REQUIRE(keys.count("star") + keys.count("star chart") == 1);  // no repeated words
    } else {
      REQUIRE(first == "bread");
      REQUIRE(keys.count("oven"));
    }
  }
}

TEST_CASE("cluster options are validated", "[profile][interests]") {
  InterestOptions o;
  o.join_threshold = 1.5;
  REQUIRE_THROWS_AS(InterestClusters(4, o), localrec::Error);
  o = {};
  o.max_interests = 0;
  REQUIRE_THROWS_AS(InterestClusters(4, o), localrec::Error);
}

TEST_CASE("labels prefer terms close to the interest's centroid over merely frequent ones",
          "[profile][interests]") {
  std::mt19937 rng(13);
  KeywordStore store(kDims, 100, 100);
  // "software" is the most frequent term but points away from the interest; "telescope" is
  // rarer and points along it.
  std::vector<float> along(kDims, 0.0f), across(kDims, 0.0f);
  along[0] = 1;
  across[7] = 1;
  const uint32_t software = store.PutEmbedding("software", "software", 1, across);
  const uint32_t telescope = store.PutEmbedding("telescope", "telescope", 1, along);
  store.AddRef(software);
  store.AddRef(telescope);
  InterestClusters clusters(kDims, {});
  const std::vector<TermCount> terms = {{software, 5}, {telescope, 2}};
  for (int i = 0; i < 4; ++i) clusters.AddPost(Near(0, rng), 1.0, i, terms, store);
  REQUIRE(clusters.size() == 1);
  const auto label = localrec::ClassTfIdfLabels(clusters, store, 2).begin()->second;
  REQUIRE(label.size() == 2);
  REQUIRE(label[0].term == telescope);
  REQUIRE(label[1].term == software);
  REQUIRE(label[0].weight > label[1].weight);
}
