// Reading a BERT vocab.txt into a WordPiece tokenizer (wordpiece.h).
#include <string>

#include "core/common/utf8.h"
#include "core/text/unicode_props.h"
#include "core/text/wordpiece.h"
#include "core/text/wordpiece_config.h"

namespace localrec {

using wordpiece::CheckedId;
using wordpiece::Corrupt;
using wordpiece::NextCodePoint;

std::unique_ptr<Tokenizer> LoadWordPieceVocabTxt(std::string_view bytes,
                                                 const TokenizerOptions& options) {
  CheckUtf8(bytes, "vocab.txt");
  wordpiece::Config config;
  // As Hugging Face's Rust reader: one entry per line (LF or CRLF), trailing whitespace trimmed,
  // the line number is the id, and a repeated piece maps to its last line.
  size_t line_start = 0;
  int64_t line = 0;
  while (line_start < bytes.size()) {
    size_t end = bytes.find('\n', line_start);
    const size_t next = end == std::string_view::npos ? bytes.size() : end + 1;
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view piece = bytes.substr(line_start, end - line_start);
    // Trim trailing White_Space code points (which includes the CR of CRLF).
    while (!piece.empty()) {
      size_t k = piece.size() - 1;
      while (k > 0 && (static_cast<unsigned char>(piece[k]) & 0xC0) == 0x80) --k;
      size_t j = k;
      if (!unicode::IsWhitespace(NextCodePoint(piece, &j))) break;
      piece = piece.substr(0, k);
    }
    config.vocab.emplace_back(std::string(piece), CheckedId(line, "vocab.txt line"));
    ++line;
    line_start = next;
  }
  if (config.vocab.empty()) Corrupt("vocab.txt is empty");
  auto find = [&](std::string_view token) -> int64_t {
    int64_t id = -1;
    for (const auto& [piece, piece_id] : config.vocab) {
      if (piece == token) id = piece_id;
    }
    return id;
  };
  for (const char* required : {"[UNK]", "[CLS]", "[SEP]"}) {
    if (find(required) < 0) {
      Corrupt(std::string("vocab.txt has no ") + required + " token (is this a BERT vocab.txt?)");
    }
  }
  // The special tokens that Hugging Face's BERT tokenizers register, matched in the raw text.
  for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    const int64_t id = find(special);
    if (id >= 0) config.added_tokens.push_back({special, static_cast<int32_t>(id)});
  }
  config.head = {static_cast<int32_t>(find("[CLS]"))};
  config.tail = {static_cast<int32_t>(find("[SEP]"))};
  const int64_t pad = find("[PAD]");
  config.pad_id = pad >= 0 ? static_cast<int32_t>(pad) : 0;
  config.normalizer.lowercase = options.lowercase;
  config.normalizer.strip_accents = options.strip_accents.value_or(options.lowercase);
  config.normalizer.handle_chinese_chars = options.handle_chinese_chars;
  config.normalizer.clean_text = options.clean_text;
  return wordpiece::MakeTokenizer(std::move(config));
}

}  // namespace localrec
