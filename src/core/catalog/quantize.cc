#include "core/catalog/quantize.h"

#include <algorithm>
#include <cmath>

namespace localrec {

float QuantizeInt8(std::span<const float> v, std::span<int8_t> out) {
  float max_abs = 0.0f;
  for (float x : v) max_abs = std::max(max_abs, std::fabs(x));
  std::fill(out.begin(), out.end(), int8_t{0});
  if (max_abs == 0.0f) return 0.0f;
  const float scale = max_abs / 127.0f;
  const float inv = 127.0f / max_abs;
  for (size_t i = 0; i < v.size(); ++i) {
    // nearbyint rounds half to even, the same on every platform; the clamp only guards the
    // rounding of max_abs * inv itself.
    const float q = std::nearbyint(v[i] * inv);
    out[i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return scale;
}

}  // namespace localrec
