#include "core/text/analyzer.h"

#include <catch2/catch.hpp>

#include "core/common/error.h"

#include <set>

using localrec::AnalyzeTerms;
using localrec::AnalyzeText;

TEST_CASE("terms are folded, accent-free, stemmed and free of stop words", "[analyzer]") {
  REQUIRE(AnalyzeTerms("The Libraries of Café ANALYSIS tools") ==
          std::vector<std::string>{"library", "cafe", "analysis", "tool"});
  REQUIRE(AnalyzeTerms("C++ and GTK+ bindings for C#") ==
          std::vector<std::string>{"c++", "gtk+", "binding", "c#"});
  REQUIRE(AnalyzeTerms("the user's 3 files, 2024") == std::vector<std::string>{"user", "file"});
  REQUIRE(AnalyzeTerms("").empty());
  REQUIRE(AnalyzeTerms("  \t\n ").empty());
}

TEST_CASE("phrase boundaries follow punctuation and line breaks", "[analyzer]") {
  const auto words = AnalyzeText("telescope control, star charts\nplanetarium");
  REQUIRE(words.size() == 5);
  REQUIRE(words[0].phrase_start);
  REQUIRE_FALSE(words[1].phrase_start);
  REQUIRE(words[2].phrase_start);   // after the comma
  REQUIRE_FALSE(words[3].phrase_start);
  REQUIRE(words[4].phrase_start);   // after the line break
  REQUIRE(words[3].surface == "charts");
  REQUIRE(words[3].term == "chart");
}

TEST_CASE("non-Latin scripts are words too and invalid UTF-8 is refused", "[analyzer]") {
  REQUIRE(AnalyzeTerms("Привет мир") == std::vector<std::string>{"привет", "мир"});
  REQUIRE_THROWS_AS(AnalyzeTerms("bad \xC3"), localrec::Error);
}

TEST_CASE("stemming keeps words that only look plural", "[analyzer]") {
  REQUIRE(localrec::StemPlural("classes") == "class");
  REQUIRE(localrec::StemPlural("status") == "status");
  REQUIRE(localrec::StemPlural("analysis") == "analysis");
  REQUIRE(localrec::StemPlural("boxes") == "box");
  REQUIRE(localrec::StemPlural("gas") == "gas");
}

TEST_CASE("number words and the days around now are stop words", "[analyzer]") {
  REQUIRE(AnalyzeTerms("Two telescopes tonight, three tomorrow") ==
          std::vector<std::string>{"telescope"});
  REQUIRE(localrec::IsStopWord("hundred"));
  REQUIRE_FALSE(localrec::IsStopWord("second"));  // "second hand", "seconds": content
}

// ---- Chinese --------------------------------------------------------------------------------

#include "zh_test_dictionary.h"

TEST_CASE("Chinese text is segmented into words; function words are stop words", "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  // The paper's own example: the topics, not clauses.
  REQUIRE(AnalyzeTerms("我喜欢AI和电影，最近在研究旅游和科技。") ==
          std::vector<std::string>{"ai", "电影", "研究", "旅游", "科技"});
  const auto words = AnalyzeText("我喜欢AI和电影，最近在研究旅游和科技。");
  REQUIRE(words.size() == 11);
  REQUIRE(words[2].surface == "ai");
  REQUIRE_FALSE(words[2].han);
  REQUIRE(words[4].han);
  REQUIRE(words[5].phrase_start);  // 最近, after the full-width comma
  REQUIRE_FALSE(words[6].phrase_start);
}

TEST_CASE("mixed scripts split at the script change", "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  REQUIRE(AnalyzeTerms("我喜欢AI和电影") == std::vector<std::string>{"ai", "电影"});
  REQUIRE(AnalyzeTerms("用Python写爬虫") == std::vector<std::string>{"python", "写", "爬虫"});
  REQUIRE(AnalyzeTerms("Linux内核") == std::vector<std::string>{"linux", "内核"});
}

TEST_CASE("Traditional characters fold to Simplified terms, surfaces stay as written",
          "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  REQUIRE(AnalyzeTerms("我喜歡看電影") == AnalyzeTerms("我喜欢看电影"));
  REQUIRE(AnalyzeTerms("我喜歡看電影") == std::vector<std::string>{"电影"});
  const auto words = AnalyzeText("電影");
  REQUIRE(words.size() == 1);
  REQUIRE(words[0].term == "电影");
  REQUIRE(words[0].surface == "電影");
}

TEST_CASE("full-width forms, numbers and dates", "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  // NFKC: full-width Latin letters and digits are ASCII; the full-width comma breaks phrases.
  REQUIRE(AnalyzeTerms("ＡＩ和电影，２０２４") == std::vector<std::string>{"ai", "电影"});
  // Dates and counts are not interests: 2024年3月5日 and 三十 leave no term.
  REQUIRE(AnalyzeTerms("2024年3月5日去了三十次图书馆") == std::vector<std::string>{"图书馆"});
  REQUIRE(AnalyzeTerms("三月的第二周") == std::vector<std::string>{});
  REQUIRE(AnalyzeTerms("MP3播放器") == std::vector<std::string>{"mp3", "播放器"});
}

TEST_CASE("every Chinese stop word is segmented whole, listed once", "[analyzer][zh]") {
  const auto& dict = localrec::testing::ZhDictionary();
  std::set<std::string_view> seen;
  for (const std::string_view w : localrec::ChineseStopWords()) {
    INFO(std::string(w));
    // A dictionary word, or (好用) one the HMM joins: either way the analyser meets it whole.
    REQUIRE(localrec::SegmentLikeJieba(dict, w) == std::vector<std::string>{std::string(w)});
    REQUIRE(seen.insert(w).second);
    REQUIRE(localrec::IsChineseStopWord(w));
  }
  REQUIRE_FALSE(localrec::IsChineseStopWord("电影"));
}

TEST_CASE("without a dictionary a Han run is one word", "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary off(false);
  REQUIRE(AnalyzeTerms("我喜欢AI和电影") == std::vector<std::string>{"我喜欢", "ai", "和电影"});
}

TEST_CASE("adversarial Han input is analysed in one linear pass", "[analyzer][zh]") {
  localrec::testing::ScopedZhDictionary zh;
  std::string repeated;
  for (int i = 0; i < 100000; ++i) repeated += "啊";
  REQUIRE_FALSE(AnalyzeText(repeated).empty());
  std::string alternating;
  for (int i = 0; i < 100000; ++i) alternating += (i % 2) ? "x" : "中";
  const auto words = AnalyzeText(alternating);
  REQUIRE(words.size() == 100000);
}
