// The profile's vocabulary of words and phrases (one entry per analysed key) with
//  - the cached embedding of the entry's text, so no candidate is embedded twice: embeddings of
//    entries that are keywords are always kept; the others form an LRU cache of bounded size;
//  - the paper's keyword frequency f_i, time-decayed: kept as a mass at the DecayClock's
//    reference (see decay_clock.h), each post that selects the keyword adding its own mass;
//  - the entry's decayed weight as a word of the posts (each post's word counts L2-normalised,
//    times the post's mass): the "words" lexical query;
//  - the paper's user vector U = sum_i w_i k_i with w_i = f_i / sum_j f_j, maintained as
//    S = sum_i f_i k_i and F = sum_i f_i, so a new post costs O(keywords of the post * dims),
//    whatever the history size. U = S / F (then L2-normalised for cosine ranking).
// Every mass is split into a *live* part (from posts still stored) and a *folded* part (from
// posts dropped by the memory cap, which can no longer be removed). The live part can always be
// recomputed from the posts (RecomputeFromPosts after a removal, avoiding the cancellation of
// subtracting a large mass); the folded part is only ever scaled by a clock rebase.
// Entries are reference-counted by the posts and interests that mention them.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace localrec {

struct KeywordEntry {
  std::string key;               // analysed terms joined by spaces (matching key)
  std::string text;              // surfaces as first seen (display text, what was embedded)
  uint32_t words = 0;            // number of words in key
  std::vector<float> embedding;  // L2-normalised, dims floats; empty when not cached
  double keyword_mass = 0;       // f_i at the clock reference (live + folded)
  double folded_keyword_mass = 0;
  double term_mass = 0;  // decayed word weight in the posts at the reference (live + folded)
  double folded_term_mass = 0;
  uint32_t keyword_posts = 0;  // live posts that selected this entry as a keyword
  uint32_t refs = 0;           // references held by posts' term lists and interests' labels
  uint64_t last_use = 0;       // LRU tick of the embedding cache
  bool in_use = false;         // false: a free slot
};

class KeywordStore {
 public:
  // max_cached_embeddings bounds the embeddings kept for entries that are not keywords;
  // max_keywords bounds the keywords kept only for folded posts (the least frequent go first).
  KeywordStore(size_t dims, size_t max_cached_embeddings, size_t max_keywords);

  size_t dims() const { return dims_; }
  size_t size() const { return live_entries_; }
  size_t capacity_slots() const { return entries_.size(); }

  std::optional<uint32_t> Find(std::string_view key) const;
  const KeywordEntry& at(uint32_t id) const { return entries_[id]; }
  bool HasEmbedding(std::string_view key) const;

  // Caches the embedding of `key` (displayed as `text`), creating the entry if needed. The
  // vector must already be validated and unit length. Counts as a use for the LRU.
  uint32_t PutEmbedding(std::string_view key, std::string_view text, uint32_t words,
                        std::vector<float> embedding);

  // Adds a reference to `key`'s entry (creating it without an embedding if needed).
  uint32_t Acquire(std::string_view key, std::string_view text, uint32_t words);
  void AddRef(uint32_t id) { ++entries_[id].refs; }
  // Drops a reference; frees the entry when nothing needs it any more.
  void Release(uint32_t id);
  // Drops the cached embedding (and with it the entry and its text) of an entry that nothing
  // references any more: no post, no label, no keyword mass. Removing a post calls it for the
  // post's terms, so that its words do not stay in the cache (forget means forget).
  void Forget(uint32_t id);

  // A live post at mass `mass` selected entry `id` as a keyword (its embedding must be cached).
  void AddKeywordMass(uint32_t id, double mass);
  // A live post contributes `mass` to entry `id`'s word weight.
  void AddTermMass(uint32_t id, double mass) { entries_[id].term_mass += mass; }
  // A post is being dropped by the memory cap: its live masses become folded ones.
  void FoldKeyword(uint32_t id, double mass);
  void FoldTerm(uint32_t id, double mass) { entries_[id].folded_term_mass += mass; }

  // Starts a recomputation of the live parts: every mass is reset to its folded part and
  // keyword_posts to 0; the caller then re-adds every live post with AddKeywordMass /
  // AddTermMass, and calls FinishRecompute.
  void BeginRecompute();
  void FinishRecompute();

  // Multiplies every mass and S by `factor` (a clock rebase).
  void ScaleMasses(double factor);

  // The paper's U = S / F, L2-normalised; zeros when there are no keywords.
  std::vector<float> UserVector() const;
  double total_keyword_mass() const { return total_mass_; }

  // Entries ordered by decreasing keyword mass (ties: key order); at most `limit`.
  std::vector<uint32_t> TopKeywords(size_t limit) const;
  // Single-word entries ordered by decreasing term mass; at most `limit`.
  std::vector<uint32_t> TopTerms(size_t limit) const;

  // Applies the memory bounds: evicts least recently used non-keyword embeddings, drops the
  // smallest folded-only keywords beyond max_keywords, and the smallest folded-only terms (words
  // that only dropped posts contained) beyond 4 * max_keywords entries. Amortised: acts only when
  // a bound is exceeded by 25 %.
  void Trim();

  void Clear();

  // Persistence support: appends a fully specified entry (refs and keyword_posts are recomputed
  // by the owner). Throws Error(kCorruptData) on duplicate keys.
  uint32_t RestoreEntry(KeywordEntry entry);
  // Recomputes S and F from the entries (after loading, or to shed accumulated rounding).
  void RecomputeUserVector();

 private:
  uint32_t Intern(std::string_view key, std::string_view text, uint32_t words);
  void MaybeFree(uint32_t id);
  void Touch(uint32_t id);
  void SetKeywordMass(KeywordEntry& e, double mass);
  bool Evictable(const KeywordEntry& e) const {
    return !e.embedding.empty() && e.keyword_mass == 0 && e.keyword_posts == 0;
  }

  size_t dims_;
  size_t max_cached_embeddings_;
  size_t max_keywords_;
  std::vector<KeywordEntry> entries_;
  std::vector<uint32_t> free_;
  // Heterogeneous lookup: finding a key by string_view allocates nothing.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>> index_;
  size_t live_entries_ = 0;
  uint64_t tick_ = 0;
  // LRU of the embedding cache as a queue of (entry, tick of that use): a popped pair is stale
  // when the entry was used again later. Amortised O(1) per use; compacted when it grows.
  std::deque<std::pair<uint32_t, uint64_t>> lru_;
  size_t cached_embeddings_ = 0;      // entries holding an embedding
  size_t keywords_ = 0;               // entries with keyword_mass > 0
  size_t keyword_trim_at_ = 0;        // Trim prunes folded-only keywords above this count
  size_t entry_trim_at_ = 0;          // Trim prunes folded-only terms above this many entries
  std::vector<double> weighted_sum_;  // S = sum_i f_i k_i
  double total_mass_ = 0;             // F = sum_i f_i
};

}  // namespace localrec
