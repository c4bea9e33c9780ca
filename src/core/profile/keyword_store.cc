#include "core/profile/keyword_store.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/profile/vector_math.h"

namespace localrec {

KeywordStore::KeywordStore(size_t dims, size_t max_cached_embeddings, size_t max_keywords)
    : dims_(dims),
      max_cached_embeddings_(max_cached_embeddings),
      max_keywords_(max_keywords),
      keyword_trim_at_(max_keywords + max_keywords / 4),
      entry_trim_at_(5 * max_keywords),
      weighted_sum_(dims, 0.0) {}

std::optional<uint32_t> KeywordStore::Find(std::string_view key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool KeywordStore::HasEmbedding(std::string_view key) const {
  auto id = Find(key);
  return id && !entries_[*id].embedding.empty();
}

uint32_t KeywordStore::Intern(std::string_view key, std::string_view text, uint32_t words) {
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  KeywordEntry& e = entries_[id];
  e = KeywordEntry{};
  e.key = std::string(key);
  e.text = std::string(text);
  e.words = words;
  e.in_use = true;
  index_.emplace(e.key, id);
  ++live_entries_;
  return id;
}

void KeywordStore::Touch(uint32_t id) {
  KeywordEntry& e = entries_[id];
  e.last_use = ++tick_;
  lru_.emplace_back(id, e.last_use);
  if (lru_.size() > 4 * (cached_embeddings_ + 64)) {
    // Drop the stale pairs (superseded by a later use, or of entries without an embedding).
    std::deque<std::pair<uint32_t, uint64_t>> kept;
    for (const auto& [i, t] : lru_) {
      if (entries_[i].in_use && entries_[i].last_use == t && !entries_[i].embedding.empty()) {
        kept.emplace_back(i, t);
      }
    }
    lru_.swap(kept);
  }
}

uint32_t KeywordStore::PutEmbedding(std::string_view key, std::string_view text, uint32_t words,
                                    std::vector<float> embedding) {
  const uint32_t id = Intern(key, text, words);
  KeywordEntry& e = entries_[id];
  if (e.embedding.empty()) ++cached_embeddings_;
  e.embedding = std::move(embedding);
  Touch(id);
  return id;
}

uint32_t KeywordStore::Acquire(std::string_view key, std::string_view text, uint32_t words) {
  const uint32_t id = Intern(key, text, words);
  ++entries_[id].refs;
  if (!entries_[id].embedding.empty()) Touch(id);
  return id;
}

void KeywordStore::Release(uint32_t id) {
  KeywordEntry& e = entries_[id];
  if (e.refs > 0) --e.refs;
  MaybeFree(id);
}

void KeywordStore::Forget(uint32_t id) {
  if (id >= entries_.size()) return;
  KeywordEntry& e = entries_[id];
  if (!e.in_use || e.refs > 0 || e.keyword_mass > 0 || e.keyword_posts > 0 ||
      e.folded_term_mass > 0 || e.folded_keyword_mass > 0) {
    return;
  }
  if (!e.embedding.empty()) {
    std::vector<float>().swap(e.embedding);
    --cached_embeddings_;
  }
  MaybeFree(id);
}

void KeywordStore::MaybeFree(uint32_t id) {
  KeywordEntry& e = entries_[id];
  if (!e.in_use || e.refs > 0 || e.keyword_mass > 0 || e.keyword_posts > 0 ||
      e.folded_term_mass > 0 || !e.embedding.empty()) {
    return;
  }
  index_.erase(e.key);
  e = KeywordEntry{};
  free_.push_back(id);
  --live_entries_;
}

void KeywordStore::SetKeywordMass(KeywordEntry& e, double mass) {
  const bool was = e.keyword_mass > 0;
  e.keyword_mass = mass;
  const bool is = e.keyword_mass > 0;
  if (was != is) keywords_ += is ? 1 : static_cast<size_t>(-1);
}

void KeywordStore::AddKeywordMass(uint32_t id, double mass) {
  KeywordEntry& e = entries_[id];
  if (e.embedding.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "keyword '" + e.text + "' has no embedding");
  }
  SetKeywordMass(e, e.keyword_mass + mass);
  ++e.keyword_posts;
  AddScaled(e.embedding, mass, weighted_sum_);
  total_mass_ += mass;
}

void KeywordStore::FoldKeyword(uint32_t id, double mass) {
  KeywordEntry& e = entries_[id];
  e.folded_keyword_mass += mass;
  if (e.keyword_posts > 0) --e.keyword_posts;
}

void KeywordStore::BeginRecompute() {
  for (auto& e : entries_) {
    if (!e.in_use) continue;
    SetKeywordMass(e, e.folded_keyword_mass);
    e.term_mass = e.folded_term_mass;
    e.keyword_posts = 0;
  }
}

void KeywordStore::FinishRecompute() {
  // AddKeywordMass counted keyword_posts and accumulated S incrementally on top of the old S;
  // start S over from the recomputed masses instead.
  RecomputeUserVector();
  for (uint32_t id = 0; id < entries_.size(); ++id) MaybeFree(id);
}

void KeywordStore::ScaleMasses(double factor) {
  for (auto& e : entries_) {
    if (!e.in_use) continue;
    SetKeywordMass(e, e.keyword_mass * factor);
    e.folded_keyword_mass *= factor;
    e.term_mass *= factor;
    e.folded_term_mass *= factor;
  }
  for (double& x : weighted_sum_) x *= factor;
  total_mass_ *= factor;
}

void KeywordStore::RecomputeUserVector() {
  std::fill(weighted_sum_.begin(), weighted_sum_.end(), 0.0);
  total_mass_ = 0;
  for (const auto& e : entries_) {
    if (!e.in_use || !(e.keyword_mass > 0)) continue;
    AddScaled(e.embedding, e.keyword_mass, weighted_sum_);
    total_mass_ += e.keyword_mass;
  }
}

std::vector<float> KeywordStore::UserVector() const {
  // U = S / F; the positive factor 1/F does not change the direction, so normalising S is U's
  // unit vector.
  return Normalized(weighted_sum_);
}

std::vector<uint32_t> KeywordStore::TopKeywords(size_t limit) const {
  std::vector<uint32_t> ids;
  for (uint32_t id = 0; id < entries_.size(); ++id) {
    if (entries_[id].in_use && entries_[id].keyword_mass > 0) ids.push_back(id);
  }
  auto better = [&](uint32_t a, uint32_t b) {
    if (entries_[a].keyword_mass != entries_[b].keyword_mass) {
      return entries_[a].keyword_mass > entries_[b].keyword_mass;
    }
    return entries_[a].key < entries_[b].key;
  };
  const size_t n = std::min(limit, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(), better);
  ids.resize(n);
  return ids;
}

std::vector<uint32_t> KeywordStore::TopTerms(size_t limit) const {
  std::vector<uint32_t> ids;
  for (uint32_t id = 0; id < entries_.size(); ++id) {
    const auto& e = entries_[id];
    if (e.in_use && e.words == 1 && e.term_mass > 0) ids.push_back(id);
  }
  auto better = [&](uint32_t a, uint32_t b) {
    if (entries_[a].term_mass != entries_[b].term_mass) {
      return entries_[a].term_mass > entries_[b].term_mass;
    }
    return entries_[a].key < entries_[b].key;
  };
  const size_t n = std::min(limit, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(), better);
  ids.resize(n);
  return ids;
}

void KeywordStore::Trim() {
  // 1. The embedding cache: evict least recently used embeddings of non-keywords.
  const size_t keyword_embeddings = keywords_;
  const size_t evictable =
      cached_embeddings_ > keyword_embeddings ? cached_embeddings_ - keyword_embeddings : 0;
  if (evictable > max_cached_embeddings_ + max_cached_embeddings_ / 4) {
    size_t to_evict = evictable - max_cached_embeddings_;
    while (to_evict > 0 && !lru_.empty()) {
      const auto [id, t] = lru_.front();
      lru_.pop_front();
      KeywordEntry& e = entries_[id];
      if (!e.in_use || e.last_use != t || !Evictable(e)) continue;
      e.embedding.clear();
      e.embedding.shrink_to_fit();
      --cached_embeddings_;
      --to_evict;
      MaybeFree(id);
    }
  }
  // 2. Keywords that only folded posts still hold: keep the max_keywords_ heaviest.
  if (keywords_ > keyword_trim_at_) {
    std::vector<uint32_t> folded_only;
    for (uint32_t id = 0; id < entries_.size(); ++id) {
      const auto& e = entries_[id];
      if (e.in_use && e.keyword_mass > 0 && e.keyword_posts == 0) folded_only.push_back(id);
    }
    std::sort(folded_only.begin(), folded_only.end(), [&](uint32_t a, uint32_t b) {
      if (entries_[a].keyword_mass != entries_[b].keyword_mass) {
        return entries_[a].keyword_mass < entries_[b].keyword_mass;
      }
      return entries_[a].key < entries_[b].key;
    });
    size_t excess = keywords_ - max_keywords_;
    for (uint32_t id : folded_only) {
      if (excess == 0) break;
      KeywordEntry& e = entries_[id];
      SetKeywordMass(e, 0);
      e.folded_keyword_mass = 0;
      --excess;
      Touch(id);  // its embedding joins the LRU cache like any other candidate's
    }
    RecomputeUserVector();
    keyword_trim_at_ = std::max(keywords_, max_keywords_);
    keyword_trim_at_ += keyword_trim_at_ / 4;
  }
  // 3. Words that only folded posts contained (kept for the lexical query).
  if (live_entries_ > entry_trim_at_) {
    std::vector<uint32_t> folded_only;
    for (uint32_t id = 0; id < entries_.size(); ++id) {
      const auto& e = entries_[id];
      if (e.in_use && e.refs == 0 && e.keyword_mass == 0 && e.keyword_posts == 0 &&
          e.embedding.empty()) {
        folded_only.push_back(id);
      }
    }
    std::sort(folded_only.begin(), folded_only.end(), [&](uint32_t a, uint32_t b) {
      if (entries_[a].term_mass != entries_[b].term_mass) {
        return entries_[a].term_mass < entries_[b].term_mass;
      }
      return entries_[a].key < entries_[b].key;
    });
    const size_t keep = 4 * max_keywords_;
    for (size_t i = 0; i + keep < folded_only.size(); ++i) {
      KeywordEntry& e = entries_[folded_only[i]];
      e.term_mass = e.folded_term_mass = 0;
      MaybeFree(folded_only[i]);
    }
    entry_trim_at_ = std::max(live_entries_, 4 * max_keywords_);
    entry_trim_at_ += entry_trim_at_ / 4;
  }
}

void KeywordStore::Clear() {
  // Swapped, not cleared: the buffer (short texts live inside the entries) goes back to the
  // allocator, which zeroes freed memory in the wasm build (src/wasm/zero_on_free.cc).
  std::vector<KeywordEntry>().swap(entries_);
  free_.clear();
  index_.clear();
  lru_.clear();
  live_entries_ = 0;
  tick_ = 0;
  cached_embeddings_ = 0;
  keywords_ = 0;
  keyword_trim_at_ = max_keywords_ + max_keywords_ / 4;
  entry_trim_at_ = 5 * max_keywords_;
  std::fill(weighted_sum_.begin(), weighted_sum_.end(), 0.0);
  total_mass_ = 0;
}

uint32_t KeywordStore::RestoreEntry(KeywordEntry entry) {
  if (index_.count(entry.key)) {
    throw Error(ErrorCode::kCorruptData, "profile lists the keyword '" + entry.key + "' twice");
  }
  const bool has_embedding = !entry.embedding.empty();
  const double mass = entry.keyword_mass;
  entry.keyword_mass = 0;
  entry.refs = 0;
  entry.keyword_posts = 0;
  const uint32_t id = Intern(entry.key, entry.text, entry.words);
  KeywordEntry& e = entries_[id];
  e.embedding = std::move(entry.embedding);
  e.folded_keyword_mass = entry.folded_keyword_mass;
  e.term_mass = entry.term_mass;
  e.folded_term_mass = entry.folded_term_mass;
  SetKeywordMass(e, mass);
  if (has_embedding) {
    ++cached_embeddings_;
    Touch(id);
  }
  return id;
}

}  // namespace localrec
