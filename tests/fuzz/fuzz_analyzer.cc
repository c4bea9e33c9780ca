// libFuzzer target for the text analyser (src/core/text/analyzer.h), which every post and every
// catalogue item text goes through: any bytes must give non-empty words of valid UTF-8, with
// AnalyzeTerms equal to AnalyzeText's non-stop terms, or be refused with Error(kInvalidUtf8) only
// when the input is invalid UTF-8; never crash or trip a sanitizer. Seeds:
// tests/fuzz/corpus/fuzz_analyzer/.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto words = localrec::AnalyzeText(text);
    const auto terms = localrec::AnalyzeTerms(text);
    // AnalyzeTerms is AnalyzeText minus stop words (analyzer.h): both sides of BM25 rely on it.
    std::vector<std::string> expected;
    for (const auto& w : words) {
      if (w.term.empty() || w.surface.empty()) std::abort();
      localrec::CheckUtf8(w.term, "term");  // throws, which aborts below: output is valid UTF-8
      localrec::CheckUtf8(w.surface, "surface");
      if (!w.stop) expected.push_back(w.term);
    }
    if (terms != expected) std::abort();
  } catch (const localrec::Error& e) {
    if (e.code() != localrec::ErrorCode::kInvalidUtf8) std::abort();
    // Refused only when the input really is invalid UTF-8.
    try {
      localrec::CheckUtf8(text, "text");
    } catch (const localrec::Error&) {
      return 0;
    }
    std::abort();
  }
  return 0;
}
