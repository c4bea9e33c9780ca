// Embind bindings of the Chinese dictionary (contract: web/src/chinese.js wraps these) and of
// the shared analyser, which the tests and benchmarks call to compare Node, Chromium and native.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "core/text/analyzer.h"
#include "core/text/zh_segmenter.h"
#include "wasm/bind_util.h"

namespace localrec::wasm {

namespace {

using emscripten::val;

// Installs the dictionary for every later analysis; returns its word count.
size_t LoadChineseDictionary(const std::string& bytes) {
  return Guard([&] {
    auto dict = ChineseDictionary::FromBytes(bytes);
    const size_t n = dict->size();
    InstallChineseDictionary(std::move(dict));
    return n;
  });
}

bool ChineseDictionaryLoaded() { return InstalledChineseDictionary() != nullptr; }

val Strings(const std::vector<std::string>& items) {
  val out = val::array();
  for (const std::string& s : items) out.call<void>("push", val(s));
  return out;
}

val AnalyzeTermsJs(const std::string& text) {
  return Guard([&] { return Strings(AnalyzeTerms(text)); });
}

val SegmentLikeJiebaJs(const std::string& text) {
  return Guard([&] {
    const auto dict = InstalledChineseDictionary();
    if (!dict) throw Error(ErrorCode::kInvalidArgument, "no Chinese dictionary is loaded");
    return Strings(SegmentLikeJieba(*dict, text));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(zh) {
  emscripten::function("loadChineseDictionary", &LoadChineseDictionary);
  emscripten::function("chineseDictionaryLoaded", &ChineseDictionaryLoaded);
  emscripten::function("analyzeTerms", &AnalyzeTermsJs);
  emscripten::function("segmentLikeJieba", &SegmentLikeJiebaJs);
}

}  // namespace localrec::wasm
