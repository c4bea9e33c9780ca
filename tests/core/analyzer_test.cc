#include "core/text/analyzer.h"

#include <catch2/catch.hpp>

#include "core/common/error.h"

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
