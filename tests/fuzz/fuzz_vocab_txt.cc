// libFuzzer: arbitrary bytes as a WordPiece vocab.txt. Loading either succeeds or throws
// localrec::Error; a loaded tokenizer must then encode text without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  localrec::TokenizerOptions options;
  options.kind = localrec::TokenizerKind::kWordPiece;
  options.format = "vocab.txt";
  options.lowercase = size % 2 == 0;
  try {
    const auto tok = localrec::Tokenizer::FromBytes(bytes, options);
    (void)tok->Encode("Hello [MASK] wörld, 中文 unaffable ##ing", 0);
    (void)tok->Encode(bytes.substr(0, 256), 3);
  } catch (const localrec::Error&) {
  }
  return 0;
}
