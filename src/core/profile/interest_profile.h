// InterestProfile: what a user is interested in, built on the device from the user's own posts
// (the method of "dynamic embedding of user interests", docs/profile.md, made incremental):
//   posts (embedded once, by the caller's model) -> keyword candidates (shared analyser) ->
//   KeyBERT keywords with decayed frequencies f_i -> the user vector U = sum_i w_i k_i;
//   posts -> interests (online clusters with decayed importance and c-TF-IDF labels);
//   posts -> the recency-weighted centroid.
// The profile never runs the encoder. Adding posts is three steps so that one model call embeds
// a batch of posts together with their not-yet-cached keyword candidates (ingest_batch.h):
//   1. PrepareAdd(posts): checks the posts and extracts their candidates into an IngestBatch;
//   2. the batch's texts are embedded (the core's tokenizer and the model, or the caller);
//   3. CommitAdd(batch): validated as a whole, then applied (nothing changes when any input is
//      bad).
// Cost of adding a post: O(candidates * (dims + keywords_per_post * dims) + interests * dims),
// independent of the number of posts already stored. Removing or replacing a post recomputes the
// live sums from the stored posts, O(posts * dims).
// Memory is bounded: at most max_posts posts are kept; older ones are folded into the
// aggregates (they keep counting, decayed, but can no longer be removed one by one); the
// embedding cache, keywords of folded posts and interests are capped too (see each class).
// Times are ms since the Unix epoch. Not thread-safe: one profile per thread (or worker).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/common/enum_names.h"
#include "core/profile/decay_clock.h"
#include "core/profile/ingest_batch.h"
#include "core/profile/interest_clusters.h"
#include "core/profile/keyword_extractor.h"
#include "core/profile/keyword_store.h"
#include "core/profile/post_store.h"
#include "core/profile/recency_centroid.h"

namespace localrec {

struct ProfileOptions {
  double half_life_days = 30;             // decay of keyword frequencies and interest importance
  KeywordExtractorOptions keywords;       // candidates and KeyBERT/MMR selection
  InterestOptions interests;              // online clustering
  uint32_t max_posts = 10000;             // posts kept individually (older ones are folded)
  uint32_t max_cached_embeddings = 4096;  // embeddings of candidates that are not keywords
  uint32_t max_keywords = 10000;          // keywords that only folded posts still hold
};

struct KeywordView {
  std::string text;
  std::string key;
  double weight = 0;     // w_i = f_i / sum_j f_j
  double frequency = 0;  // f_i: decayed number of posts with this keyword, at `now`
};

struct LabelView {
  std::string text;
  double weight = 0;
};

struct InterestView {
  uint32_t id = 0;
  double weight = 0;                  // importance / total importance (sums to 1 over interests)
  double importance = 0;              // decayed number of posts at `now`
  std::vector<float> vector;          // the centroid's direction (unit length)
  std::vector<LabelView> keywords;    // c-TF-IDF label, best first
  std::vector<std::string> post_ids;  // live members, newest first
  std::string representative;         // the live member closest to the centroid (medoid stand-in)
  uint32_t posts = 0;                 // live members
  uint32_t folded_posts = 0;          // members folded away by the memory cap
  double last_active_ms = 0;          // newest member's time
};

enum class Strategy { kKeywords, kCentroid, kInterests, kLexical, kHybrid };
inline constexpr EnumName<Strategy> kStrategyNames[] = {{"keywords", Strategy::kKeywords},
                                                        {"centroid", Strategy::kCentroid},
                                                        {"interests", Strategy::kInterests},
                                                        {"lexical", Strategy::kLexical},
                                                        {"hybrid", Strategy::kHybrid}};
// A name of kStrategyNames; throws kInvalidArgument.
Strategy ParseStrategy(std::string_view name);
const char* StrategyName(Strategy strategy);

struct TermWeight {
  std::string term;  // a keyword's key: analysed terms separated by spaces (search them as
                     // WeightedTerm{analyzed = true}, never re-analysed)
  double weight = 0;
};

// Where the lexical query's terms come from: the KeyBERT keywords weighted by w_i (the paper's
// keywords), every word of the posts weighted by its decayed count, or both lists, each
// normalised to total weight 1/2.
enum class TermSource { kKeywords, kWords, kBoth };
inline constexpr EnumName<TermSource> kTermSourceNames[] = {{"keywords", TermSource::kKeywords},
                                                            {"words", TermSource::kWords},
                                                            {"both", TermSource::kBoth}};
// A name of kTermSourceNames; throws kInvalidArgument.
TermSource ParseTermSource(std::string_view name);

struct QueryOptions {
  size_t max_terms = 64;             // weighted query terms for the lexical part (per source)
  size_t max_vectors = 16;           // interests used as query vectors (heaviest first)
  double interest_weight_power = 0;  // per-interest query weight = (w / w_max)^power
  TermSource term_source = TermSource::kWords;  // the defaults are rank()'s (docs/profile.md)
  double lexical_weight = 0.7;                  // for "hybrid"
};

// What to hand the catalogue's search for one strategy: dense query vectors with their weights
// and the interest each stands for (several vectors combine by their weighted maximum), the
// weighted keyword query, and the share of the lexical part in the fusion
// (src/core/recommend/recommend.h runs the search).
struct RankQuery {
  std::vector<std::vector<float>> vectors;
  std::vector<double> weights;
  std::vector<uint32_t> interest_ids;  // parallel to vectors; 0 when the vector is no interest
  std::vector<TermWeight> terms;
  double lexical_weight = 0;  // fusion weight of the BM25 part (0 = dense only)
};

enum class FeedbackKind : uint8_t { kLike = 1, kDismiss = 2 };

class InterestProfile {
 public:
  static constexpr uint32_t kFormatVersion = 1;
  static constexpr size_t kMaxFingerprintBytes = 256;

  // `model_fingerprint` names the model whose embeddings this profile holds (persisted; loading
  // with another model is refused). Throws Error(kInvalidArgument) on bad options or dims.
  InterestProfile(size_t dims, std::string model_fingerprint, const ProfileOptions& options);

  size_t dims() const { return dims_; }
  const std::string& model_fingerprint() const { return fingerprint_; }
  const ProfileOptions& options() const { return options_; }
  size_t post_count() const { return posts_.size(); }
  size_t folded_post_count() const { return folded_posts_; }
  bool HasPost(std::string_view id) const { return posts_.Find(id) != nullptr; }
  const Post* FindPost(std::string_view id) const { return posts_.Find(id); }
  // The keyword entries posts refer to (inspection and tests).
  const KeywordStore& keyword_store() const { return keywords_; }

  // Adding posts, step 1: checks every post (id, UTF-8 text, a time at most kMaxFutureMs, a
  // day, after `now_ms`, default the system clock; kInvalidArgument or kInvalidUtf8 otherwise),
  // extracts each post's keyword candidates and lists those without a cached embedding as texts
  // to embed (ingest_batch.h). Changes nothing.
  IngestBatch PrepareAdd(std::vector<PostText> posts,
                         std::optional<double> now_ms = std::nullopt) const;
  // Step 3: adds the batch's posts in order (an existing id is replaced in place), except those
  // whose id is in `skip`. Throws Error(kInvalidArgument) before changing anything when the batch
  // is not fully embedded, is of other dims, or an embedding is not a usable vector. The batch
  // is not changed and may be committed again (to this or another profile of its dims).
  void CommitAdd(const IngestBatch& batch, std::span<const std::string> skip = {});
  // Removes a post; false when no live post has that id (unknown, or folded by the cap).
  bool RemovePost(std::string_view id);

  // The paper's U (unit length); zeros when empty.
  std::vector<float> KeywordVector() const { return keywords_.UserVector(); }
  // The recency-weighted post centroid (unit length); zeros when empty.
  std::vector<float> CentroidVector() const { return centroid_.Vector(); }
  // Keywords by decreasing weight. `now_ms` only scales `frequency` (weights do not depend on
  // it, see decay_clock.h).
  std::vector<KeywordView> Keywords(size_t limit, double now_ms) const;
  // Importances and frequencies are decayed to `now_ms`; a `now_ms` before the newest post
  // counts as that post's time (so they stay finite: at most the number of posts).
  // Interests by decreasing weight, each labelled with up to `label_terms` c-TF-IDF terms.
  // `with_members` false skips post_ids and representative (O(interests) instead of O(posts)).
  std::vector<InterestView> Interests(size_t label_terms, double now_ms,
                                      bool with_members = true) const;
  // The ranking request for `strategy`.
  RankQuery Query(Strategy strategy, const QueryOptions& options) const;
  // The profile's keywords that occur in `text` (all their words), by decreasing weight: the
  // "because you wrote about ..." of a recommendation. At most `limit`.
  std::vector<KeywordView> MatchKeywords(std::string_view text, size_t limit) const;

  // Feedback on recommended items (kept with the profile; dismissed and liked items are
  // excluded from ranking). Liking an item's content is done by adding it as a post.
  // `time_ms` may be at most a day after `now_ms` (default: the system clock).
  void Feedback(std::string_view item_id, FeedbackKind kind, double time_ms,
                std::optional<double> now_ms = std::nullopt);
  bool ForgetFeedback(std::string_view item_id);
  std::vector<std::pair<std::string, FeedbackKind>> FeedbackItems() const;

  // Forgets everything (posts, keywords, interests, feedback); options and model stay.
  void Clear();

  // Versioned, checksummed binary form (docs/profile.md): options, clock, posts, keywords with
  // their embeddings, interests' folded parts and labels' counts, feedback. Cached embeddings of
  // non-keywords are not saved (they are a cache).
  std::string ToBytes() const;
  // Parses and validates `bytes` completely before building anything: Error(kCorruptData) for
  // anything malformed (bad magic, truncation, checksum, NaN, dangling references, ...),
  // Error(kUnsupported) for a newer format version, Error(kModelMismatch) when the profile was
  // built with another model than `model_fingerprint` / `dims`.
  static std::unique_ptr<InterestProfile> FromBytes(std::string_view bytes,
                                                    std::string_view model_fingerprint,
                                                    size_t dims);
  // Replaces this profile's content with `bytes` (same checks); on error nothing changes.
  void Load(std::string_view bytes);

 private:
  void Fold(const Post& post);
  // Removes a live post; returns its term ids (released; the caller may Forget them).
  std::vector<uint32_t> RemoveStored(std::string_view id);
  void RecomputeAggregates();
  // After a removal: moves the clock's reference back to the newest post still stored when it
  // lay ahead of it (rescaling the folded parts), so masses never underflow to 0 for good.
  void RecomputeReference();
  void RebaseIfNeeded(double time_ms);
  // The factor turning stored masses into weights at `now_ms` (see Interests()).
  double DecayFactor(double now_ms) const;
  void CompactRedirects();

  size_t dims_;
  std::string fingerprint_;
  ProfileOptions options_;
  DecayClock clock_;
  KeywordExtractor extractor_;
  KeywordStore keywords_;
  InterestClusters interests_;
  RecencyCentroid centroid_;
  PostStore posts_;
  size_t folded_posts_ = 0;
  std::unordered_map<std::string, std::pair<FeedbackKind, double>> feedback_;
};

}  // namespace localrec
