// Chinese word segmentation for the shared analyser. Chinese has no spaces, so a run of Han
// characters is split into words with a dictionary (jieba's word list and frequencies, from
// Debian's python3-jieba, MIT): the maximum-probability path over the DAG of dictionary words,
// and, for stretches the dictionary only covers character by character, jieba's BMES hidden
// Markov model. The same algorithm as jieba's default mode (cut, HMM on), so its output is
// checked against python3-jieba (bench/zh-segment.mjs). The dictionary also carries OpenCC's
// Traditional -> Simplified character table (Apache-2.0), used to fold 喜歡 onto 喜欢.
// The asset is built by scripts/build-zh-dict.py; format in docs/chinese.md.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace localrec {

// True for code points of the Han script (CJK unified ideographs, extensions, compatibility
// ideographs, 〇): the characters that are segmented with the dictionary.
bool IsHan(char32_t cp);

// An immutable Chinese dictionary. Loading validates every byte (Error(kCorruptData) on a
// malformed or truncated file or a bad checksum, Error(kUnsupported) on another format version).
// Memory: about 6 MB for jieba's dictionary (words, offsets, frequencies, HMM and Traditional
// tables). Const methods are thread-safe.
class ChineseDictionary {
 public:
  static std::shared_ptr<const ChineseDictionary> FromBytes(std::string_view bytes);

  // Word boundaries of `run` (code points, normally all Han): the exclusive end index of each
  // word, increasing, the last equal to run.size(). Linear in run.size() (a dictionary word is
  // at most kMaxWordChars long; the HMM is a 4-state Viterbi).
  std::vector<uint32_t> Cut(std::u32string_view run) const;

  // The Simplified form of a Traditional character (one to one, OpenCC's first choice), or cp.
  char32_t ToSimplified(char32_t cp) const;

  // The corpus frequency of `word` (UTF-8), 0 when it is not in the dictionary.
  uint32_t Frequency(std::string_view word) const;

  size_t size() const { return freqs_.size(); }
  size_t traditional_pairs() const { return simplified_.size(); }

  // Words longer than this (code points) are not looked up; jieba's longest is 16 characters.
  static constexpr uint32_t kMaxWordChars = 32;

 private:
  ChineseDictionary() = default;
  struct Range {
    uint32_t lo = 0, hi = 0;
  };
  // Narrows `r` (words sharing the first `prefix_bytes` bytes) to those whose next bytes are `c`.
  Range Narrow(Range r, size_t prefix_bytes, std::string_view c) const;
  std::string_view Word(uint32_t i) const {
    return std::string_view(blob_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // Appends the words of `run` (a stretch the dictionary covered only with single characters)
  // as jieba's finalseg does: Viterbi over B/E/M/S for Han, whole runs for the rest.
  void CutUnknown(std::u32string_view run, uint32_t base, std::vector<uint32_t>* ends) const;
  void Viterbi(std::u32string_view han, uint32_t base, std::vector<uint32_t>* ends) const;

  std::string blob_;               // the words' UTF-8 bytes, sorted, back to back
  std::vector<uint32_t> offsets_;  // word i is blob_[offsets_[i], offsets_[i + 1])
  std::vector<uint32_t> freqs_;
  std::unordered_map<char32_t, Range> by_first_;  // words starting with a code point
  double log_total_ = 0;
  std::array<double, 4> start_{};                 // log P(first state), states B E M S
  std::array<std::array<double, 4>, 4> trans_{};  // log P(to | from)
  std::unordered_map<char32_t, std::array<float, 4>> emit_;
  std::unordered_map<char32_t, char32_t> simplified_;
};

// Splits arbitrary UTF-8 text the way jieba.cut(text) does in its default mode (blocks of Han,
// ASCII letters, digits and "+#&._%-" are segmented; whitespace is dropped; other characters
// stand alone), for comparing with python3-jieba and for the benchmark. The analyser itself only
// hands runs of Han characters to Cut(). Throws Error(kInvalidUtf8) on invalid input.
std::vector<std::string> SegmentLikeJieba(const ChineseDictionary& dict, std::string_view text);

// The dictionary the shared analyser uses (process-wide; null until one is installed). Without
// one the analyser treats each Han character as a word. Install before analysing Chinese text;
// swapping while another thread analyses is safe (shared ownership) but gives mixed results.
void InstallChineseDictionary(std::shared_ptr<const ChineseDictionary> dict);
std::shared_ptr<const ChineseDictionary> InstalledChineseDictionary();

}  // namespace localrec
