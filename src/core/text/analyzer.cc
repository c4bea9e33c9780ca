#include "core/text/analyzer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

namespace {

// English function words: articles, pronouns, determiners, auxiliaries and modals, common
// prepositions and conjunctions, a few discourse adverbs, number words, the days around now
// ("today", "tonight") and the fillers of conversational posts ("want", "good", "trying",
// "something"): frequent in what people write, never an interest, and harmful as BM25 query
// terms (they match item descriptions by accident). Written for this project, sorted for binary
// search; content words (even frequent ones like "data") are deliberately absent.
constexpr std::array<std::string_view, 278> kStopWords = {
    "a", "about", "above", "actually", "after", "again", "against", "all", "already", "also",
    "am", "among", "an", "and", "another", "any", "anybody", "anyone", "anything", "are",
    "aren't", "around", "as", "at", "bad", "be", "because", "been", "before", "being", "below",
    "best", "better", "between", "billion", "both", "but", "by", "can", "can't", "cannot",
    "could", "did", "do", "does", "doing", "don't", "done", "down", "during", "each", "eight",
    "either", "eleven", "else", "etc", "even", "ever", "every", "everybody", "everyone",
    "everything", "few", "finally", "five", "for", "four", "from", "further", "get", "gets",
    "getting", "go", "goes", "going", "gone", "good", "got", "great", "had", "has", "have",
    "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
    "hundred", "i", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its",
    "itself", "just", "know", "knows", "last", "lately", "least", "less", "let", "like", "lot",
    "lots", "made", "make", "makes", "making", "many", "may", "maybe", "me", "might", "million",
    "more", "most", "much", "must", "my", "myself", "need", "needed", "needs", "neither", "never",
    "nice", "nine", "no", "nor", "not", "nothing", "now", "of", "off", "often", "ok", "okay",
    "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise", "ought", "our",
    "ours", "ourselves", "out", "over", "own", "per", "perhaps", "please", "probably", "quite",
    "rather", "really", "recently", "same", "seven", "several", "shall", "she", "should", "since",
    "six", "so", "some", "somebody", "someone", "something", "still", "such", "ten", "than",
    "thank", "thanks", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "therefore", "these", "they", "thing", "things", "think", "thinks", "this", "those", "though",
    "thousand", "three", "through", "thus", "to", "today", "tomorrow", "tonight", "too", "toward",
    "towards", "tried", "tries", "try", "trying", "twelve", "two", "under", "until", "up", "upon",
    "us", "use", "used", "uses", "using", "very", "via", "want", "wanted", "wants", "was", "we",
    "we're", "well", "went", "were", "what", "whatever", "when", "whenever", "where", "whereas",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "won't", "worse", "worst", "would", "yes", "yesterday", "yet", "you", "you're",
    "your", "yours", "yourself", "yourselves",
};

bool IsLetterOrDigit(utf8proc_category_t c) {
  switch (c) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      return true;
    default:
      return false;
  }
}

bool IsPhraseBreak(char32_t cp, utf8proc_category_t c) {
  if (cp == '\n' || cp == '\r') return true;
  switch (c) {
    case UTF8PROC_CATEGORY_PO:  // . , ; : ! ? etc.
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PD:
      return cp != '\'' && cp != 0x2019;  // apostrophes join, they do not break
    default:
      return false;
  }
}

bool AllDigits(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// NFKC + case folding + accent stripping in one utf8proc pass.
std::string Normalize(std::string_view text) {
  utf8proc_uint8_t* out = nullptr;
  const auto opts = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                   UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                          static_cast<utf8proc_ssize_t>(text.size()), &out, opts);
  if (n < 0) throw Error(ErrorCode::kInvalidUtf8, std::string("text could not be normalised: ") +
                                                      utf8proc_errmsg(n));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

}  // namespace

bool IsStopWord(std::string_view word) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

std::string StemPlural(std::string_view w) {
  auto ends = [&](std::string_view s) { return w.size() > s.size() && w.substr(w.size() - s.size()) == s; };
  if (w.size() <= 3) return std::string(w);
  if (ends("ies") && !ends("eies") && !ends("aies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes") || ends("zzes"))
    return std::string(w.substr(0, w.size() - 2));
  if (ends("ss") || ends("us") || ends("is") || ends("'s")) {
    if (ends("'s")) return std::string(w.substr(0, w.size() - 2));
    return std::string(w);
  }
  if (ends("s")) return std::string(w.substr(0, w.size() - 1));
  return std::string(w);
}

std::vector<AnalyzedWord> AnalyzeText(std::string_view text) {
  CheckUtf8(text);
  const std::string norm = Normalize(text);
  std::vector<AnalyzedWord> words;
  std::string cur;
  bool pending_break = true;

  auto flush = [&] {
    if (cur.empty()) return;
    // "user's" -> "user"; other apostrophes (don't) are kept for the stop-word lookup.
    if (cur.size() > 2 && cur.compare(cur.size() - 2, 2, "'s") == 0) cur.resize(cur.size() - 2);
    while (!cur.empty() && cur.back() == '\'') cur.pop_back();
    if (!cur.empty()) {
      AnalyzedWord w;
      w.surface = cur;
      w.stop = IsStopWord(cur) || AllDigits(cur) || (cur.size() == 1);
      w.term = w.stop ? cur : StemPlural(cur);
      w.phrase_start = pending_break;
      words.push_back(std::move(w));
      pending_break = false;
    }
    cur.clear();
  };

  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(norm.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(norm.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;  // cannot happen: utf8proc_map produced valid UTF-8
    p += n;
    left -= n;
    const auto cat = utf8proc_category(cp);
    if (IsLetterOrDigit(cat)) {
      AppendUtf8(static_cast<char32_t>(cp), &cur);
    } else if ((cp == '+' || cp == '#') && !cur.empty()) {
      cur.push_back(static_cast<char>(cp));  // c++, gtk+, c#
    } else if ((cp == '\'' || cp == 0x2019) && !cur.empty()) {
      cur.push_back('\'');
    } else {
      flush();
      if (IsPhraseBreak(static_cast<char32_t>(cp), cat)) pending_break = true;
    }
  }
  flush();
  return words;
}

std::vector<std::string> AnalyzeTerms(std::string_view text) {
  std::vector<std::string> terms;
  for (auto& w : AnalyzeText(text))
    if (!w.stop) terms.push_back(std::move(w.term));
  return terms;
}

}  // namespace localrec
