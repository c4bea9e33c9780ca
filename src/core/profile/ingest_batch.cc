#include "core/profile/ingest_batch.h"

#include "core/common/error.h"

namespace localrec {

std::string_view IngestBatch::text(size_t i) const {
  if (i < posts_.size()) return posts_[i].post.text;
  if (i < text_count()) return missing_[i - posts_.size()].text;
  throw Error(ErrorCode::kInvalidArgument, "text " + std::to_string(i) + " does not exist (" +
                                               std::to_string(text_count()) + " texts)");
}

EncodePlan& IngestBatch::Tokenize(const Tokenizer& tokenizer, size_t max_length,
                                  const BatchingOptions& batching) {
  if (plan_ || !given_.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "this batch of posts is already being embedded");
  }
  std::vector<std::string_view> texts;
  texts.reserve(text_count());
  for (size_t i = 0; i < text_count(); ++i) texts.push_back(text(i));
  plan_.emplace(tokenizer, texts, max_length, batching);
  return *plan_;
}

EncodePlan& IngestBatch::encode_plan() {
  if (!plan_) throw Error(ErrorCode::kInvalidArgument, "this batch of posts was not tokenised");
  return *plan_;
}

std::span<const float> IngestBatch::post_unknown_shares() const {
  if (!plan_) throw Error(ErrorCode::kInvalidArgument, "this batch of posts was not tokenised");
  return std::span<const float>(plan_->unknown_shares()).first(posts_.size());
}

void IngestBatch::SetEmbeddings(std::span<const float> rows) {
  if (plan_ || !given_.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "this batch of posts is already being embedded");
  }
  if (rows.size() != text_count() * dims_) {
    throw Error(ErrorCode::kInvalidArgument,
                "embeddings of " + std::to_string(text_count()) + " texts of " +
                    std::to_string(dims_) + " dims need " + std::to_string(text_count() * dims_) +
                    " values (got " + std::to_string(rows.size()) + ")");
  }
  given_.assign(rows.begin(), rows.end());
}

bool IngestBatch::embedded() const {
  return text_count() == 0 || (plan_ ? plan_->complete() : !given_.empty());
}

std::span<const float> IngestBatch::embedding(size_t i) const {
  if (!embedded()) {
    throw Error(ErrorCode::kInvalidArgument, "the posts' texts have not all been embedded yet");
  }
  if (i >= text_count()) throw Error(ErrorCode::kInvalidArgument, "no such text");
  if (!given_.empty()) return std::span<const float>(given_).subspan(i * dims_, dims_);
  const RowMatrixXf& e = plan_->embeddings();
  const auto cols = static_cast<size_t>(e.cols());
  return {e.data() + i * cols, cols};
}

}  // namespace localrec
