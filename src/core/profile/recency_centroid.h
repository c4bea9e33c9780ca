// The plain strategy and baseline: the recency-weighted centroid of the post embeddings,
// C = sum_p m_p e_p / sum_p m_p with m_p the post's decayed mass (see decay_clock.h), kept
// incrementally (one multiply-add per post) with the same live/folded split as the keyword store.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace localrec {

class RecencyCentroid {
 public:
  explicit RecencyCentroid(size_t dims) : sum_(dims, 0.0), folded_sum_(dims, 0.0) {}

  void Add(std::span<const float> e, double mass);
  void Fold(std::span<const float> e, double mass);
  // Recompute the live part: Begin resets to the folded part, then Add every live post.
  void BeginRecompute();
  void ScaleMasses(double factor);
  void Clear();

  // The centroid's direction (L2-normalised); zeros when empty.
  std::vector<float> Vector() const;
  double mass() const { return mass_; }

  // Persistence support.
  const std::vector<double>& folded_sum() const { return folded_sum_; }
  double folded_mass() const { return folded_mass_; }
  void RestoreFolded(std::vector<double> folded_sum, double folded_mass);

 private:
  std::vector<double> sum_, folded_sum_;
  double mass_ = 0, folded_mass_ = 0;
};

}  // namespace localrec
