// Small dense-vector helpers of the profile (Eigen underneath). Vectors are spans of floats;
// mass-weighted sums are kept in double so that long incremental histories do not drift.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace localrec {

float Dot(std::span<const float> a, std::span<const float> b);
double Norm(std::span<const double> v);

// out += scale * v (v float, out double); sizes must match.
void AddScaled(std::span<const float> v, double scale, std::span<double> out);

// v / |v| as floats; all zeros when |v| is 0 (an empty profile has no direction).
std::vector<float> Normalized(std::span<const double> v);

// Validates an embedding handed in from outside: `dims` finite floats with a non-zero norm.
// Returns it L2-normalised (the model contract says it already is; this keeps the maths honest
// when a caller's model does not). Throws Error(kInvalidArgument) naming `what`.
std::vector<float> CheckedUnitVector(std::span<const float> v, size_t dims, const char* what);

}  // namespace localrec
