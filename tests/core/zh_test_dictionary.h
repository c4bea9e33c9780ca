// The Chinese dictionary the native build makes from python3-jieba (CMake's localrec_zh_dict
// target writes it to LOCALREC_ZH_DICT), loaded once for all tests.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/text/zh_segmenter.h"

namespace localrec::testing {

inline const std::string& ZhDictionaryBytes() {
  static const std::string bytes = [] {
    std::ifstream f(LOCALREC_ZH_DICT, std::ios::binary);
    if (!f) throw std::runtime_error("missing " LOCALREC_ZH_DICT " (build the native preset)");
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }();
  return bytes;
}

inline std::shared_ptr<const ChineseDictionary> SharedZhDictionary() {
  static const auto dict = ChineseDictionary::FromBytes(ZhDictionaryBytes());
  return dict;
}

inline const ChineseDictionary& ZhDictionary() { return *SharedZhDictionary(); }

// Installs (or removes) the analyser's dictionary for a scope and restores the previous one.
class ScopedZhDictionary {
 public:
  explicit ScopedZhDictionary(bool on = true) : previous_(InstalledChineseDictionary()) {
    InstallChineseDictionary(on ? SharedZhDictionary() : nullptr);
  }
  ~ScopedZhDictionary() { InstallChineseDictionary(previous_); }
  ScopedZhDictionary(const ScopedZhDictionary&) = delete;
  ScopedZhDictionary& operator=(const ScopedZhDictionary&) = delete;

 private:
  std::shared_ptr<const ChineseDictionary> previous_;
};

}  // namespace localrec::testing
