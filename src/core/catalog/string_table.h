// The catalogue's string tables: n + 1 u32 offsets into a byte section (ids, metadata, the tag
// and term vocabularies). Vocabularies are sorted by bytes so lookups binary-search them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace localrec::catalog_format {

inline std::string_view Slice(const char* bytes, const uint32_t* offsets, size_t i) {
  return {bytes + offsets[i], offsets[i + 1] - offsets[i]};
}

// The index of `key` in a sorted table of n strings.
inline std::optional<uint32_t> FindSorted(const char* bytes, const uint32_t* offsets, size_t n,
                                          std::string_view key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const std::string_view s = Slice(bytes, offsets, mid);
    if (s < key) {
      lo = mid + 1;
    } else if (key < s) {
      hi = mid;
    } else {
      return static_cast<uint32_t>(mid);
    }
  }
  return std::nullopt;
}

}  // namespace localrec::catalog_format
