// A batch of posts on its way into an InterestProfile, between the profile's two steps:
//   1. InterestProfile::PrepareAdd(posts) checks the posts, extracts each one's keyword
//      candidates (once) and makes this batch: the texts to embed are the posts' texts, then the
//      candidates that have no cached embedding (each once);
//   2. the texts are embedded, either by the core's own tokenizer and the model (Tokenize, then
//      the caller hands each model batch's output to the EncodePlan: the vectors never leave the
//      core) or by the caller (SetEmbeddings, for a model the core cannot tokenise for);
//   3. InterestProfile::CommitAdd(batch) adds the posts.
// The batch also keeps a copy of the cached embeddings its candidates use, so that whatever the
// profile does between steps 1 and 3 (a removed post taking its words out of the cache) the batch
// stays complete: committing it never needs the model again. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/encode/encode_plan.h"
#include "core/profile/keyword_extractor.h"

namespace localrec {

struct PostText {
  std::string id;
  std::string text;
  double time_ms = 0;
};

class IngestBatch {
 public:
  size_t post_count() const { return posts_.size(); }
  size_t dims() const { return dims_; }
  const PostText& post(size_t i) const { return posts_[i].post; }

  // The texts to embed, in this order: the posts' texts (a text given twice is embedded twice,
  // as the model would be asked), then the missing candidates' texts.
  size_t text_count() const { return posts_.size() + missing_.size(); }
  std::string_view text(size_t i) const;

  // Step 2, the core's way: tokenises every text into an EncodePlan (the same plan
  // EncodePlan(tokenizer, texts, max_length, batching) makes, so the vectors are those the model
  // gives these texts in one embed call). The caller runs the model on each of the plan's batches
  // and hands the output to the plan's Consume. Throws Error(kInvalidArgument) when called twice.
  EncodePlan& Tokenize(const Tokenizer& tokenizer, size_t max_length,
                       const BatchingOptions& batching);
  // The plan Tokenize made; throws Error(kInvalidArgument) before.
  EncodePlan& encode_plan();
  // Per post, the share of its text the tokenizer has no pieces for (EncodePlan's
  // unknown_shares); throws Error(kInvalidArgument) before Tokenize.
  std::span<const float> post_unknown_shares() const;

  // Step 2, the caller's way: the embeddings of text(0..text_count()), row after row
  // (text_count() x dims floats). Checked (finite, not zero) when committed.
  void SetEmbeddings(std::span<const float> rows);

  // True once every text has its embedding (from the plan, complete, or SetEmbeddings).
  bool embedded() const;
  // The embedding of text(i) as given (not normalised); throws Error(kInvalidArgument) unless
  // embedded().
  std::span<const float> embedding(size_t i) const;

 private:
  friend class InterestProfile;
  struct Post {
    PostText post;
    std::vector<KeywordCandidate> candidates;
  };
  struct Held {  // a candidate's embedding the profile had cached at PrepareAdd
    std::string key;
    std::string text;
    uint32_t words = 0;
    std::vector<float> embedding;
  };

  size_t dims_ = 0;
  std::vector<Post> posts_;
  std::vector<KeywordCandidate> missing_;  // rows post_count().. of the texts
  std::vector<Held> held_;
  std::optional<EncodePlan> plan_;
  std::vector<float> given_;  // SetEmbeddings
};

}  // namespace localrec
