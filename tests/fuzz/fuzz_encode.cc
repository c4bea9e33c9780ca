// libFuzzer: arbitrary bytes as text for Encode/Tokenize/EncodeBatch of both tokenizers, built once
// from small in-memory vocabularies (so the fuzzer needs no files). Invalid UTF-8 must throw
// localrec::Error(kInvalidUtf8); valid text must never crash, and the ids must stay in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

namespace {

const localrec::Tokenizer& WordPiece() {
  static const auto tok = [] {
    std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
    for (const char* piece : {"a", "b", "ab", "##a", "##b", "##ab", "abc", "##c", "!", ".", "e",
                              "\xC3\xA9", "\xE4\xB8\xAD", "##\xCC\x81", "http", "##s", ":", "/"}) {
      vocab += piece;
      vocab += '\n';
    }
    localrec::TokenizerOptions o;
    o.format = "vocab.txt";
    return localrec::Tokenizer::FromBytes(vocab, o);
  }();
  return *tok;
}

const localrec::Tokenizer& Unigram() {
  static const auto tok = [] {
    localrec::TokenizerOptions o;
    o.kind = localrec::TokenizerKind::kUnigram;
    return localrec::Tokenizer::FromBytes(
        R"([["<unk>", 0], ["<s>", 0], ["</s>", 0], ["x1", 0], ["x2", 0], ["x3", 0],
            ["▁", -1.5], ["a", -2], ["b", -2.5], ["ab", -3], ["▁a", -2], ["▁ab", null],
            ["é", -4], ["c", 0], ["abc", 30], ["中", -5], [".", -1]])",
        o);
  }();
  return *tok;
}

void Check(const localrec::Tokenizer& tok, std::string_view text, size_t max_length) {
  const auto encoding = tok.Encode(text, max_length);
  for (const int32_t id : encoding.ids) {
    if (id < 0 || static_cast<size_t>(id) >= tok.vocab_size()) std::abort();
  }
  if (encoding.ids.size() > (max_length ? max_length : tok.max_length())) std::abort();
  // Tokenize gives one piece per non-special id; these vocabularies add [CLS]/[SEP] (WordPiece)
  // or nothing (Unigram).
  const size_t specials = tok.uses_token_type_ids() ? 2 : 0;
  if (tok.Tokenize(text).size() + specials != encoding.full_length) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t max_length = size % 7 == 0 ? 0 : 2 + size % 40;
  for (const localrec::Tokenizer* tok : {&WordPiece(), &Unigram()}) {
    try {
      Check(*tok, text, max_length);
      const std::string_view texts[] = {text, text.substr(0, size / 2), ""};
      const auto batch = localrec::EncodeBatch(*tok, std::span(texts), max_length);
      if (batch.input_ids.size() != batch.batch_size * batch.sequence_length) std::abort();
    } catch (const localrec::Error& e) {
      if (e.code() != localrec::ErrorCode::kInvalidUtf8) std::abort();
    }
  }
  return 0;
}
