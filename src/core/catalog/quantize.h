// Symmetric per-vector int8 quantisation shared by the catalogue writer (item vectors) and the
// ranker (query vectors): q = round(v / s) with s = max|v| / 127, so q is in [-127, 127] and
// v ≈ q * s with an error of at most s / 2 per component. -128 is never produced.
#pragma once

#include <cstdint>
#include <span>

namespace localrec {

// Writes v.size() int8 values to out (out.size() >= v.size(); the rest is zero-filled) and
// returns the scale (0 for an all-zero vector). `v` must be finite.
float QuantizeInt8(std::span<const float> v, std::span<int8_t> out);

}  // namespace localrec
