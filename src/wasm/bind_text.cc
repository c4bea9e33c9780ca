// Embind bindings of the tokenizers (contract: web/src/tokenizer.js wraps these). Thin: argument
// checks live in JS, errors in the core; every call runs inside Guard() so that bad input becomes
// a JS Error and never aborts the instance.
#include <emscripten/bind.h>

#include "wasm/tokenizer_handle.h"

namespace localrec::wasm {

EMSCRIPTEN_BINDINGS(text) {
  emscripten::class_<TokenizerHandle>("Tokenizer")
      .class_function("fromBytes", &TokenizerHandle::FromBytes, emscripten::allow_raw_pointers())
      .function("encode", &TokenizerHandle::Encode)
      .function("encodeBatch", &TokenizerHandle::EncodeBatch)
      .function("tokenize", &TokenizerHandle::Tokenize)
      .property("vocabSize", &TokenizerHandle::vocab_size)
      .property("padId", &TokenizerHandle::pad_id)
      .property("usesTokenTypeIds", &TokenizerHandle::uses_token_type_ids)
      .property("maxLength", &TokenizerHandle::max_length);
}

}  // namespace localrec::wasm
