// Tokenizers: text -> model input ids, identical to the reference implementations of each
// format. WordPiece (BERT family; vocab.txt or a Hugging Face tokenizer.json) matches Hugging
// Face's Rust `tokenizers`; Unigram matches the original TF.js tokenizer of Universal Sentence
// Encoder Lite (SentencePiece-style Viterbi over a `[[piece, score], ...]` vocab.json).
// Loading is from bytes; files and downloads are the caller's business.
// Tokenizers are immutable after construction: const methods are thread-safe. Every method
// taking text throws Error(kInvalidUtf8) for invalid UTF-8, and is linear in the text's length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace localrec {

enum class TokenizerKind { kWordPiece, kUnigram };

struct TokenizerOptions {
  TokenizerKind kind = TokenizerKind::kWordPiece;
  // "vocab.txt" | "tokenizer.json" (WordPiece); "use-vocab.json" (Unigram: [[piece, score], ...]).
  // Empty: "use-vocab.json" for Unigram; for WordPiece "tokenizer.json" when the bytes look like
  // a JSON object, else "vocab.txt".
  std::string format;
  // vocab.txt has no normaliser settings: these apply (BERT-uncased defaults). tokenizer.json
  // carries its own and ignores them. strip_accents unset = follow `lowercase` (as BERT does).
  bool lowercase = true;
  std::optional<bool> strip_accents;
  bool handle_chinese_chars = true;
  bool clean_text = true;
};

struct Encoding {
  std::vector<int32_t> ids;  // with special tokens, after truncation
  size_t full_length = 0;    // tokens incl. specials before truncation
};

class Tokenizer {
 public:
  // Throws Error(kCorruptData) for malformed files, kUnsupported for valid files using features
  // this implementation does not have, kInvalidArgument for bad options.
  static std::unique_ptr<Tokenizer> FromBytes(std::string_view bytes,
                                              const TokenizerOptions& options);
  virtual ~Tokenizer() = default;

  // Ids with special tokens, truncated to `max_length` tokens (0 = max_length()); WordPiece keeps
  // [CLS] and the final [SEP] when truncating, as Hugging Face's Rust tokenizer does. Throws
  // kInvalidArgument when max_length cannot hold the special tokens.
  virtual Encoding Encode(std::string_view text, size_t max_length) const = 0;
  // The pieces of `text` (no special tokens, no truncation); pieces[i] is the vocabulary entry of
  // Encode's i-th non-special id ("##ing", "[UNK]", "▁the", ...).
  virtual std::vector<std::string> Tokenize(std::string_view text) const = 0;

  virtual size_t vocab_size() const = 0;
  virtual int32_t pad_id() const = 0;
  virtual bool uses_token_type_ids() const = 0;  // WordPiece true, Unigram (USE Lite) false
  virtual size_t max_length() const = 0;  // 512 BERT default / tokenizer.json; 128 for USE Lite
  // How many characters of `text` its known pieces spell (word-boundary markers and "##" not
  // counted; [UNK] / USE Lite's unknown id not counted, whatever length of text they stand for):
  // with the text's own count of visible characters, the share a model could not read
  // (EncodePlan::unknown_shares). USE Lite folds a run of unknown characters into one token, so
  // counting tokens would understate it.
  virtual size_t KnownChars(std::string_view text) const = 0;
};

struct BatchEncoding {
  size_t batch_size = 0, sequence_length = 0;  // padded to the longest member (after truncation)
  std::vector<int64_t> input_ids, attention_mask, token_type_ids;  // row-major [batch, seq]
  std::vector<uint32_t> lengths;                                   // real tokens per row
  std::vector<uint8_t> truncated;  // 1 where the text was cut to max_length
};

// Encodes each text (as Encode) and right-pads to the longest row with pad_id(); attention_mask
// is 1 on real tokens; token_type_ids are all 0 (single sentences).
BatchEncoding EncodeBatch(const Tokenizer& tok, std::span<const std::string_view> texts,
                          size_t max_length);

}  // namespace localrec
