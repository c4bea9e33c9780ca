#include "core/profile/recency_centroid.h"

#include <algorithm>

#include "core/profile/vector_math.h"

namespace localrec {

void RecencyCentroid::Add(std::span<const float> e, double mass) {
  AddScaled(e, mass, sum_);
  mass_ += mass;
}

void RecencyCentroid::Fold(std::span<const float> e, double mass) {
  AddScaled(e, mass, folded_sum_);
  folded_mass_ += mass;
}

void RecencyCentroid::BeginRecompute() {
  sum_ = folded_sum_;
  mass_ = folded_mass_;
}

void RecencyCentroid::ScaleMasses(double factor) {
  for (double& x : sum_) x *= factor;
  for (double& x : folded_sum_) x *= factor;
  mass_ *= factor;
  folded_mass_ *= factor;
}

void RecencyCentroid::Clear() {
  std::fill(sum_.begin(), sum_.end(), 0.0);
  std::fill(folded_sum_.begin(), folded_sum_.end(), 0.0);
  mass_ = folded_mass_ = 0;
}

std::vector<float> RecencyCentroid::Vector() const { return Normalized(sum_); }

void RecencyCentroid::RestoreFolded(std::vector<double> folded_sum, double folded_mass) {
  folded_sum_ = std::move(folded_sum);
  folded_mass_ = folded_mass;
  sum_ = folded_sum_;
  mass_ = folded_mass_;
}

}  // namespace localrec
