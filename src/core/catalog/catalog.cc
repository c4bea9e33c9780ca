// Catalog's accessors over a loaded file, and the model fingerprint. Loading and its validation
// are in catalog_reader.cc, writing in catalog_builder.cc, the container in section_table.cc.
#include "core/catalog/catalog.h"

#include <algorithm>
#include <string>

#include "core/catalog/quantize.h"
#include "core/catalog/string_table.h"
#include "core/common/byte_io.h"
#include "core/common/error.h"

namespace localrec {

namespace fmt = catalog_format;

Fingerprint FingerprintFromHex(std::string_view hex) {
  if (hex.size() != 64) {
    throw Error(ErrorCode::kInvalidArgument, "model fingerprint must be 64 hex digits (sha256), got " +
                                                 std::to_string(hex.size()) + " characters");
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Fingerprint fp{};
  for (size_t i = 0; i < 32; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      throw Error(ErrorCode::kInvalidArgument, "model fingerprint must be 64 hex digits (sha256)");
    }
    fp[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return fp;
}

std::string FingerprintToHex(const Fingerprint& fp) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : fp) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

void Catalog::CheckFingerprint(const Fingerprint& expected) const {
  if (expected != fingerprint_) {
    throw Error(ErrorCode::kModelMismatch,
                "the catalogue was built with model " + FingerprintToHex(fingerprint_) +
                    " but the query comes from model " + FingerprintToHex(expected) +
                    ": rebuild the catalogue or use the same model");
  }
}

void Catalog::Vector(size_t i, std::span<float> out) const {
  if (has_f32()) {
    std::copy_n(vector_f32(i), dims_, out.begin());
    return;
  }
  const int8_t* q = vector_i8(i);
  const float s = scales_[i];
  if (has_refinement()) {
    const uint8_t* bits = refinement_bits(i);
    for (size_t d = 0; d < dims_; ++d) {
      out[d] = RefinedLevel(q[d], (bits[d / 8] >> (d % 8)) & 1u) * s;
    }
    return;
  }
  if (has_residual()) {
    const int8_t* r = residual_i8(i);
    const float rs = residual_scales_[i];
    for (size_t d = 0; d < dims_; ++d) out[d] = static_cast<float>(q[d]) * s + static_cast<float>(r[d]) * rs;
    return;
  }
  for (size_t d = 0; d < dims_; ++d) out[d] = static_cast<float>(q[d]) * s;
}

std::string_view Catalog::id(size_t i) const { return fmt::Slice(id_bytes_, id_offsets_, i); }

std::optional<size_t> Catalog::IndexOf(std::string_view key) const {
  size_t lo = 0, hi = size_;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const std::string_view s = id(id_order_[mid]);
    if (s < key) {
      lo = mid + 1;
    } else if (key < s) {
      hi = mid;
    } else {
      return id_order_[mid];
    }
  }
  return std::nullopt;
}

std::string_view Catalog::metadata_json(size_t i) const {
  if (meta_offsets_ == nullptr) return {};
  return fmt::Slice(meta_bytes_, meta_offsets_, i);
}

std::string_view Catalog::tag(size_t t) const { return fmt::Slice(tag_bytes_, tag_offsets_, t); }

std::optional<uint32_t> Catalog::FindTag(std::string_view key) const {
  if (tag_offsets_ == nullptr) return std::nullopt;
  return fmt::FindSorted(tag_bytes_, tag_offsets_, tag_count_, key);
}

std::span<const uint32_t> Catalog::item_tags(size_t i) const {
  if (item_tag_offsets_ == nullptr) return {};
  return {item_tag_ids_ + item_tag_offsets_[i], item_tag_offsets_[i + 1] - item_tag_offsets_[i]};
}

std::string_view Catalog::term(size_t t) const { return fmt::Slice(term_bytes_, term_offsets_, t); }

std::optional<uint32_t> Catalog::FindTerm(std::string_view key) const {
  if (term_offsets_ == nullptr) return std::nullopt;
  return fmt::FindSorted(term_bytes_, term_offsets_, term_count_, key);
}

std::span<const uint32_t> Catalog::posting_items(uint32_t t) const {
  return {posting_items_.data() + posting_offsets_[t], posting_offsets_[t + 1] - posting_offsets_[t]};
}

std::span<const uint32_t> Catalog::posting_tfs(uint32_t t) const {
  return {posting_tfs_.data() + posting_offsets_[t], posting_offsets_[t + 1] - posting_offsets_[t]};
}

std::vector<std::pair<uint32_t, uint32_t>> Catalog::ItemTerms(size_t i) const {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  if (item_term_offsets_ == nullptr) return out;
  const uint8_t* p = item_terms_ + item_term_offsets_[i];
  const uint8_t* end = item_terms_ + item_term_offsets_[i + 1];
  uint32_t term = 0;
  bool first = true;
  while (p < end) {
    uint32_t delta = 0, tf = 0;
    ReadLeb128(p, end, &delta);  // validated at load
    ReadLeb128(p, end, &tf);
    term = first ? delta : term + delta;
    first = false;
    out.emplace_back(term, tf);
  }
  return out;
}

}  // namespace localrec
