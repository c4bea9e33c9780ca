#include "core/encode/encode_plan.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/unicode_props.h"

namespace localrec {

EncodePlan::EncodePlan(const Tokenizer& tokenizer, std::span<const std::string_view> texts,
                       size_t max_length, const BatchingOptions& batching)
    : pad_id_(tokenizer.pad_id()) {
  if (texts.empty()) throw Error(ErrorCode::kInvalidArgument, "no texts to embed");
  encodings_.reserve(texts.size());
  truncated_.reserve(texts.size());
  std::vector<uint32_t> lengths;
  lengths.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Encoding e;
    try {
      e = tokenizer.Encode(texts[i], max_length);
    } catch (const Error& err) {
      throw Error(err.code(), "text " + std::to_string(i) + ": " + err.what());
    }
    truncated_.push_back(e.full_length > e.ids.size() ? 1 : 0);
    // Visible characters: not whitespace, control or combining marks (which normalisers drop
    // or fold into their base letter).
    size_t visible = 0;
    for (const char32_t cp : DecodeUtf8(texts[i])) {
      visible +=
          !unicode::IsWhitespace(cp) && !unicode::IsControl(cp) && !unicode::IsNonSpacingMark(cp);
    }
    const size_t known = std::min(visible, tokenizer.KnownChars(texts[i]));
    unknown_shares_.push_back(
        visible == 0 ? 0.0f : static_cast<float>(visible - known) / static_cast<float>(visible));
    lengths.push_back(static_cast<uint32_t>(e.ids.size()));
    encodings_.push_back(std::move(e.ids));
  }
  // Batch by content, not by position: order texts by their ids first (PlanBatches' sort by
  // length is stable), so the same texts form the same batches whatever order they come in, and
  // int8 models (activations quantised per batch) give each text the same vector.
  std::vector<uint32_t> by_content(encodings_.size());
  for (uint32_t i = 0; i < by_content.size(); ++i) by_content[i] = i;
  std::stable_sort(by_content.begin(), by_content.end(),
                   [&](uint32_t a, uint32_t b) { return encodings_[a] < encodings_[b]; });
  std::vector<uint32_t> sorted_lengths(lengths.size());
  for (size_t k = 0; k < by_content.size(); ++k) sorted_lengths[k] = lengths[by_content[k]];
  batches_ = PlanBatches(sorted_lengths, batching);
  for (auto& batch : batches_)
    for (auto& k : batch) k = by_content[k];
  consumed_.assign(batches_.size(), 0);
}

BatchEncoding EncodePlan::Inputs(size_t b) const {
  if (b >= batches_.size()) {
    throw Error(ErrorCode::kInvalidArgument, "batch " + std::to_string(b) + " does not exist (" +
                                                 std::to_string(batches_.size()) + " batches)");
  }
  const auto& rows = batches_[b];
  BatchEncoding out;
  out.batch_size = rows.size();
  for (uint32_t i : rows) out.sequence_length = std::max(out.sequence_length, encodings_[i].size());
  // A model needs at least one position even for an empty encoding (USE Lite on "").
  out.sequence_length = std::max<size_t>(out.sequence_length, 1);
  const size_t cells = out.batch_size * out.sequence_length;
  out.input_ids.assign(cells, pad_id_);
  out.attention_mask.assign(cells, 0);
  out.token_type_ids.assign(cells, 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& ids = encodings_[rows[r]];
    std::copy(ids.begin(), ids.end(), out.input_ids.begin() + r * out.sequence_length);
    std::fill_n(out.attention_mask.begin() + r * out.sequence_length, ids.size(), 1);
    out.lengths.push_back(static_cast<uint32_t>(ids.size()));
    out.truncated.push_back(truncated_[rows[r]]);
  }
  return out;
}

void EncodePlan::Consume(size_t b, std::span<const float> output, size_t sequence_length,
                         size_t dims, Pooling pooling, bool normalize) {
  const BatchEncoding inputs = Inputs(b);  // validates b
  if (consumed_[b]) {
    throw Error(ErrorCode::kInvalidArgument, "batch " + std::to_string(b) + " was already consumed");
  }
  if (pooling != Pooling::kNone && sequence_length != inputs.sequence_length) {
    throw Error(ErrorCode::kInvalidArgument,
                "output sequence length " + std::to_string(sequence_length) + " differs from the " +
                    "batch's " + std::to_string(inputs.sequence_length));
  }
  const RowMatrixXf pooled = Pool(output, inputs.batch_size, inputs.sequence_length, dims,
                                  inputs.attention_mask, pooling, normalize);
  if (embeddings_.size() == 0) {
    embeddings_.setZero(static_cast<Eigen::Index>(encodings_.size()), static_cast<Eigen::Index>(dims));
  } else if (static_cast<size_t>(embeddings_.cols()) != dims) {
    throw Error(ErrorCode::kInvalidArgument, "batch " + std::to_string(b) + " has " +
                                                 std::to_string(dims) + " dims, earlier batches " +
                                                 std::to_string(embeddings_.cols()));
  }
  const auto& rows = batches_[b];
  for (size_t r = 0; r < rows.size(); ++r) embeddings_.row(rows[r]) = pooled.row(r);
  consumed_[b] = 1;
  ++consumed_count_;
}

const RowMatrixXf& EncodePlan::embeddings() const {
  if (!complete()) {
    throw Error(ErrorCode::kInvalidArgument,
                "embeddings requested after " + std::to_string(consumed_count_) + " of " +
                    std::to_string(batches_.size()) + " batches");
  }
  return embeddings_;
}

std::vector<uint32_t> EncodePlan::token_counts() const {
  std::vector<uint32_t> counts;
  counts.reserve(encodings_.size());
  for (const auto& e : encodings_) counts.push_back(static_cast<uint32_t>(e.size()));
  return counts;
}

}  // namespace localrec
