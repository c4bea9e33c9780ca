// One embedding request: tokenise every text once, plan length-sorted batches, hand out each
// batch's padded model inputs, take back the model's output for it and pool it into the text's
// row. The model itself runs outside the core (ONNX Runtime); this class owns everything around it.
// Not thread-safe; a plan is used by one request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/encode/batching.h"
#include "core/encode/pooling.h"
#include "core/text/tokenizer.h"

namespace localrec {

class EncodePlan {
 public:
  // Tokenises `texts` with `tokenizer` (not retained: ids are copied), cutting each to
  // `max_length` tokens (0 = the tokenizer's maximum). Batches depend only on the texts' content,
  // never on their order in `texts`. Throws what Tokenizer::Encode throws, naming the text's
  // index, and Error(kInvalidArgument) for an empty list.
  EncodePlan(const Tokenizer& tokenizer, std::span<const std::string_view> texts,
             size_t max_length, const BatchingOptions& batching);

  size_t size() const { return encodings_.size(); }
  size_t batch_count() const { return batches_.size(); }

  // The padded inputs of batch `b` (rows in the batch's order; type ids all 0).
  BatchEncoding Inputs(size_t b) const;

  // Pools the model's output for batch `b` (see Pool) into the embeddings of its texts.
  // `sequence_length` must be the one Inputs(b) gave (ignored for Pooling::kNone).
  void Consume(size_t b, std::span<const float> output, size_t sequence_length, size_t dims,
               Pooling pooling, bool normalize);

  // True once every batch has been consumed.
  bool complete() const { return consumed_count_ == batches_.size(); }

  // [size(), dims] in input order; throws Error(kInvalidArgument) until complete().
  const RowMatrixXf& embeddings() const;

  // Tokens per text incl. specials, after truncation; and 1 where a text was cut.
  std::vector<uint32_t> token_counts() const;
  const std::vector<uint8_t>& truncated() const { return truncated_; }
  // Per text (whole, before truncation), the share of its visible characters that no known
  // piece of the vocabulary spells: 1 for text the model has no pieces for (Chinese given to
  // USE Lite), 0 for an empty text.
  const std::vector<float>& unknown_shares() const { return unknown_shares_; }

 private:
  std::vector<std::vector<int32_t>> encodings_;
  std::vector<uint8_t> truncated_;
  std::vector<float> unknown_shares_;
  std::vector<std::vector<uint32_t>> batches_;
  std::vector<uint8_t> consumed_;
  size_t consumed_count_ = 0;
  int32_t pad_id_ = 0;
  RowMatrixXf embeddings_;
};

}  // namespace localrec
