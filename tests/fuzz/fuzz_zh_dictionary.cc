// libFuzzer: the Chinese dictionary loader and the segmenter. The first byte picks the mode:
//   even: the rest is a dictionary body; its CRC-32C is appended here, so the fuzzer gets past
//         the checksum into the parser. Loading succeeds or throws localrec::Error; a loaded
//         dictionary then segments fixed and fuzzed text through Cut, SegmentLikeJieba and the
//         analyser.
//   odd:  the rest is text for a small valid dictionary built below (every code path of the
//         segmenter and the analyser on arbitrary, possibly invalid, UTF-8).
// Seeds (tests/fuzz/corpus/fuzz_zh_dictionary): sample60.bin is "\0" + the body (without its
// CRC) of `scripts/build-zh-dict.py --sample 60`, jieba's 60 most frequent words; text-*.bin
// are "\1"/"\3" + Chinese, mixed and repeated text.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/checksum.h"
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/analyzer.h"
#include "core/text/zh_segmenter.h"

namespace {

void Varint(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
template <typename T>
void Raw(T v, std::string* out) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::string Seal(std::string body) {
  const uint32_t crc = localrec::Crc32c(body);
  Raw(crc, &body);
  return body;
}

// A few words (sorted by UTF-8 bytes) with jieba's HMM start and transition values.
std::shared_ptr<const localrec::ChineseDictionary> SmallDictionary() {
  std::vector<std::pair<std::string, uint32_t>> words = {
      {"AI", 3},  {"中", 500},   {"中国", 300},  {"喜欢", 80}, {"我", 900},
      {"电", 50}, {"电影", 120}, {"电影院", 30}, {"科技", 60}, {"啊", 40}};
  std::sort(words.begin(), words.end());  // the format wants them sorted by UTF-8 bytes
  std::string b = "LRZHDIC1";
  Raw(static_cast<uint32_t>(words.size()), &b);
  Raw(static_cast<uint64_t>(60000000), &b);
  std::string prev;
  for (const auto& [w, f] : words) {
    size_t shared = 0;
    while (shared < prev.size() && shared < w.size() && prev[shared] == w[shared]) ++shared;
    Varint(static_cast<uint32_t>(shared), &b);
    Varint(static_cast<uint32_t>(w.size() - shared), &b);
    b += w.substr(shared);
    Varint(f, &b);
    prev = w;
  }
  const double inf = -INFINITY;
  for (double p : {-0.26, -3.14e100, -3.14e100, -1.47}) Raw(p, &b);  // B E M S
  const double trans[4][4] = {{inf, -0.51, -0.92, inf},
                              {-0.59, inf, inf, -0.81},
                              {inf, -0.33, -1.26, inf},
                              {-0.72, inf, inf, -0.67}};
  for (const auto& row : trans)
    for (double p : row) Raw(p, &b);
  const std::u32string chars = U"中喜影我电研";  // increasing code points
  for (int s = 0; s < 4; ++s) {
    Varint(static_cast<uint32_t>(chars.size()), &b);
    char32_t last = 0;
    for (char32_t c : chars) {
      Varint(static_cast<uint32_t>(c - last), &b);
      Raw(static_cast<float>(-5.0 - s - (c % 7)), &b);
      last = c;
    }
  }
  Varint(1, &b);
  Varint(U'歡', &b);
  Varint(U'欢', &b);
  return localrec::ChineseDictionary::FromBytes(Seal(std::move(b)));
}

void Exercise(const std::shared_ptr<const localrec::ChineseDictionary>& dict,
              std::string_view text) {
  localrec::InstallChineseDictionary(dict);
  try {
    (void)localrec::AnalyzeText(text);
  } catch (const localrec::Error&) {
  }
  try {
    (void)localrec::SegmentLikeJieba(*dict, text);
  } catch (const localrec::Error&) {
  }
  if (localrec::FindInvalidUtf8(text) == std::string_view::npos) {
    std::u32string run;
    for (char32_t c : localrec::DecodeUtf8(text)) run.push_back(c);
    const auto ends = dict->Cut(run);
    uint32_t prev = 0;
    for (uint32_t e : ends) {
      if (e <= prev || e > run.size()) __builtin_trap();  // ends must increase within the run
      prev = e;
    }
    if (!run.empty() && prev != run.size()) __builtin_trap();
  }
  localrec::InstallChineseDictionary(nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    std::shared_ptr<const localrec::ChineseDictionary> dict;
    try {
      dict = localrec::ChineseDictionary::FromBytes(Seal(std::string(rest)));
    } catch (const localrec::Error&) {
      return 0;
    }
    Exercise(dict, "我喜欢AI和电影，最近在研究旅游和科技。喜歡 2024年 啊啊啊");
    Exercise(dict, rest.substr(0, 512));
  } else {
    static const auto small = SmallDictionary();
    Exercise(small, rest);
  }
  return 0;
}
