#include "core/text/analyzer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <unordered_set>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/zh_segmenter.h"

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

// Chinese function words, written for this project on the English list's pattern: pronouns and
// demonstratives, structural and modal particles, conjunctions, prepositions and localisers,
// auxiliaries and the verbs of opinion and intent that posts wrap around their topic (喜欢, 觉得,
// 打算), degree, time and frequency adverbs, relative days, numerals and measure words, and
// fillers (东西, 事情). Simplified forms only: the analyser folds Traditional characters first.
// Segmentation yields every entry whole (a test checks): all but 好用 are words of jieba's
// dictionary, and its HMM joins 好用.
// clang-format off
constexpr std::string_view kChineseStopWords[] = {
    // pronouns, demonstratives, interrogatives
    "我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "咱们", "自己",
    "大家", "别人", "人家", "这", "那", "这个", "那个", "这些", "那些", "这里", "那里", "这儿",
    "那儿", "这样", "那样", "这么", "那么", "这种", "那种", "哪", "哪里", "哪儿", "哪个", "谁",
    "什么", "怎么", "怎样", "怎么样", "为什么", "多少", "其", "此", "该", "本", "某",
    // particles and interjections
    "的", "地", "得", "了", "着", "过", "吗", "呢", "吧", "啊", "呀", "哦", "嗯", "哈", "嘛", "啦",
    "哇", "么", "之", "所", "等", "等等", "似的", "而已", "罢了",
    // conjunctions
    "和", "与", "及", "以及", "或", "或者", "还是", "而", "而且", "并", "并且", "但", "但是",
    "可是", "不过", "然而", "因为", "所以", "因此", "如果", "要是", "虽然", "尽管", "即使", "只要",
    "只有", "于是", "然后", "而是", "既", "又", "也", "还", "就", "才", "都", "却", "则", "即",
    // prepositions and localisers
    "在", "从", "向", "对", "对于", "关于", "把", "被", "给", "让", "比", "跟", "同", "为", "为了",
    "由", "以", "按", "按照", "通过", "根据", "除了", "往", "朝", "到", "于", "里", "中", "上",
    "下", "内", "外", "前", "后", "当", "之间", "之后", "之前", "以后", "以前", "以上", "以下",
    "里面", "上面", "下面", "方面",
    // auxiliaries, copulas, verbs of opinion and intent
    "是", "有", "没", "没有", "不", "别", "会", "能", "能够", "可以", "可能", "应该", "应当", "要",
    "想", "需要", "得到", "做", "使", "去", "来", "说", "看", "看到", "觉得", "认为", "知道",
    "喜欢", "爱", "希望", "打算", "准备", "开始", "继续", "进行", "成为", "变得", "一直", "用",
    "使用", "支持", "提供", "包括", "包含",
    // adverbs of degree, time and frequency
    "很", "非常", "太", "最", "更", "比较", "特别", "真", "真的", "挺", "十分", "极", "已经",
    "曾经", "正在", "刚", "刚刚", "马上", "立刻", "总是", "常常", "经常", "往往", "有时", "有时候",
    "偶尔", "一起", "一样", "一些", "一点", "一下", "有点", "有些", "一切", "所有", "每", "每个",
    "各", "各种", "其他", "其它", "另外", "其中", "只", "仅", "仅仅", "就是", "还有", "再",
    "总", "全", "几乎", "大概", "也许", "或许", "当然", "其实", "确实", "实在", "终于", "突然",
    "最近", "今天", "明天", "昨天", "现在", "今年", "去年", "明年", "时候", "时间", "时", "之中",
    "周末", "晚上", "早上", "上午", "下午", "今晚", "平时",
    "如何", "非", "无", "已", "将", "曾", "不是", "不会", "不能", "一定",
    // numerals, dates and measure words
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿", "零", "两",
    "几", "第", "个", "次", "种", "些", "位", "条", "件", "张", "年", "月", "日", "号", "天", "周",
    "星期", "点", "分", "秒", "一个", "一种", "一次",
    // fillers
    "东西", "事情", "事", "好", "不错", "很多", "许多", "多", "少", "方式", "情况", "问题", "相关",
    "有没有", "好用", "好玩", "想要", "有趣",
};
// clang-format on

// A Han word made only of numerals, ordinals, date or time units and measure words (三十, 三月,
// 第二周, 三十次): a number, a date or a count, not an interest, like "2024" in English text.
bool IsChineseNumber(std::u32string_view w) {
  constexpr std::u32string_view kNumerals = U"〇零一二三四五六七八九十百千万亿两几";
  constexpr std::u32string_view kUnits = U"第年月日号时点分秒周个次位条件张本台部只种岁元块";
  bool numeral = false;
  for (char32_t c : w) {
    if (kNumerals.find(c) != std::u32string_view::npos) {
      numeral = true;
    } else if (kUnits.find(c) == std::u32string_view::npos) {
      return false;
    }
  }
  return numeral;
}

// Units written right after Arabic digits (2024年, 5日, 3个): they belong to the number, so a Han
// run that starts with one after digits gives it up as a word of its own before segmentation
// (else the dictionary's HMM may glue it to what follows: 5日去 -> 日去).
bool IsUnitAfterDigits(char32_t c) {
  constexpr std::u32string_view kAfterDigits = U"年月日号时点分秒周个次位条件张本台部只种岁元块";
  return kAfterDigits.find(c) != std::u32string_view::npos;
}

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

bool IsChineseStopWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kSet(std::begin(kChineseStopWords),
                                                         std::end(kChineseStopWords));
  return kSet.count(word) > 0;
}

std::span<const std::string_view> ChineseStopWords() { return kChineseStopWords; }

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
  std::u32string han;  // a pending run of Han characters (no spaces: segmented on flush)
  bool pending_break = true;
  std::shared_ptr<const ChineseDictionary> dict;  // taken once per call, when Han text appears

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

  // Han text: Traditional characters fold to Simplified (喜歡 and 喜欢 are one term), then the
  // dictionary splits the run into words. Without a dictionary the whole run is one word (the
  // JS layer loads the dictionary before it analyses Han text; see docs/chinese.md).
  bool han_after_digits = false;  // the pending Han run follows Arabic digits directly
  auto flush_han = [&] {
    if (han.empty()) return;
    if (!dict) dict = InstalledChineseDictionary();
    std::u32string folded = han;
    std::vector<uint32_t> ends;
    const uint32_t unit = (han_after_digits && IsUnitAfterDigits(han[0])) ? 1 : 0;
    if (unit) ends.push_back(1);
    if (dict) {
      for (char32_t& c : folded) c = dict->ToSimplified(c);
      for (const uint32_t e : dict->Cut(std::u32string_view(folded).substr(unit))) {
        ends.push_back(e + unit);
      }
    } else if (folded.size() > unit) {
      ends.push_back(static_cast<uint32_t>(folded.size()));
    }
    uint32_t begin = 0;
    for (const uint32_t end : ends) {
      const std::u32string_view piece = std::u32string_view(folded).substr(begin, end - begin);
      AnalyzedWord w;
      w.term = EncodeUtf8(piece);
      w.surface = EncodeUtf8(std::u32string_view(han).substr(begin, end - begin));
      w.stop = IsChineseStopWord(w.term) || IsChineseNumber(piece);
      w.han = true;
      w.phrase_start = pending_break;
      words.push_back(std::move(w));
      pending_break = false;
      begin = end;
    }
    han.clear();
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
    if (IsHan(static_cast<char32_t>(cp))) {
      if (han.empty()) han_after_digits = !cur.empty() && cur.back() >= '0' && cur.back() <= '9';
      flush();  // a script change ends a word: 我喜欢AI和电影 -> 我 喜欢 ai 和 电影
      han.push_back(static_cast<char32_t>(cp));
    } else if (IsLetterOrDigit(cat)) {
      flush_han();
      AppendUtf8(static_cast<char32_t>(cp), &cur);
    } else if ((cp == '+' || cp == '#') && !cur.empty()) {
      cur.push_back(static_cast<char>(cp));  // c++, gtk+, c#
    } else if ((cp == '\'' || cp == 0x2019) && !cur.empty()) {
      cur.push_back('\'');
    } else {
      flush();
      flush_han();
      if (IsPhraseBreak(static_cast<char32_t>(cp), cat)) pending_break = true;
    }
  }
  flush();
  flush_han();
  return words;
}

std::vector<std::string> AnalyzeTerms(std::string_view text) {
  std::vector<std::string> terms;
  for (auto& w : AnalyzeText(text))
    if (!w.stop) terms.push_back(std::move(w.term));
  return terms;
}

}  // namespace localrec
