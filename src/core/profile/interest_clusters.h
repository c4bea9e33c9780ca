// The paper's step 4 done with embeddings instead of LDA: the user's posts grouped into
// interests by online clustering, so the number of interests comes from the data.
//
// A new post joins the interest whose centroid is most similar (cosine >= join_threshold) or
// starts a new one. After it joins, the interest is merged with any other whose centroid is now
// within merge_threshold; if there are more than max_interests, the closest pair is merged
// (bounded memory: cost per post is O(interests * dims), independent of the history size).
// Each interest keeps
//  - the sum of its members' embeddings (its centroid is the sum's direction),
//  - its importance: the sum of its members' decayed masses at the clock reference (PinnerSage's
//    sum of exp(-lambda (now - t)); the weight shown is mass / total mass),
//  - the counts of its members' keyword candidates, for class-based TF-IDF labels (capped at
//    max_label_terms, least frequent dropped),
// all split into live and folded parts like the KeywordStore (see keyword_store.h).
// Merged-away ids are redirected to the survivor (Resolve). Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/profile/post_store.h"

namespace localrec {

class KeywordStore;

struct InterestOptions {
  double join_threshold = 0.4;     // cosine of a post to an interest's centroid to join it
  double merge_threshold = 0.8;    // cosine between two centroids at which they merge
  uint32_t max_interests = 32;     // more are merged pairwise, closest first
  uint32_t max_label_terms = 256;  // distinct candidate terms counted per interest
};

struct Interest {
  uint32_t id = 0;
  std::vector<double> sum;         // sum of member embeddings (live + folded)
  std::vector<double> folded_sum;  // the folded members' part
  double mass = 0;                 // importance at the clock reference (live + folded)
  double folded_mass = 0;
  uint32_t posts = 0;         // live members
  uint32_t folded_posts = 0;  // members dropped by the memory cap
  double last_active_ms = 0;  // newest member's time (live or folded)
  double folded_last_active_ms = 0;
  std::vector<float> unit;                     // sum / |sum|, cached for assignment
  std::unordered_map<uint32_t, double> terms;  // KeywordStore id -> occurrences in members
};

class InterestClusters {
 public:
  // Throws Error(kInvalidArgument) on thresholds outside [-1, 1] or max_interests < 1.
  InterestClusters(size_t dims, const InterestOptions& options);

  const InterestOptions& options() const { return options_; }
  size_t size() const { return interests_.size(); }
  // Interests in id order.
  const std::map<uint32_t, Interest>& all() const { return interests_; }
  const Interest* Find(uint32_t id) const;

  // Places a live post with unit embedding `e`, mass `mass` and candidate `terms` (their
  // KeywordStore references are taken here). Returns the id of the interest it ended in. With
  // `may_open` false it joins the closest interest whatever the similarity (and opens one only
  // when there is none).
  uint32_t AddPost(std::span<const float> e, double mass, double time_ms,
                   std::span<const TermCount> terms, KeywordStore& store, bool may_open = true);
  // Forgets a removed post's term counts (the masses and sums are recomputed afterwards).
  void RemovePostTerms(uint32_t interest, std::span<const TermCount> terms, KeywordStore& store);
  // The memory cap dropped a post: its contribution becomes folded.
  void FoldPost(uint32_t interest, std::span<const float> e, double mass, double time_ms);

  // Recomputation of the live parts from the stored posts (after a removal): Begin resets each
  // interest to its folded part, AddLive re-adds each live post, Finish drops empty interests and
  // refreshes the centroids.
  void BeginRecompute();
  void AddLive(uint32_t interest, std::span<const float> e, double mass, double time_ms);
  void FinishRecompute(KeywordStore& store);

  void ScaleMasses(double factor);

  // The surviving id of `id` after merges (itself when it was never merged).
  uint32_t Resolve(uint32_t id) const;
  size_t redirects() const { return redirect_.size(); }
  void ClearRedirects() { redirect_.clear(); }

  void Clear(KeywordStore& store);

  // Persistence support.
  uint32_t next_id() const { return next_id_; }
  // Adds a fully specified interest (the owner validates and takes the term references).
  void Restore(Interest interest, uint32_t next_id);
  // The next id alone (a profile whose interests were all removed still has one to keep, so
  // that save, load and save give the same bytes; found by tests/fuzz/fuzz_profile_add_posts).
  void RestoreNextId(uint32_t next_id) { next_id_ = std::max(next_id_, next_id); }

 private:
  void Refresh(Interest& interest);
  // Merges `from` into `into`; returns into's id.
  uint32_t Merge(uint32_t into, uint32_t from, KeywordStore& store);
  void TrimTerms(Interest& interest, KeywordStore& store);

  size_t dims_;
  InterestOptions options_;
  std::map<uint32_t, Interest> interests_;
  std::unordered_map<uint32_t, uint32_t> redirect_;
  uint32_t next_id_ = 1;
};

}  // namespace localrec
