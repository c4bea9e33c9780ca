#include "core/catalog/quantize.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace localrec {

namespace {

// Components tried by the shaping pass: the ones closest to a rounding boundary, where rounding
// the other way costs the least extra error. About 7 flips cancel a typical error along the
// direction (each moves it by step * |direction_d| ~ step / sqrt(dims)); 64 leave choice.
constexpr size_t kShapingCandidates = 64;

float MaxAbs(std::span<const float> v) {
  float max_abs = 0.0f;
  for (float x : v) max_abs = std::max(max_abs, std::fabs(x));
  return max_abs;
}

// floor(a / 4) for any sign.
int FloorDiv4(int a) { return a >= 0 ? a / 4 : -((-a + 3) / 4); }

}  // namespace

float QuantizeInt8(std::span<const float> v, std::span<int8_t> out) {
  const float max_abs = MaxAbs(v);
  std::fill(out.begin(), out.end(), int8_t{0});
  if (max_abs == 0.0f) return 0.0f;
  const float scale = max_abs / 127.0f;
  const float inv = 127.0f / max_abs;
  if (!std::isfinite(inv)) {
    // A subnormal largest value: 127 / max_abs overflows a float, and 0 * inf would be NaN (UB
    // when cast; found by tests/fuzz/fuzz_search.cc with a tiny query). Scale in double instead.
    const double wide = 127.0 / static_cast<double>(max_abs);
    for (size_t i = 0; i < v.size(); ++i) {
      const double q = std::nearbyint(static_cast<double>(v[i]) * wide);
      out[i] = static_cast<int8_t>(std::clamp(q, -127.0, 127.0));
    }
    return scale;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    // nearbyint rounds half to even, the same on every platform; the clamp only guards the
    // rounding of max_abs * inv itself.
    const float q = std::nearbyint(v[i] * inv);
    out[i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return scale;
}

float QuantizeItem(std::span<const float> v, const ItemQuantizer& how, std::span<int8_t> codes,
                   std::span<uint8_t> bits) {
  const size_t n = v.size();
  std::fill(bits.begin(), bits.end(), uint8_t{0});
  const float scale = QuantizeInt8(v, codes);
  if (scale == 0.0f) return 0.0f;
  const float inv = 127.0f / MaxAbs(v);

  // Levels on the item's grid, in units of the grid: with refinement bits the grid is the odd
  // quarter steps (level L stands for L / 4 * scale, L = 4 * code ± 1), else whole steps.
  const bool refined = how.refinement_bits;
  const double unit = refined ? 0.25 : 1.0;
  const int flip = refined ? 2 : 1;  // one grid step, in levels
  const int limit = refined ? 4 * 127 + 1 : 127;
  std::vector<int> level(n);
  std::vector<double> err(n);  // (v / scale) - level * unit, in units of the scale
  for (size_t d = 0; d < n; ++d) {
    const float y = v[d] * inv;  // the same product QuantizeInt8 rounded
    level[d] = refined ? 4 * codes[d] + (y >= static_cast<float>(codes[d]) ? 1 : -1) : codes[d];
    err[d] = static_cast<double>(y) - level[d] * unit;
  }

  if (!how.direction.empty()) {
    // Greedy: visit the cheapest components first and round one the other way whenever that
    // lowers e^2 + |err|^2 / dims, the expected squared score error of a query along the
    // direction plus that of a random unit query (so shaping never buys a smaller e with much
    // larger error elsewhere). Sums run in index order in double, so every platform makes the
    // same choices.
    const std::span<const double> u = how.direction;
    double e = 0.0;
    for (size_t d = 0; d < n; ++d) e += u[d] * err[d];
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    const size_t m = std::min(n, kShapingCandidates);
    auto cheaper = [&](uint32_t a, uint32_t b) {
      const double fa = std::fabs(err[a]), fb = std::fabs(err[b]);
      return fa > fb || (fa == fb && a < b);
    };
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(m), order.end(),
                     cheaper);
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(m), cheaper);
    const double step = flip * unit;
    for (size_t j = 0; j < m; ++j) {
      const uint32_t d = order[j];
      const int sign = err[d] >= 0.0 ? 1 : -1;
      const int moved = level[d] + sign * flip;
      if (moved > limit || moved < -limit) continue;
      const double moved_e = e - sign * step * u[d];
      const double extra = step * step - 2.0 * step * std::fabs(err[d]);  // |err|^2 grows by
      if (moved_e * moved_e - e * e + extra / static_cast<double>(n) < 0.0) {
        level[d] = moved;
        err[d] -= sign * step;
        e = moved_e;
      }
    }
  }

  for (size_t d = 0; d < n; ++d) {
    if (!refined) {
      codes[d] = static_cast<int8_t>(level[d]);
      continue;
    }
    const int code = FloorDiv4(level[d] + 2);  // L = 4 * code + 1 or 4 * code - 1
    codes[d] = static_cast<int8_t>(code);
    if (level[d] - 4 * code == 1) bits[d / 8] = static_cast<uint8_t>(bits[d / 8] | (1u << (d % 8)));
  }
  return scale;
}

}  // namespace localrec
