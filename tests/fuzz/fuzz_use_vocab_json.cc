// libFuzzer: arbitrary bytes as USE Lite's vocab.json ([[piece, score], ...]). Loading either
// succeeds or throws localrec::Error; a loaded tokenizer must then encode without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  localrec::TokenizerOptions options;
  options.kind = localrec::TokenizerKind::kUnigram;
  options.format = "use-vocab.json";
  try {
    const auto tok = localrec::Tokenizer::FromBytes(bytes, options);
    (void)tok->Encode("Hello world, ﬁne caf\xC3\xA9 :-) \xF0\x9F\x98\x80", 0);
    (void)tok->Tokenize("  two  spaces ");
  } catch (const localrec::Error&) {
  }
  return 0;
}
