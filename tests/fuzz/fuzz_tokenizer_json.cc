// libFuzzer: arbitrary bytes as a Hugging Face tokenizer.json (WordPiece). Loading either succeeds
// or throws localrec::Error; a loaded tokenizer must then encode and tokenize without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  localrec::TokenizerOptions options;
  options.kind = localrec::TokenizerKind::kWordPiece;
  options.format = "tokenizer.json";
  try {
    const auto tok = localrec::Tokenizer::FromBytes(bytes, options);
    (void)tok->Encode("Hello [MASK] wörld, 中文 unaffable ##ing  [SEP]", 0);
    (void)tok->Tokenize("e\xCC\x81 \xC4\xB0 x");
  } catch (const localrec::Error&) {
  }
  return 0;
}
