// libFuzzer target for the text analyser (src/core/text/analyzer.h), which every post and every
// catalogue item text goes through: any bytes must give words that are valid UTF-8, non-empty and
// not stop words, or be refused with localrec::Error (invalid UTF-8), never crash or trip a
// sanitizer. Seeds: tests/fuzz/corpus/fuzz_analyzer/.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto words = localrec::AnalyzeText(text);
    const auto terms = localrec::AnalyzeTerms(text);
    for (const std::string& t : terms) {
      if (t.empty()) std::abort();
      localrec::CheckUtf8(t, "term");  // throws, which aborts below: terms must be valid UTF-8
      if (localrec::IsStopWord(t)) std::abort();
      if (localrec::AnalyzeTerms(t).empty()) std::abort();  // a term analyses to itself (or more)
    }
    (void)words;
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
