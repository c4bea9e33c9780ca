#include "core/profile/interest_clusters.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/profile/keyword_store.h"
#include "core/profile/vector_math.h"

namespace localrec {

InterestClusters::InterestClusters(size_t dims, const InterestOptions& options)
    : dims_(dims), options_(options) {
  auto in_range = [](double x) { return x >= -1.0 && x <= 1.0; };
  if (!in_range(options.join_threshold) || !in_range(options.merge_threshold)) {
    throw Error(ErrorCode::kInvalidArgument, "interest thresholds (cosines) must be in [-1, 1]");
  }
  if (options.max_interests < 1 || options.max_interests > 4096) {
    throw Error(ErrorCode::kInvalidArgument, "maxInterests must be in 1..4096");
  }
  if (options.max_label_terms < 1 || options.max_label_terms > 1 << 20) {
    throw Error(ErrorCode::kInvalidArgument, "maxLabelTerms must be in 1..1048576");
  }
}

const Interest* InterestClusters::Find(uint32_t id) const {
  auto it = interests_.find(id);
  return it == interests_.end() ? nullptr : &it->second;
}

uint32_t InterestClusters::Resolve(uint32_t id) const {
  for (auto it = redirect_.find(id); it != redirect_.end(); it = redirect_.find(id)) {
    id = it->second;
  }
  return id;
}

void InterestClusters::Refresh(Interest& interest) { interest.unit = Normalized(interest.sum); }

uint32_t InterestClusters::AddPost(std::span<const float> e, double mass, double time_ms,
                                   std::span<const TermCount> terms, KeywordStore& store,
                                   bool may_open) {
  // 1. The most similar interest (ties: the lower id, for determinism).
  uint32_t best = 0;
  float best_sim = -std::numeric_limits<float>::infinity();
  for (const auto& [id, interest] : interests_) {
    const float sim = Dot(e, interest.unit);
    if (sim > best_sim) {
      best_sim = sim;
      best = id;
    }
  }
  uint32_t target;
  if (best != 0 && (best_sim >= options_.join_threshold || !may_open)) {
    target = best;
  } else {
    target = next_id_++;
    Interest fresh;
    fresh.id = target;
    fresh.sum.assign(dims_, 0.0);
    fresh.folded_sum.assign(dims_, 0.0);
    interests_.emplace(target, std::move(fresh));
  }
  Interest& in = interests_.at(target);
  AddScaled(e, 1.0, in.sum);
  in.mass += mass;
  ++in.posts;
  in.last_active_ms =
      in.posts + in.folded_posts == 1 ? time_ms : std::max(in.last_active_ms, time_ms);
  for (const TermCount& t : terms) {
    auto [it, inserted] = in.terms.try_emplace(t.term, 0.0);
    if (inserted) store.AddRef(t.term);
    it->second += t.count;
  }
  TrimTerms(in, store);
  Refresh(in);

  // 2. Merge the interest with others its centroid now sits close to.
  for (bool merged = true; merged;) {
    merged = false;
    const Interest& cur = interests_.at(target);
    for (const auto& [id, other] : interests_) {
      if (id == target) continue;
      if (Dot(cur.unit, other.unit) >= options_.merge_threshold) {
        target = Merge(target, id, store);
        merged = true;
        break;
      }
    }
  }

  // 3. Too many interests: merge the closest pair.
  while (interests_.size() > options_.max_interests) {
    uint32_t a = 0, b = 0;
    float best_pair = -std::numeric_limits<float>::infinity();
    for (auto i = interests_.begin(); i != interests_.end(); ++i) {
      for (auto j = std::next(i); j != interests_.end(); ++j) {
        const float sim = Dot(i->second.unit, j->second.unit);
        if (sim > best_pair) {
          best_pair = sim;
          a = i->first;
          b = j->first;
        }
      }
    }
    const uint32_t survivor = Merge(a, b, store);
    if (target == a || target == b) target = survivor;
  }
  return target;
}

uint32_t InterestClusters::Merge(uint32_t x, uint32_t y, KeywordStore& store) {
  // The bigger interest survives (ties: the older id), so ids stay stable for the user.
  const Interest& ix = interests_.at(x);
  const Interest& iy = interests_.at(y);
  const uint64_t nx = uint64_t{ix.posts} + ix.folded_posts;
  const uint64_t ny = uint64_t{iy.posts} + iy.folded_posts;
  const bool x_wins = nx > ny || (nx == ny && x < y);
  const uint32_t into = x_wins ? x : y;
  const uint32_t from = x_wins ? y : x;
  Interest& dst = interests_.at(into);
  Interest& src = interests_.at(from);
  for (size_t i = 0; i < dims_; ++i) {
    dst.sum[i] += src.sum[i];
    dst.folded_sum[i] += src.folded_sum[i];
  }
  dst.mass += src.mass;
  dst.folded_mass += src.folded_mass;
  dst.posts += src.posts;
  dst.folded_posts += src.folded_posts;
  dst.last_active_ms = std::max(dst.last_active_ms, src.last_active_ms);
  dst.folded_last_active_ms = std::max(dst.folded_last_active_ms, src.folded_last_active_ms);
  for (const auto& [term, count] : src.terms) {
    auto [it, inserted] = dst.terms.try_emplace(term, 0.0);
    if (!inserted) store.Release(term);  // dst already holds a reference
    it->second += count;
  }
  src.terms.clear();
  interests_.erase(from);
  redirect_[from] = into;
  TrimTerms(dst, store);
  Refresh(dst);
  return into;
}

void InterestClusters::TrimTerms(Interest& interest, KeywordStore& store) {
  // Amortised: only when 25 % over the bound, back down to the bound.
  const size_t bound = options_.max_label_terms;
  if (interest.terms.size() <= bound + bound / 4) return;
  std::vector<std::pair<double, uint32_t>> by_count;
  by_count.reserve(interest.terms.size());
  for (const auto& [term, count] : interest.terms) by_count.emplace_back(count, term);
  // Keep the most frequent; ties broken by id for determinism.
  std::sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t i = bound; i < by_count.size(); ++i) {
    interest.terms.erase(by_count[i].second);
    store.Release(by_count[i].second);
  }
}

void InterestClusters::RemovePostTerms(uint32_t interest_id, std::span<const TermCount> terms,
                                       KeywordStore& store) {
  auto it = interests_.find(Resolve(interest_id));
  if (it == interests_.end()) return;
  Interest& in = it->second;
  for (const TermCount& t : terms) {
    auto term = in.terms.find(t.term);
    if (term == in.terms.end()) continue;  // trimmed away earlier
    term->second -= t.count;
    if (term->second <= 0) {
      in.terms.erase(term);
      store.Release(t.term);
    }
  }
}

void InterestClusters::FoldPost(uint32_t interest_id, std::span<const float> e, double mass,
                                double time_ms) {
  Interest& in = interests_.at(Resolve(interest_id));
  AddScaled(e, 1.0, in.folded_sum);
  in.folded_mass += mass;
  if (in.posts > 0) --in.posts;
  ++in.folded_posts;
  in.folded_last_active_ms =
      in.folded_posts == 1 ? time_ms : std::max(in.folded_last_active_ms, time_ms);
}

void InterestClusters::BeginRecompute() {
  for (auto& [id, in] : interests_) {
    in.sum = in.folded_sum;
    in.mass = in.folded_mass;
    in.posts = 0;
    in.last_active_ms = in.folded_last_active_ms;
  }
}

void InterestClusters::AddLive(uint32_t interest_id, std::span<const float> e, double mass,
                               double time_ms) {
  Interest& in = interests_.at(Resolve(interest_id));
  AddScaled(e, 1.0, in.sum);
  in.mass += mass;
  in.last_active_ms =
      (in.posts == 0 && in.folded_posts == 0) ? time_ms : std::max(in.last_active_ms, time_ms);
  ++in.posts;
}

void InterestClusters::FinishRecompute(KeywordStore& store) {
  for (auto it = interests_.begin(); it != interests_.end();) {
    Interest& in = it->second;
    if (in.posts == 0 && in.folded_posts == 0) {
      for (const auto& [term, count] : in.terms) store.Release(term);
      it = interests_.erase(it);
    } else {
      Refresh(in);
      ++it;
    }
  }
}

void InterestClusters::ScaleMasses(double factor) {
  for (auto& [id, in] : interests_) {
    in.mass *= factor;
    in.folded_mass *= factor;
  }
}

void InterestClusters::Clear(KeywordStore& store) {
  for (auto& [id, in] : interests_) {
    for (const auto& [term, count] : in.terms) store.Release(term);
  }
  interests_.clear();
  redirect_.clear();
  next_id_ = 1;
}

void InterestClusters::Restore(Interest interest, uint32_t next_id) {
  Refresh(interest);
  const uint32_t id = interest.id;
  interests_.emplace(id, std::move(interest));
  next_id_ = std::max(next_id_, next_id);
}

}  // namespace localrec
