// The user's posts as the profile keeps them: id, time, the embedding computed once when the
// post arrived (never recomputed), the keyword-store entries it contains and those KeyBERT chose
// for it, and the interest it belongs to. The text itself is not kept: nothing downstream needs
// it, and a stored profile then holds no raw text. Ordered by time for the memory cap (the
// oldest post is the one folded away). Not thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace localrec {

struct TermCount {
  uint32_t term = 0;   // KeywordStore entry id
  uint32_t count = 0;  // occurrences in the post
};

struct Post {
  std::string id;                        // caller's id, 1..kMaxIdBytes bytes of UTF-8
  double time_ms = 0;                    // ms since the Unix epoch
  std::vector<float> embedding;          // L2-normalised, dims floats
  std::vector<TermCount> terms;          // keyword candidates of the post (words and phrases)
  std::vector<uint32_t> keywords;        // entries chosen as the post's keywords (KeyBERT + MMR)
  std::vector<float> keyword_relevance;  // cosine of each keyword to the post
  uint32_t interest = 0;                 // InterestClusters id (resolved through merges)
};

class PostStore {
 public:
  static constexpr size_t kMaxIdBytes = 256;

  size_t size() const { return posts_.size(); }
  bool empty() const { return posts_.empty(); }

  const Post* Find(std::string_view id) const;
  Post* FindMutable(std::string_view id);
  // Inserts a post whose id is not present (the caller removes an old version first).
  Post& Insert(Post post);
  // Removes and returns the post; the id must be present.
  Post Erase(std::string_view id);
  // The oldest post (smallest time; ties by id). The store must not be empty.
  const Post& Oldest() const;
  double NewestTime() const;

  // Visits posts in (time, id) order: deterministic for persistence and tests.
  template <typename Fn>
  void ForEachByTime(Fn&& fn) const {
    for (const auto& [time, id] : by_time_) fn(posts_.at(id));
  }
  // Visits posts in no particular order (cheapest).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& [id, post] : posts_) fn(post);
  }
  template <typename Fn>
  void ForEachMutable(Fn&& fn) {
    for (auto& [id, post] : posts_) fn(post);
  }

  void Clear();

 private:
  std::unordered_map<std::string, Post> posts_;
  std::set<std::pair<double, std::string>> by_time_;
};

// Throws Error(kInvalidArgument) unless `id` is 1..kMaxIdBytes bytes of valid UTF-8 without
// control characters (U+0000-U+001F, U+007F): ids are printable, so lists of them can be joined
// with a line break.
void CheckPostId(std::string_view id);

}  // namespace localrec
