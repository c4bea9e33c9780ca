#include "core/text/tokenizer.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/text/unigram.h"
#include "core/text/wordpiece.h"

namespace localrec {

namespace {

bool LooksLikeJsonObject(std::string_view bytes) {
  for (const char c : bytes) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{';
  }
  return false;
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::FromBytes(std::string_view bytes,
                                                const TokenizerOptions& options) {
  if (bytes.empty()) throw Error(ErrorCode::kCorruptData, "the tokenizer file is empty");
  if (options.kind == TokenizerKind::kWordPiece) {
    std::string format = options.format;
    if (format.empty()) format = LooksLikeJsonObject(bytes) ? "tokenizer.json" : "vocab.txt";
    if (format == "vocab.txt") return LoadWordPieceVocabTxt(bytes, options);
    if (format == "tokenizer.json") return LoadWordPieceTokenizerJson(bytes);
    throw Error(ErrorCode::kInvalidArgument, "unknown WordPiece format '" + format +
                                                 "' (expected \"vocab.txt\" or \"tokenizer.json\")");
  }
  if (options.kind == TokenizerKind::kUnigram) {
    if (!options.format.empty() && options.format != "use-vocab.json") {
      throw Error(ErrorCode::kInvalidArgument, "unknown Unigram format '" + options.format +
                                                   "' (expected \"use-vocab.json\")");
    }
    return LoadUnigramUseVocabJson(bytes);
  }
  throw Error(ErrorCode::kInvalidArgument, "unknown tokenizer kind");
}

BatchEncoding EncodeBatch(const Tokenizer& tok, std::span<const std::string_view> texts,
                          size_t max_length) {
  BatchEncoding batch;
  std::vector<Encoding> rows;
  rows.reserve(texts.size());
  for (const std::string_view text : texts) rows.push_back(tok.Encode(text, max_length));
  batch.batch_size = rows.size();
  for (const Encoding& row : rows) batch.sequence_length = std::max(batch.sequence_length, row.ids.size());
  const size_t cells = batch.batch_size * batch.sequence_length;
  batch.input_ids.assign(cells, tok.pad_id());
  batch.attention_mask.assign(cells, 0);
  batch.token_type_ids.assign(cells, 0);
  batch.lengths.reserve(rows.size());
  batch.truncated.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::vector<int32_t>& ids = rows[r].ids;
    int64_t* row_ids = batch.input_ids.data() + r * batch.sequence_length;
    int64_t* row_mask = batch.attention_mask.data() + r * batch.sequence_length;
    for (size_t t = 0; t < ids.size(); ++t) {
      row_ids[t] = ids[t];
      row_mask[t] = 1;
    }
    batch.lengths.push_back(static_cast<uint32_t>(ids.size()));
    batch.truncated.push_back(rows[r].full_length > ids.size() ? 1 : 0);
  }
  return batch;
}

}  // namespace localrec
