// Embind bindings of the tokenizers (contract: web/src/tokenizer.js wraps these). Thin: argument
// checks live in JS, errors in the core; every call runs inside Guard() so that bad input becomes
// a JS Error and never aborts the instance.
#include <emscripten/bind.h>

#include "wasm/tokenizer_handle.h"

namespace localrec::wasm {

EMSCRIPTEN_BINDINGS(text) {
  emscripten::class_<TokenizerHandle>("Tokenizer")
      .class_function("fromBytes", &TokenizerHandle::FromBytes, emscripten::allow_raw_pointers())
      .function("tokenize", &TokenizerHandle::Tokenize)
      .function("idsAddress", &TokenizerHandle::ids_address)
      .function("inputAddress", &TokenizerHandle::InputAddress)
      .function("encodeInput", &TokenizerHandle::EncodeInput)
      .function("fullLength", &TokenizerHandle::full_length)
      .function("encodeBatchToScratch", &TokenizerHandle::EncodeBatchToScratch)
      .function("batchAddress", &TokenizerHandle::batch_address)
      .function("sequenceLength", &TokenizerHandle::sequence_length)
      .property("vocabSize", &TokenizerHandle::vocab_size)
      .property("padId", &TokenizerHandle::pad_id)
      .property("usesTokenTypeIds", &TokenizerHandle::uses_token_type_ids)
      .property("maxLength", &TokenizerHandle::max_length);
}

}  // namespace localrec::wasm
