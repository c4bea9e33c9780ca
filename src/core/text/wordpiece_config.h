// What a WordPiece tokenizer is made of, between the loaders that read it from a file
// (wordpiece_vocab_txt.cc, wordpiece_tokenizer_json.cc) and the algorithm that runs it
// (wordpiece.cc). Internal to the text layer; the public entry points are in wordpiece.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

namespace localrec::wordpiece {

inline constexpr size_t kDefaultMaxLength = 512;  // BERT's position embeddings
// Ids index embedding tables; anything this large is a corrupt file, not a model.
inline constexpr int64_t kMaxTokenId = (int64_t{1} << 24) - 1;

struct AddedToken {
  std::string content;
  int32_t id = 0;
  bool normalized = false;  // matched in the normalised text instead of the raw text
  bool lstrip = false;      // also swallows the whitespace before it
  bool rstrip = false;      // ... and after it
};

struct NormalizerFlags {
  bool clean_text = false;
  bool handle_chinese_chars = false;
  bool strip_accents = false;
  bool lowercase = false;
};

struct Config {
  std::vector<std::pair<std::string, int32_t>> vocab;  // later duplicates win
  size_t vocab_size = 0;  // set by MakeTokenizer
  std::string unk_token = "[UNK]";
  std::string prefix = "##";
  size_t max_input_chars_per_word = 100;
  NormalizerFlags normalizer;
  std::vector<AddedToken> added_tokens;
  std::vector<int32_t> head, tail;  // special ids around the sequence ([CLS] / [SEP])
  int32_t pad_id = 0;
  size_t max_length = kDefaultMaxLength;
};

// Malformed tokenizer files: Error(kCorruptData) with `what` as the message.
[[noreturn]] inline void Corrupt(const std::string& what) { throw Error(ErrorCode::kCorruptData, what); }

// A token id from a file, checked to be in 0..kMaxTokenId.
inline int32_t CheckedId(int64_t id, const std::string& what) {
  if (id < 0 || id > kMaxTokenId) {
    Corrupt(what + " has id " + std::to_string(id) + ", outside 0.." + std::to_string(kMaxTokenId));
  }
  return static_cast<int32_t>(id);
}

// Decodes the code point at s[*i] (valid UTF-8) and advances *i.
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  size_t n;
  char32_t cp;
  if (b0 < 0xE0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if (b0 < 0xF0) {
    n = 3;
    cp = b0 & 0x0F;
  } else {
    n = 4;
    cp = b0 & 0x07;
  }
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return cp;
}

// The tokenizer of `config` (vocab_size is set here: one past the largest id of the vocabulary
// and the added tokens). Throws Error(kCorruptData) when the unknown token is not in the
// vocabulary.
std::unique_ptr<Tokenizer> MakeTokenizer(Config config);

}  // namespace localrec::wordpiece
