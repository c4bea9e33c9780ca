// The lexical analyser shared by everything that matches words: catalogue terms (BM25), the
// profile's keyword candidates and their queries. Both sides must analyse text identically, so
// there is exactly one of these.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace localrec {

struct AnalyzedWord {
  std::string term;     // matching key: case-folded, NFKC, accents stripped, light plural stem
  std::string surface;  // case-folded word as written (for display), before stemming
  bool stop = false;    // stop word, pure number or single letter: not a term on its own
  bool phrase_start = false;  // punctuation or a line break precedes it: phrases do not span it
  bool han = false;  // a word of Chinese characters (from the dictionary's segmentation)
};

// Splits UTF-8 text into words. Words are runs of letters, digits and marks; "c++", "gtk+",
// "c#" keep their suffix; "user's" becomes "user". Runs of Han characters are split into words
// by the installed Chinese dictionary (zh_segmenter.h) after folding Traditional characters to
// Simplified; a change of script ends a word. Throws Error(kInvalidUtf8) on invalid input.
// Linear in the input length.
std::vector<AnalyzedWord> AnalyzeText(std::string_view text);

// The terms of `text` for indexing and querying: AnalyzeText minus stop words.
std::vector<std::string> AnalyzeTerms(std::string_view text);

// True for English function words (articles, pronouns, auxiliaries, prepositions, ...).
// `word` is case-folded.
bool IsStopWord(std::string_view word);

// True for the Chinese function words of the analyser's stop list (Simplified forms).
bool IsChineseStopWord(std::string_view word);
std::span<const std::string_view> ChineseStopWords();

// The light plural stemmer used for `term`: "libraries" -> "library", "files" -> "file",
// "classes" -> "class"; words ending in "ss", "us", "is" are kept.
std::string StemPlural(std::string_view word);

}  // namespace localrec
