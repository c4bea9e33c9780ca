// localrec::Catalog: an item catalogue loaded from the binary format of docs/catalog-format.md,
// and CatalogBuilder, which writes that format. A Catalog owns one 64-byte aligned copy of the
// file and reads vectors, ids and metadata in place; only the BM25 inverted index is built at load.
// A loaded Catalog is immutable: its const methods are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/catalog/aligned_buffer.h"
#include "core/common/enum_names.h"

namespace localrec {

// The model fingerprint: sha256 of the model's ONNX file (docs/models.md).
using Fingerprint = std::array<uint8_t, 32>;

// Parses 64 hex digits (either case). Throws Error(kInvalidArgument) otherwise.
Fingerprint FingerprintFromHex(std::string_view hex);
// Lowercase, 64 hex digits.
std::string FingerprintToHex(const Fingerprint& fingerprint);

class Catalog {
 public:
  // Copies `bytes` once into an aligned buffer, then loads it like FromBuffer.
  static Catalog FromBytes(std::string_view bytes);
  // Takes ownership of a buffer holding a catalogue file (no copy). Validates every field and
  // throws Error(kCorruptData) for truncated or corrupt data, Error(kUnsupported) for another
  // format version.
  static Catalog FromBuffer(AlignedBuffer buffer);

  Catalog(Catalog&&) noexcept = default;
  Catalog& operator=(Catalog&&) noexcept = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  size_t size() const { return size_; }
  size_t dims() const { return dims_; }
  const Fingerprint& fingerprint() const { return fingerprint_; }
  // Throws Error(kModelMismatch) naming both fingerprints when `expected` differs.
  void CheckFingerprint(const Fingerprint& expected) const;

  // Vectors: row i of the int8 matrix (StrideI8(dims) bytes apart, 64-byte aligned start, zero
  // padded), its scale (vector ≈ int8 * scale), and the f32 rows when the file has them.
  const int8_t* vectors_i8() const { return vectors_i8_; }
  size_t stride_i8() const { return stride_i8_; }
  const int8_t* vector_i8(size_t i) const { return vectors_i8_ + i * stride_i8_; }
  float scale(size_t i) const { return scales_[i]; }
  const float* scales() const { return scales_; }
  // Optional refinement bits (the default precision): vector ≈ (int8 ± 1/4) * scale, +1/4 where
  // bit d % 8 of refinement_bits(i)[d / 8] is set. StrideBits(dims) bytes per row.
  bool has_refinement() const { return refinement_bits_ != nullptr; }
  const uint8_t* refinement_bits(size_t i) const { return refinement_bits_ + i * stride_bits_; }
  // Optional second-level int8 residual (vector ≈ int8 * scale + residual * residual_scale).
  bool has_residual() const { return residual_i8_ != nullptr; }
  const int8_t* residual_i8(size_t i) const { return residual_i8_ + i * stride_i8_; }
  float residual_scale(size_t i) const { return residual_scales_[i]; }
  bool has_f32() const { return vectors_f32_ != nullptr; }
  const float* vector_f32(size_t i) const { return vectors_f32_ + i * stride_f32_; }
  // Row i as f32: the stored f32 row if present, else the dequantised int8 (+ residual or
  // refinement bits) row.
  void Vector(size_t i, std::span<float> out) const;

  std::string_view id(size_t i) const;
  std::optional<size_t> IndexOf(std::string_view id) const;  // O(log n)

  bool has_metadata() const { return meta_offsets_ != nullptr; }
  std::string_view metadata_json(size_t i) const;  // "" when the item has none

  size_t tag_count() const { return tag_count_; }
  std::string_view tag(size_t t) const;
  std::optional<uint32_t> FindTag(std::string_view tag) const;
  std::span<const uint32_t> item_tags(size_t i) const;

  // Lexical part (BM25-ready): absent when the catalogue was built without texts.
  bool has_terms() const { return term_offsets_ != nullptr; }
  size_t term_count() const { return term_count_; }
  std::string_view term(size_t t) const;
  std::optional<uint32_t> FindTerm(std::string_view term) const;
  uint32_t doc_frequency(uint32_t t) const { return term_df_[t]; }
  uint32_t doc_length(size_t i) const { return doc_lengths_[i]; }
  double average_doc_length() const { return average_doc_length_; }
  // The inverted index, built at load: items containing term t (ascending) and their tfs.
  std::span<const uint32_t> posting_items(uint32_t t) const;
  std::span<const uint32_t> posting_tfs(uint32_t t) const;
  // Term ids and tfs of item i, decoded from the file (for inspection and tests).
  std::vector<std::pair<uint32_t, uint32_t>> ItemTerms(size_t i) const;

  // The catalogue file exactly as loaded (toBytes).
  std::string_view bytes() const { return buffer_.view(); }

 private:
  friend class CatalogReader;  // fills the views below while it validates (catalog_reader.cc)
  Catalog() = default;

  AlignedBuffer buffer_;
  size_t size_ = 0, dims_ = 0, stride_i8_ = 0, stride_f32_ = 0, stride_bits_ = 0;
  Fingerprint fingerprint_{};
  const int8_t* vectors_i8_ = nullptr;
  const float* scales_ = nullptr;
  const uint8_t* refinement_bits_ = nullptr;
  const int8_t* residual_i8_ = nullptr;
  const float* residual_scales_ = nullptr;
  const float* vectors_f32_ = nullptr;
  const uint32_t* id_offsets_ = nullptr;
  const char* id_bytes_ = nullptr;
  const uint32_t* id_order_ = nullptr;
  const uint32_t* meta_offsets_ = nullptr;
  const char* meta_bytes_ = nullptr;
  size_t tag_count_ = 0;
  const uint32_t* tag_offsets_ = nullptr;
  const char* tag_bytes_ = nullptr;
  const uint32_t* item_tag_offsets_ = nullptr;
  const uint32_t* item_tag_ids_ = nullptr;
  size_t term_count_ = 0;
  const uint32_t* term_offsets_ = nullptr;
  const char* term_bytes_ = nullptr;
  const uint32_t* term_df_ = nullptr;
  const uint32_t* item_term_offsets_ = nullptr;
  const uint8_t* item_terms_ = nullptr;
  const uint32_t* doc_lengths_ = nullptr;
  double average_doc_length_ = 0;
  std::vector<uint32_t> posting_offsets_, posting_items_, posting_tfs_;
};

// One item for CatalogBuilder::Add. Views are only read during the call.
struct CatalogItem {
  std::string_view id;                   // non-empty UTF-8, unique, at most 4096 bytes
  std::span<const float> vector;         // dims finite values; dot products are ranked as given
  std::string_view metadata_json;        // "" or a JSON object; a "tags" key is not allowed here
  std::span<const std::string> tags;     // non-empty UTF-8 tags; duplicates are merged
  std::string_view text;                 // analysed with AnalyzeTerms for the lexical part
};

// What the catalogue stores besides the int8 vectors that the scan reads. Rescoring of the
// candidates uses the most precise form present.
enum class VectorPrecision {
  kInt8,          // 1.125 bytes per dimension: int8 + a refinement bit, rescoring on a 9-bit grid
  kInt8Compact,   // 1 byte: rescoring with the dequantised int8 vectors
  kInt8Residual,  // 2 bytes: plus an int8 residual, rescoring nearly exact
  kFloat32,       // 5 bytes: plus the f32 vectors, rescoring exact
};
inline constexpr EnumName<VectorPrecision> kPrecisionNames[] = {
    {"int8", VectorPrecision::kInt8}, {"compact", VectorPrecision::kInt8Compact},
    {"residual", VectorPrecision::kInt8Residual}, {"float32", VectorPrecision::kFloat32}};

// How kInt8 and kInt8Compact round (the other precisions always round to nearest: their int8
// codes only feed the scan).
enum class Rounding {
  kShaped,   // cancel the rounding error along the catalogue's mean direction (format.h)
  kNearest,  // plain round-to-nearest, as format version 1 wrote: for comparisons
};

struct CatalogBuilderOptions {
  VectorPrecision precision = VectorPrecision::kInt8;
  Rounding rounding = Rounding::kShaped;
};

// Builds a catalogue file item by item. Memory is about the size of the final file (plus the
// f32 vectors of the first kShapingItems items, held until the shaping direction is known).
// Add() checks the item first and leaves the builder unchanged when it throws.
class CatalogBuilder {
 public:
  // Item vectors must have an L2 norm of at most 1 + this (Add refuses longer ones).
  static constexpr double kUnitNormTolerance = 0.01;

  CatalogBuilder(size_t dims, const Fingerprint& fingerprint, CatalogBuilderOptions options = {});

  void Add(const CatalogItem& item);
  size_t size() const { return ids_.size(); }
  size_t dims() const { return dims_; }

  // Writes the file. The builder is left empty (ready for reuse with the same settings).
  AlignedBuffer Finish();

 private:
  bool Shaped() const;
  void QuantizeRow(size_t row, std::span<const float> v);
  void FixDirection();  // from the pending vectors; then quantises them

  size_t dims_;
  Fingerprint fingerprint_;
  CatalogBuilderOptions options_;
  bool any_text_ = false;
  std::vector<int8_t> vectors_i8_;
  std::vector<uint8_t> refinement_bits_;
  std::vector<float> scales_, vectors_f32_;
  // Shaped rounding: the direction (empty until fixed) and the vectors waiting for it.
  bool direction_fixed_ = false;
  std::vector<double> direction_;
  std::vector<float> pending_;
  std::vector<int8_t> residual_i8_;
  std::vector<float> residual_scales_;
  std::vector<std::string> ids_;
  std::unordered_set<std::string> id_set_;
  std::vector<std::string> metadata_;
  std::unordered_map<std::string, uint32_t> tag_ids_;  // provisional ids, first-seen order
  std::vector<std::vector<uint32_t>> item_tags_;
  std::unordered_map<std::string, uint32_t> term_ids_;  // provisional ids, first-seen order
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> item_terms_;  // (provisional id, tf)
};

}  // namespace localrec
