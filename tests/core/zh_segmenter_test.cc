// The Chinese segmenter against python3-jieba 0.42.1's jieba.cut (default mode, HMM on): the
// expected splits below were printed by jieba itself on this machine. The corpus-wide check
// (word F1 over Debian's zh_CN descriptions and fortunes-zh) is bench/zh-segment.mjs.
#include "core/text/zh_segmenter.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/common/checksum.h"
#include "core/common/error.h"
#include "zh_test_dictionary.h"

using localrec::ChineseDictionary;
using localrec::ErrorCode;
using localrec::SegmentLikeJieba;
using Words = std::vector<std::string>;

TEST_CASE("the dictionary loads jieba's word list, HMM and the Traditional table", "[zh]") {
  const auto& dict = localrec::testing::ZhDictionary();
  REQUIRE(dict.size() == 349045);  // dict.txt's 349,046 lines, one word listed twice
  REQUIRE(dict.Frequency("电影") > 0);
  REQUIRE(dict.Frequency("电") > 0);
  REQUIRE(dict.Frequency("不存在的词语组合") == 0);
  REQUIRE(dict.traditional_pairs() > 4000);
  REQUIRE(dict.ToSimplified(U'歡') == U'欢');
  REQUIRE(dict.ToSimplified(U'電') == U'电');
  REQUIRE(dict.ToSimplified(U'电') == U'电');
  REQUIRE(dict.ToSimplified(U'a') == U'a');
}

TEST_CASE("segmentation matches jieba.cut on known sentences", "[zh]") {
  const auto& dict = localrec::testing::ZhDictionary();
  REQUIRE(SegmentLikeJieba(dict, "我喜欢AI和电影，最近在研究旅游和科技。") ==
          Words{"我", "喜欢", "AI", "和", "电影", "，", "最近", "在", "研究", "旅游", "和", "科技",
                "。"});
  // 杭研 is not in the dictionary: the HMM joins it.
  REQUIRE(SegmentLikeJieba(dict, "他来到了网易杭研大厦") ==
          Words{"他", "来到", "了", "网易", "杭研", "大厦"});
  REQUIRE(SegmentLikeJieba(dict, "2024年3月5日我买了三台电脑") ==
          Words{"2024", "年", "3", "月", "5", "日", "我", "买", "了", "三台", "电脑"});
  REQUIRE(SegmentLikeJieba(dict, "我喜欢看科幻电影和纪录片") ==
          Words{"我", "喜欢", "看", "科幻电影", "和", "纪录片"});
  REQUIRE(SegmentLikeJieba(dict, "周末去爬山，拍了很多风景照片") ==
          Words{"周末", "去", "爬山", "，", "拍", "了", "很多", "风景", "照片"});
  REQUIRE(SegmentLikeJieba(dict, "最近在学习机器学习和深度学习") ==
          Words{"最近", "在", "学习", "机器", "学习", "和", "深度", "学习"});
  REQUIRE(SegmentLikeJieba(dict, "").empty());
  REQUIRE(SegmentLikeJieba(dict, " \n\t").empty());
  REQUIRE_THROWS_AS(SegmentLikeJieba(dict, "坏\xE4"), localrec::Error);
}

TEST_CASE("Cut returns increasing word ends covering the run", "[zh]") {
  const auto& dict = localrec::testing::ZhDictionary();
  const std::u32string run = U"周末去爬山拍了很多风景照片";
  const auto ends = dict.Cut(run);
  REQUIRE(ends == std::vector<uint32_t>{2, 3, 5, 6, 7, 9, 11, 13});
  REQUIRE(dict.Cut(U"").empty());
  REQUIRE(dict.Cut(U"电") == std::vector<uint32_t>{1});
}

TEST_CASE("adversarial runs stay linear and never produce empty or oversized words", "[zh]") {
  const auto& dict = localrec::testing::ZhDictionary();
  // 1 MB-scale inputs: no punctuation, one repeated character, alternating scripts. Timing is the
  // benchmark's job (bench/tokenizer.mjs, adversarial table); here they must finish and be sane.
  const std::u32string repeated(300000, U'啊');
  std::u32string mixed;
  for (int i = 0; i < 100000; ++i) mixed += (i % 2) ? U'a' : U'中';
  std::u32string prose;
  const std::u32string sentence = U"我们周末去山里看了电影然后讨论机器学习和旅游计划";
  while (prose.size() < 300000) prose += sentence;
  const std::vector<const std::u32string*> runs = {&repeated, &mixed, &prose};
  for (const std::u32string* run : runs) {
    const auto ends = dict.Cut(*run);
    REQUIRE(!ends.empty());
    REQUIRE(ends.back() == run->size());
    uint32_t prev = 0;
    bool ok = true;
    for (uint32_t e : ends) {
      ok = ok && e > prev;
      prev = e;
    }
    REQUIRE(ok);
  }
}

TEST_CASE("corrupt, truncated and foreign dictionaries are refused with a code", "[zh]") {
  const std::string good = localrec::testing::ZhDictionaryBytes();
  auto code_of = [](const std::string& bytes) {
    try {
      ChineseDictionary::FromBytes(bytes);
    } catch (const localrec::Error& e) {
      return e.code();
    }
    return ErrorCode::kNotFound;  // "loaded": none of the expected codes
  };
  REQUIRE(code_of("") == ErrorCode::kCorruptData);
  REQUIRE(code_of("not a dictionary at all") == ErrorCode::kCorruptData);
  REQUIRE(code_of(good.substr(0, good.size() / 2)) == ErrorCode::kCorruptData);
  std::string flipped = good;
  flipped[flipped.size() / 3] ^= 0x40;
  REQUIRE(code_of(flipped) == ErrorCode::kCorruptData);  // the checksum catches it
  std::string v2 = good;
  v2[7] = '2';
  REQUIRE(code_of(v2) == ErrorCode::kUnsupported);
  // A well-sealed file whose words are out of order: the checksum passes, validation does not.
  std::string body = "LRZHDIC1";
  auto u32 = [&](uint32_t v) { body.append(reinterpret_cast<const char*>(&v), 4); };
  u32(2);
  const uint64_t total = 10;
  body.append(reinterpret_cast<const char*>(&total), 8);
  body += std::string("\x00\x03", 2) + "\xE4\xB8\xAD" + "\x05";  // 中, freq 5
  body += std::string("\x00\x03", 2) + "\xE4\xB8\x80" + "\x05";  // 一 < 中: not sorted
  const uint32_t crc = localrec::Crc32c(body);
  body.append(reinterpret_cast<const char*>(&crc), 4);
  REQUIRE(code_of(body) == ErrorCode::kCorruptData);
}

TEST_CASE("the installed dictionary is shared and can be removed", "[zh]") {
  localrec::testing::ScopedZhDictionary on;
  REQUIRE(localrec::InstalledChineseDictionary() != nullptr);
  {
    localrec::testing::ScopedZhDictionary off(false);
    REQUIRE(localrec::InstalledChineseDictionary() == nullptr);
  }
  REQUIRE(localrec::InstalledChineseDictionary() != nullptr);
}
