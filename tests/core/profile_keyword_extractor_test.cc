#include <catch2/catch.hpp>

#include <set>
#include <cmath>

#include "core/common/error.h"
#include "core/profile/keyword_extractor.h"

using localrec::KeywordCandidate;
using localrec::KeywordExtractor;
using localrec::KeywordExtractorOptions;

namespace {

std::vector<std::string> Keys(const std::vector<KeywordCandidate>& cs) {
  std::vector<std::string> keys;
  for (const auto& c : cs) keys.push_back(c.key);
  return keys;
}

bool Has(const std::vector<KeywordCandidate>& cs, const std::string& key) {
  for (const auto& c : cs) {
    if (c.key == key) return true;
  }
  return false;
}

std::vector<float> Unit(std::vector<float> v) {
  double s = 0;
  for (float x : v) s += x * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

}  // namespace

TEST_CASE("candidates are words and phrases that no stop word or punctuation breaks",
          "[profile][keywords]") {
  KeywordExtractor ex({});
  const auto cs = ex.Candidates("Amateur telescope control for the night sky; star charts.");
  REQUIRE(Has(cs, "amateur"));
  REQUIRE(Has(cs, "amateur telescope"));
  REQUIRE(Has(cs, "amateur telescope control"));
  REQUIRE(Has(cs, "telescope control"));
  REQUIRE(Has(cs, "night sky"));
  REQUIRE(Has(cs, "star chart"));           // stemmed key
  REQUIRE_FALSE(Has(cs, "control night"));  // "for the" in between
  REQUIRE_FALSE(Has(cs, "sky star"));       // the semicolon breaks phrases
  REQUIRE_FALSE(Has(cs, "the"));
  REQUIRE_FALSE(Has(cs, "for"));
  for (const auto& c : cs) {
    if (c.key == "star chart") REQUIRE(c.text == "star charts");  // shown as written
    REQUIRE(c.words >= 1);
    REQUIRE(c.words <= 3);
  }
}

TEST_CASE("candidates are counted, deduplicated by key and capped, most frequent first",
          "[profile][keywords]") {
  KeywordExtractorOptions o;
  o.max_candidates = 3;
  o.max_phrase_words = 1;
  KeywordExtractor ex(o);
  const auto cs = ex.Candidates("Kernel kernels. Compiler! Kernel, linker, compiler, debugger");
  REQUIRE(Keys(cs) == std::vector<std::string>{"kernel", "compiler", "linker"});
  REQUIRE(cs[0].count == 3);
  REQUIRE(cs[1].count == 2);
  REQUIRE(ex.Candidates("").empty());
  REQUIRE(ex.Candidates("the of and it is").empty());
  REQUIRE_THROWS_AS(ex.Candidates("bad \xFF utf8"), localrec::Error);
}

TEST_CASE("absurdly long words are not candidates", "[profile][keywords]") {
  KeywordExtractor ex({});
  const std::string blob(200, 'q');
  const auto cs = ex.Candidates("hash " + blob + " value");
  REQUIRE(Keys(cs) == std::vector<std::string>{"hash", "value"});
}

TEST_CASE("KeyBERT selection ranks by similarity to the post; MMR trades some for novelty",
          "[profile][keywords]") {
  const auto post = Unit({1, 0, 0, 0});
  // Candidate 0 and 1 are near-duplicates and both close to the post; 2 is less close but new.
  const std::vector<std::vector<float>> vecs = {
      Unit({0.9f, 0.43f, 0, 0}), Unit({0.9f, 0.44f, 0.01f, 0}), Unit({0.7f, 0, 0.71f, 0}),
      Unit({0.2f, -0.3f, 0, 1})};
  std::vector<std::span<const float>> spans(vecs.begin(), vecs.end());

  KeywordExtractorOptions plain;
  plain.keywords_per_post = 2;
  plain.diversity = 0;
  const auto by_relevance = KeywordExtractor(plain).Select(post, spans);
  REQUIRE(by_relevance.size() == 2);
  REQUIRE(by_relevance[0].candidate == 0);
  REQUIRE(by_relevance[1].candidate == 1);
  REQUIRE(by_relevance[0].relevance == Approx(0.9f / std::sqrt(0.9f * 0.9f + 0.43f * 0.43f)));

  KeywordExtractorOptions diverse = plain;
  diverse.diversity = 0.4;
  const auto mmr = KeywordExtractor(diverse).Select(post, spans);
  REQUIRE(mmr[0].candidate == 0);
  REQUIRE(mmr[1].candidate == 2);  // the near-duplicate loses to the novel candidate

  diverse.keywords_per_post = 10;
  REQUIRE(KeywordExtractor(diverse).Select(post, spans).size() == 4);  // no more than exist
  REQUIRE(KeywordExtractor(diverse).Select(post, {}).empty());
}

TEST_CASE("extractor options are validated", "[profile][keywords]") {
  KeywordExtractorOptions o;
  o.diversity = 1.5;
  REQUIRE_THROWS_AS(KeywordExtractor(o), localrec::Error);
  o = {};
  o.max_phrase_words = 4;
  REQUIRE_THROWS_AS(KeywordExtractor(o), localrec::Error);
  o = {};
  o.keywords_per_post = 0;
  REQUIRE_THROWS_AS(KeywordExtractor(o), localrec::Error);
}

#include "zh_test_dictionary.h"

TEST_CASE("Chinese candidates are words and 2-3 word phrases, never clauses", "[keywords][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  const localrec::KeywordExtractor ex(localrec::KeywordExtractorOptions{});
  const auto cands = ex.Candidates("我喜欢AI和电影，最近在研究旅游和科技。周末看了科幻电影和纪录片。");
  std::set<std::string> texts;
  for (const auto& c : cands) {
    texts.insert(c.text);
    REQUIRE(c.words >= 1);
    REQUIRE(c.words <= 3);
    REQUIRE(c.text.find("喜欢") == std::string::npos);  // a stop word: no candidate holds it
    REQUIRE(c.text.find("，") == std::string::npos);
  }
  for (const char* w : {"ai", "电影", "研究", "旅游", "科技", "科幻电影", "纪录片"}) {
    INFO(w);
    REQUIRE(texts.count(w) == 1);
  }
  REQUIRE(texts.count("研究旅游") == 1);      // two words, shown without a space
  REQUIRE(texts.count("我喜欢ai和电影") == 0);  // the clause the old analyser produced
  for (const auto& c : cands) {
    if (c.text == "研究旅游") REQUIRE(c.key == "研究 旅游");  // the key keeps word boundaries
  }
}
