// Loading a catalogue (Catalog::FromBuffer): the container first (section_table.cc), then each
// part of the content in a function of its own, in the order of docs/catalog-format.md. Every
// field is validated before the Catalog is handed out; the only thing built is the BM25 inverted
// index.
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/catalog/format.h"
#include "core/catalog/metadata_check.h"
#include "core/catalog/section_table.h"
#include "core/catalog/string_table.h"
#include "core/common/byte_io.h"
#include "core/common/utf8.h"

namespace localrec {

namespace fmt = catalog_format;
using fmt::Corrupt;

namespace {

// A table of n + 1 offsets into a byte section: starts at 0, non-decreasing, ends at its size.
void CheckOffsets(const uint32_t* offsets, uint64_t n, uint64_t target_bytes, const char* what) {
  if (offsets[0] != 0) Corrupt(std::string(what) + " do not start at 0");
  for (uint64_t i = 0; i < n; ++i) {
    if (offsets[i + 1] < offsets[i]) {
      Corrupt(std::string(what) + " decrease at entry " + std::to_string(i + 1));
    }
  }
  if (offsets[n] != target_bytes) {
    Corrupt(std::string(what) + " end at " + std::to_string(offsets[n]) + " but the data has " +
            std::to_string(target_bytes) + " bytes");
  }
}

// A vocabulary must hold non-empty valid UTF-8 strings in strictly increasing byte order, so
// lookups can binary-search it.
void CheckSortedStrings(const char* bytes, const uint32_t* offsets, size_t n, size_t max_bytes,
                        const char* what) {
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = fmt::Slice(bytes, offsets, i);
    if (s.empty()) Corrupt(std::string(what) + " " + std::to_string(i) + " is empty");
    if (s.size() > max_bytes) Corrupt(std::string(what) + " " + std::to_string(i) + " is too long");
    if (FindInvalidUtf8(s) != std::string_view::npos) {
      Corrupt(std::string(what) + " " + std::to_string(i) + " is not valid UTF-8");
    }
    if (i > 0 && !(fmt::Slice(bytes, offsets, i - 1) < s)) {
      Corrupt(std::string(what) + "s are not sorted and unique at " + std::to_string(i));
    }
  }
}

}  // namespace

// Fills a Catalog's views from a validated layout, checking each part.
class CatalogReader {
 public:
  CatalogReader(Catalog& c, const fmt::Layout& layout) : c_(c), file_(layout), n_(layout.items) {}

  void Read() {
    c_.dims_ = file_.dims;
    c_.size_ = static_cast<size_t>(n_);
    c_.fingerprint_ = file_.fingerprint;
    c_.stride_i8_ = fmt::StrideI8(file_.dims);
    c_.stride_f32_ = fmt::StrideF32(file_.dims);
    c_.stride_bits_ = fmt::StrideBits(file_.dims);
    ReadVectors();
    ReadIds();
    ReadMetadata();
    ReadTags();
    ReadTerms();
  }

 private:
  template <typename T>
  const T* Require(uint32_t kind, uint64_t count) const {
    return reinterpret_cast<const T*>(file_.Require(kind, count));
  }
  // Catalog::id and friends, inline here (they live in catalog.cc) for the per-item loops.
  std::string_view Id(size_t i) const { return fmt::Slice(c_.id_bytes_, c_.id_offsets_, i); }
  std::string_view Metadata(size_t i) const { return fmt::Slice(c_.meta_bytes_, c_.meta_offsets_, i); }
  std::span<const uint32_t> ItemTags(size_t i) const {
    const uint32_t* offsets = c_.item_tag_offsets_;
    return {c_.item_tag_ids_ + offsets[i], offsets[i + 1] - offsets[i]};
  }

  // int8 rows: a finite scale >= 0, no -128 (the codes are symmetric), zero row padding.
  void CheckInt8Rows(const int8_t* rows, const float* scales, const char* what) const {
    const size_t dims = c_.dims_, stride = c_.stride_i8_;
    for (size_t i = 0; i < c_.size_; ++i) {
      const float s = scales[i];
      if (!std::isfinite(s) || s < 0.0f) {
        Corrupt("item " + std::to_string(i) + " has an invalid " + what + " scale (" +
                std::to_string(s) + ")");
      }
      // Branch-free over the row (the compiler vectorises it); the rare failure is located after.
      const int8_t* row = rows + i * stride;
      uint8_t bad = 0;
      for (size_t d = 0; d < dims; ++d) bad |= static_cast<uint8_t>(row[d] == -128);
      uint8_t padding = 0;
      for (size_t d = dims; d < stride; ++d) padding |= static_cast<uint8_t>(row[d]);
      if (bad) Corrupt("item " + std::to_string(i) + " has the " + what + " value -128");
      if (padding) Corrupt("item " + std::to_string(i) + " has non-zero " + what + " row padding");
    }
  }

  void ReadVectors() {
    c_.vectors_i8_ = Require<int8_t>(fmt::kVectorsI8, n_ * c_.stride_i8_);
    c_.scales_ = Require<float>(fmt::kScales, n_);
    CheckInt8Rows(c_.vectors_i8_, c_.scales_, "int8");
    if (file_.GroupPresent({fmt::kResidualI8, fmt::kResidualScales})) {
      c_.residual_i8_ = Require<int8_t>(fmt::kResidualI8, n_ * c_.stride_i8_);
      c_.residual_scales_ = Require<float>(fmt::kResidualScales, n_);
      CheckInt8Rows(c_.residual_i8_, c_.residual_scales_, "residual");
    }
    if (file_[fmt::kRefinementBits].present) ReadRefinementBits();
    if (file_[fmt::kVectorsF32].present) ReadFloat32Rows();
  }

  void ReadRefinementBits() {
    // One refinement of the int8 rows at a time: rescoring uses exactly one precise form.
    if (c_.residual_i8_ != nullptr || file_[fmt::kVectorsF32].present) {
      Corrupt("refinement bits cannot be combined with residual or f32 vectors");
    }
    c_.refinement_bits_ = Require<uint8_t>(fmt::kRefinementBits, n_ * c_.stride_bits_);
    const size_t dims = c_.dims_, stride = c_.stride_bits_;
    if (dims % 8 == 0 && stride * 8 == dims) return;
    // Bits of the padding columns [dims, stride) are zero, like the int8 row padding.
    for (size_t i = 0; i < c_.size_; ++i) {
      const uint8_t* row = c_.refinement_bits(i);
      uint8_t padding = static_cast<uint8_t>(row[dims / 8] & ~((1u << (dims % 8)) - 1u));
      for (size_t b = dims / 8 + 1; b < stride; ++b) padding |= row[b];
      if (padding) Corrupt("item " + std::to_string(i) + " has non-zero refinement bit padding");
    }
  }

  // f32 rows: finite, zero padding, and the int8 row is their quantisation (within half a step).
  void ReadFloat32Rows() {
    c_.vectors_f32_ = Require<float>(fmt::kVectorsF32, n_ * c_.stride_f32_);
    const size_t dims = c_.dims_;
    for (size_t i = 0; i < c_.size_; ++i) {
      const float* row = c_.vector_f32(i);
      const int8_t* q = c_.vector_i8(i);
      const float s = c_.scales_[i];
      for (size_t d = 0; d < c_.stride_f32_; ++d) {
        if (d >= dims) {
          if (row[d] != 0.0f || std::signbit(row[d])) Corrupt("item " + std::to_string(i) + " has non-zero f32 row padding");
          continue;
        }
        if (!std::isfinite(row[d])) {
          Corrupt("item " + std::to_string(i) + " has a NaN or infinite f32 vector component");
        }
        if (std::fabs(row[d] - static_cast<float>(q[d]) * s) > 0.501f * s + 1e-30f) {
          Corrupt("item " + std::to_string(i) + ": int8 and f32 vectors disagree at dimension " +
                  std::to_string(d));
        }
      }
    }
  }

  // Ids: offsets, UTF-8, length, and an order section that sorts them strictly (so unique).
  void ReadIds() {
    c_.id_offsets_ = Require<uint32_t>(fmt::kIdOffsets, n_ + 1);
    const fmt::Section& id_bytes = file_[fmt::kIdBytes];
    if (!id_bytes.present) Corrupt("missing section: id bytes");
    c_.id_bytes_ = reinterpret_cast<const char*>(id_bytes.data);
    CheckOffsets(c_.id_offsets_, n_, id_bytes.bytes, "id offsets");
    for (size_t i = 0; i < c_.size_; ++i) {
      const std::string_view s = Id(i);
      if (s.empty()) Corrupt("item " + std::to_string(i) + " has an empty id");
      if (s.size() > fmt::kMaxIdBytes) Corrupt("item " + std::to_string(i) + " has an id longer than 4096 bytes");
      if (FindInvalidUtf8(s) != std::string_view::npos) {
        Corrupt("item " + std::to_string(i) + " has an id that is not valid UTF-8");
      }
    }
    c_.id_order_ = Require<uint32_t>(fmt::kIdOrder, n_);
    std::vector<bool> seen(c_.size_, false);
    for (size_t r = 0; r < c_.size_; ++r) {
      const uint32_t i = c_.id_order_[r];
      if (i >= c_.size_ || seen[i]) Corrupt("the id order is not a permutation of the items");
      seen[i] = true;
      if (r > 0) {
        const std::string_view prev = Id(c_.id_order_[r - 1]), cur = Id(i);
        if (prev == cur) Corrupt("duplicate id '" + std::string(cur) + "'");
        if (!(prev < cur)) Corrupt("the id order is not sorted at position " + std::to_string(r));
      }
    }
  }

  // Metadata: each entry empty or a JSON object of the allowed shape (metadata_check.h).
  void ReadMetadata() {
    if (!file_.GroupPresent({fmt::kMetaOffsets, fmt::kMetaBytes})) return;
    c_.meta_offsets_ = Require<uint32_t>(fmt::kMetaOffsets, n_ + 1);
    c_.meta_bytes_ = reinterpret_cast<const char*>(file_[fmt::kMetaBytes].data);
    CheckOffsets(c_.meta_offsets_, n_, file_[fmt::kMetaBytes].bytes, "metadata offsets");
    for (size_t i = 0; i < c_.size_; ++i) {
      const std::string_view m = Metadata(i);
      if (m.empty()) continue;
      if (FindInvalidUtf8(m) != std::string_view::npos) {
        Corrupt("metadata of item " + std::to_string(i) + " is not valid UTF-8");
      }
      const std::string error = fmt::CheckMetadataJson(m);
      if (!error.empty()) Corrupt("metadata of item " + std::to_string(i) + error);
    }
  }

  // Tags: a sorted vocabulary and strictly increasing tag ids per item.
  void ReadTags() {
    if (!file_.GroupPresent({fmt::kTagOffsets, fmt::kTagBytes, fmt::kItemTagOffsets, fmt::kItemTagIds})) {
      return;
    }
    const fmt::Section& offs = file_[fmt::kTagOffsets];
    if (offs.count(fmt::kTagOffsets) == 0) Corrupt("tag offsets are empty");
    c_.tag_count_ = offs.count(fmt::kTagOffsets) - 1;
    c_.tag_offsets_ = reinterpret_cast<const uint32_t*>(offs.data);
    c_.tag_bytes_ = reinterpret_cast<const char*>(file_[fmt::kTagBytes].data);
    CheckOffsets(c_.tag_offsets_, c_.tag_count_, file_[fmt::kTagBytes].bytes, "tag offsets");
    CheckSortedStrings(c_.tag_bytes_, c_.tag_offsets_, c_.tag_count_, fmt::kMaxTagBytes, "tag");
    c_.item_tag_offsets_ = Require<uint32_t>(fmt::kItemTagOffsets, n_ + 1);
    c_.item_tag_ids_ = reinterpret_cast<const uint32_t*>(file_[fmt::kItemTagIds].data);
    CheckOffsets(c_.item_tag_offsets_, n_, file_[fmt::kItemTagIds].count(fmt::kItemTagIds),
                 "item tag offsets");
    for (size_t i = 0; i < c_.size_; ++i) {
      const auto tags = ItemTags(i);
      for (size_t j = 0; j < tags.size(); ++j) {
        if (tags[j] >= c_.tag_count_) Corrupt("item " + std::to_string(i) + " has an out-of-range tag id");
        if (j > 0 && tags[j] <= tags[j - 1]) {
          Corrupt("tag ids of item " + std::to_string(i) + " are not strictly increasing");
        }
      }
    }
  }

  // Lexical part: sorted vocabulary, per-item varint (term delta, tf) lists, document
  // frequencies and lengths that agree with the lists; then the inverted index.
  void ReadTerms() {
    if (!file_.GroupPresent({fmt::kTermOffsets, fmt::kTermBytes, fmt::kTermDocFreq,
                             fmt::kItemTermOffsets, fmt::kItemTerms, fmt::kDocLengths})) {
      return;
    }
    const fmt::Section& offs = file_[fmt::kTermOffsets];
    if (offs.count(fmt::kTermOffsets) == 0) Corrupt("term offsets are empty");
    c_.term_count_ = offs.count(fmt::kTermOffsets) - 1;
    c_.term_offsets_ = reinterpret_cast<const uint32_t*>(offs.data);
    c_.term_bytes_ = reinterpret_cast<const char*>(file_[fmt::kTermBytes].data);
    CheckOffsets(c_.term_offsets_, c_.term_count_, file_[fmt::kTermBytes].bytes, "term offsets");
    CheckSortedStrings(c_.term_bytes_, c_.term_offsets_, c_.term_count_, fmt::kMaxTermBytes, "term");
    c_.term_df_ = Require<uint32_t>(fmt::kTermDocFreq, c_.term_count_);
    c_.item_term_offsets_ = Require<uint32_t>(fmt::kItemTermOffsets, n_ + 1);
    c_.item_terms_ = file_[fmt::kItemTerms].data;
    CheckOffsets(c_.item_term_offsets_, n_, file_[fmt::kItemTerms].bytes, "item term offsets");
    c_.doc_lengths_ = Require<uint32_t>(fmt::kDocLengths, n_);
    const std::vector<uint32_t> df = CheckItemTerms();
    BuildPostings(df);
  }

  // Validates every item's term list against the vocabulary and the stored lengths and
  // frequencies; returns the document frequencies it counted.
  std::vector<uint32_t> CheckItemTerms() {
    std::vector<uint32_t> df(c_.term_count_, 0);
    uint64_t total_length = 0;
    for (size_t i = 0; i < c_.size_; ++i) {
      const uint8_t* p = c_.item_terms_ + c_.item_term_offsets_[i];
      const uint8_t* end = c_.item_terms_ + c_.item_term_offsets_[i + 1];
      uint64_t length = 0;
      uint64_t term = 0;
      bool first = true;
      while (p < end) {
        uint32_t delta, tf;
        if (!ReadLeb128(p, end, &delta) || !ReadLeb128(p, end, &tf)) {
          Corrupt("terms of item " + std::to_string(i) + " are malformed");
        }
        if (!first && delta == 0) Corrupt("term ids of item " + std::to_string(i) + " repeat");
        term = first ? delta : term + delta;
        first = false;
        if (term >= c_.term_count_) Corrupt("item " + std::to_string(i) + " has an out-of-range term id");
        if (tf == 0) Corrupt("item " + std::to_string(i) + " has a zero term frequency");
        ++df[term];
        length += tf;
      }
      if (length != c_.doc_lengths_[i]) {
        Corrupt("document length of item " + std::to_string(i) + " is " +
                std::to_string(c_.doc_lengths_[i]) + " but its terms add up to " + std::to_string(length));
      }
      total_length += length;
    }
    for (size_t t = 0; t < c_.term_count_; ++t) {
      if (df[t] != c_.term_df_[t]) {
        Corrupt("document frequency of term '" + std::string(c_.term(t)) + "' is " +
                std::to_string(c_.term_df_[t]) + " but " + std::to_string(df[t]) + " items contain it");
      }
    }
    c_.average_doc_length_ = c_.size_ == 0 ? 0.0 : static_cast<double>(total_length) / static_cast<double>(c_.size_);
    return df;
  }

  // The inverted index: for each term, the items containing it (ascending) and their tfs.
  void BuildPostings(const std::vector<uint32_t>& df) {
    std::vector<uint32_t>& offsets = c_.posting_offsets_;
    offsets.assign(c_.term_count_ + 1, 0);
    for (size_t t = 0; t < c_.term_count_; ++t) offsets[t + 1] = offsets[t] + df[t];
    c_.posting_items_.resize(offsets.back());
    c_.posting_tfs_.resize(offsets.back());
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (size_t i = 0; i < c_.size_; ++i) {
      const uint8_t* p = c_.item_terms_ + c_.item_term_offsets_[i];
      const uint8_t* end = c_.item_terms_ + c_.item_term_offsets_[i + 1];
      uint32_t t = 0, delta = 0, tf = 0;
      for (bool first = true; p < end; first = false) {
        ReadLeb128(p, end, &delta);  // validated above
        ReadLeb128(p, end, &tf);
        t = first ? delta : t + delta;
        c_.posting_items_[fill[t]] = static_cast<uint32_t>(i);
        c_.posting_tfs_[fill[t]] = tf;
        ++fill[t];
      }
    }
  }

  Catalog& c_;
  const fmt::Layout& file_;
  const uint64_t n_;
};

Catalog Catalog::FromBytes(std::string_view bytes) {
  return FromBuffer(AlignedBuffer::CopyOf(bytes));
}

Catalog Catalog::FromBuffer(AlignedBuffer buffer) {
  Catalog catalog;
  catalog.buffer_ = std::move(buffer);
  const fmt::Layout layout = fmt::ReadLayout(catalog.buffer_.data(), catalog.buffer_.size());
  CatalogReader(catalog, layout).Read();
  return catalog;
}

}  // namespace localrec
