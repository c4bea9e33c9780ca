#include "core/profile/vector_math.h"

#include <Eigen/Core>
#include <cmath>
#include <string>

#include "core/common/error.h"

namespace localrec {

namespace {
using ConstFloatMap = Eigen::Map<const Eigen::VectorXf>;
}  // namespace

float Dot(std::span<const float> a, std::span<const float> b) {
  return ConstFloatMap(a.data(), static_cast<Eigen::Index>(a.size()))
      .dot(ConstFloatMap(b.data(), static_cast<Eigen::Index>(b.size())));
}

double Norm(std::span<const double> v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())).norm();
}

void AddScaled(std::span<const float> v, double scale, std::span<double> out) {
  Eigen::Map<Eigen::VectorXd>(out.data(), static_cast<Eigen::Index>(out.size())) +=
      scale * ConstFloatMap(v.data(), static_cast<Eigen::Index>(v.size())).cast<double>();
}

std::vector<float> Normalized(std::span<const double> v) {
  std::vector<float> out(v.size(), 0.0f);
  const double norm = Norm(v);
  if (!(norm > 0) || !std::isfinite(norm)) return out;
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i] / norm);
  return out;
}

std::vector<float> CheckedUnitVector(std::span<const float> v, size_t dims, const char* what) {
  if (v.size() != dims) {
    throw Error(ErrorCode::kInvalidArgument, std::string(what) + " has " +
                                                 std::to_string(v.size()) + " values, expected " +
                                                 std::to_string(dims));
  }
  double sum = 0;
  for (float x : v) {
    if (!std::isfinite(x)) {
      throw Error(ErrorCode::kInvalidArgument, std::string(what) + " contains NaN or Infinity");
    }
    sum += static_cast<double>(x) * x;
  }
  if (!(sum > 0)) throw Error(ErrorCode::kInvalidArgument, std::string(what) + " is all zeros");
  const double inv = 1.0 / std::sqrt(sum);
  std::vector<float> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i] * inv);
  return out;
}

}  // namespace localrec
