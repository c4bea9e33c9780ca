// CatalogBuilder: checks and quantises items as they come, then writes the catalogue file
// (Finish): the sections' bytes here, the container (header, table, checksum) by
// section_table.cc.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <string>

#include "core/catalog/catalog.h"
#include "core/catalog/format.h"
#include "core/catalog/quantize.h"
#include "core/catalog/section_table.h"
#include "core/common/byte_io.h"
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/analyzer.h"

namespace localrec {

namespace fmt = catalog_format;

namespace {

// A vocabulary in its final, sorted order: the names, and remap[provisional id] = final id.
struct SortedVocabulary {
  std::vector<std::string_view> names;
  std::vector<uint32_t> remap;
};

SortedVocabulary SortVocabulary(const std::unordered_map<std::string, uint32_t>& vocab) {
  SortedVocabulary out;
  out.names.reserve(vocab.size());
  for (const auto& [name, id] : vocab) out.names.push_back(name);
  std::sort(out.names.begin(), out.names.end());
  out.remap.resize(vocab.size());
  for (size_t r = 0; r < out.names.size(); ++r) {
    out.remap[vocab.at(std::string(out.names[r]))] = static_cast<uint32_t>(r);
  }
  return out;
}

// The sections of the file being written: views of the builder's own arrays (the large ones are
// not copied before the final write) or buffers owned here for what Finish computes.
class SectionList {
 public:
  void View(uint32_t kind, const void* data, size_t bytes) { sections_.push_back({kind, data, bytes}); }
  void Own(uint32_t kind, std::vector<uint8_t> bytes) {
    const std::vector<uint8_t>& kept = owned_.emplace_back(std::move(bytes));
    sections_.push_back({kind, kept.data(), kept.size()});
  }
  void U32s(uint32_t kind, const std::vector<uint32_t>& v) {
    std::vector<uint8_t> bytes(v.size() * 4);
    for (size_t i = 0; i < v.size(); ++i) StoreLe(bytes.data() + 4 * i, v[i]);
    Own(kind, std::move(bytes));
  }
  // A string table: count + 1 offsets and the concatenated bytes of get(0) .. get(count - 1).
  template <typename Get>
  void Strings(uint32_t offsets_kind, uint32_t bytes_kind, size_t count, Get get) {
    std::vector<uint32_t> offsets{0};
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < count; ++i) {
      const std::string_view s = get(i);
      bytes.insert(bytes.end(), s.begin(), s.end());
      if (bytes.size() > UINT32_MAX) throw Error(ErrorCode::kInvalidArgument, "catalogue too large");
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
    }
    U32s(offsets_kind, offsets);
    Own(bytes_kind, std::move(bytes));
  }
  // In the file's order: ascending kinds.
  std::vector<fmt::SectionBytes> Sorted() const {
    std::vector<fmt::SectionBytes> out = sections_;
    std::sort(out.begin(), out.end(),
              [](const fmt::SectionBytes& a, const fmt::SectionBytes& b) { return a.kind < b.kind; });
    return out;
  }

 private:
  std::deque<std::vector<uint8_t>> owned_;  // a deque: adding never moves what is held
  std::vector<fmt::SectionBytes> sections_;
};

}  // namespace

CatalogBuilder::CatalogBuilder(size_t dims, const Fingerprint& fingerprint,
                               CatalogBuilderOptions options)
    : dims_(dims), fingerprint_(fingerprint), options_(options) {
  if (dims == 0 || dims > fmt::kMaxDims) {
    throw Error(ErrorCode::kInvalidArgument, "dims must be in 1.." + std::to_string(fmt::kMaxDims) +
                                                 ", got " + std::to_string(dims));
  }
}

void CatalogBuilder::Add(const CatalogItem& item) {
  // Everything is checked before any member changes, so a throw leaves the builder as it was.
  const std::string where = "item " + std::to_string(ids_.size());
  if (ids_.size() >= fmt::kMaxItems) throw Error(ErrorCode::kInvalidArgument, "too many items");
  if (item.id.empty()) throw Error(ErrorCode::kInvalidArgument, where + ": the id is empty");
  if (item.id.size() > fmt::kMaxIdBytes) {
    throw Error(ErrorCode::kInvalidArgument, where + ": the id is longer than 4096 bytes");
  }
  CheckUtf8(item.id, where + " id");
  const std::string id(item.id);
  if (id_set_.count(id) != 0) {
    throw Error(ErrorCode::kInvalidArgument, "duplicate id '" + id + "'");
  }
  if (item.vector.size() != dims_) {
    throw Error(ErrorCode::kInvalidArgument, "item '" + id + "' has " +
                                                 std::to_string(item.vector.size()) +
                                                 " dimensions, expected " + std::to_string(dims_));
  }
  double norm2 = 0.0;
  for (size_t d = 0; d < dims_; ++d) {
    if (!std::isfinite(item.vector[d])) {
      throw Error(ErrorCode::kInvalidArgument,
                  "item '" + id + "' has a NaN or infinite value at dimension " + std::to_string(d));
    }
    norm2 += static_cast<double>(item.vector[d]) * item.vector[d];
  }
  // Ranking is by dot product with unit queries, so it assumes item vectors of length at most 1
  // (what sentence encoders give after L2 normalisation): one vector of length 1e30 would rank
  // first for every user (issue 14). Shorter ones can only rank lower (a zero vector is an item
  // without an embedding), so they are accepted; float rounding stays far inside the tolerance.
  if (!(std::sqrt(norm2) <= 1.0 + CatalogBuilder::kUnitNormTolerance)) {
    throw Error(ErrorCode::kInvalidArgument,
                "item '" + id + "' has a vector of length " + std::to_string(std::sqrt(norm2)) +
                    "; catalogue vectors must be L2-normalised (length at most 1.01)");
  }
  std::string metadata;
  if (!item.metadata_json.empty()) {
    CheckUtf8(item.metadata_json, "metadata of item '" + id + "'");
    const nlohmann::json j = nlohmann::json::parse(item.metadata_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw Error(ErrorCode::kInvalidArgument, "metadata of item '" + id + "' is not a JSON object");
    }
    if (j.contains("tags")) {
      throw Error(ErrorCode::kInvalidArgument,
                  "metadata of item '" + id + "': pass tags separately, not in the JSON");
    }
    for (const char* key : {"title", "url", "text"}) {
      auto it = j.find(key);
      if (it != j.end() && !it->is_string()) {
        throw Error(ErrorCode::kInvalidArgument,
                    "metadata of item '" + id + "': \"" + key + "\" must be a string");
      }
    }
    if (!j.empty()) metadata = j.dump();  // compact, keys sorted: one canonical encoding
  }
  for (const std::string& t : item.tags) {
    if (t.empty() || t.size() > fmt::kMaxTagBytes) {
      throw Error(ErrorCode::kInvalidArgument,
                  "item '" + id + "' has an empty tag or one longer than 1024 bytes");
    }
    CheckUtf8(t, "a tag of item '" + id + "'");
  }
  std::vector<std::string> terms = AnalyzeTerms(item.text);  // throws on invalid UTF-8
  for (const std::string& t : terms) {
    if (t.size() > fmt::kMaxTermBytes) {
      throw Error(ErrorCode::kInvalidArgument, "item '" + id + "' has a word longer than 1024 bytes");
    }
  }

  // Commit.
  const size_t row = scales_.size();
  vectors_i8_.resize(vectors_i8_.size() + fmt::StrideI8(dims_));
  scales_.push_back(0.0f);
  if (options_.precision == VectorPrecision::kInt8) {
    refinement_bits_.resize(refinement_bits_.size() + fmt::StrideBits(dims_));
  }
  if (options_.precision == VectorPrecision::kInt8Residual) {
    residual_i8_.resize(vectors_i8_.size());
    residual_scales_.push_back(0.0f);
  }
  if (Shaped() && !direction_fixed_) {
    pending_.insert(pending_.end(), item.vector.begin(), item.vector.end());
    if (pending_.size() == fmt::kShapingItems * dims_) FixDirection();
  } else {
    QuantizeRow(row, item.vector);
  }
  if (options_.precision == VectorPrecision::kFloat32) {
    vectors_f32_.insert(vectors_f32_.end(), item.vector.begin(), item.vector.end());
    vectors_f32_.resize(vectors_f32_.size() + (fmt::StrideF32(dims_) - dims_), 0.0f);
  }
  ids_.push_back(id);
  id_set_.insert(id);
  metadata_.push_back(std::move(metadata));

  std::vector<uint32_t> tag_ids;
  for (const std::string& t : item.tags) {
    auto [it, inserted] = tag_ids_.try_emplace(t, static_cast<uint32_t>(tag_ids_.size()));
    tag_ids.push_back(it->second);
  }
  std::sort(tag_ids.begin(), tag_ids.end());
  tag_ids.erase(std::unique(tag_ids.begin(), tag_ids.end()), tag_ids.end());
  item_tags_.push_back(std::move(tag_ids));

  std::vector<std::pair<uint32_t, uint32_t>> counts;
  {
    std::unordered_map<uint32_t, uint32_t> tf;
    for (const std::string& t : terms) {
      auto [it, inserted] = term_ids_.try_emplace(t, static_cast<uint32_t>(term_ids_.size()));
      ++tf[it->second];
    }
    counts.assign(tf.begin(), tf.end());
  }
  if (!terms.empty() || !item.text.empty()) any_text_ = true;
  item_terms_.push_back(std::move(counts));
}

bool CatalogBuilder::Shaped() const {
  return options_.rounding == Rounding::kShaped &&
         (options_.precision == VectorPrecision::kInt8 ||
          options_.precision == VectorPrecision::kInt8Compact);
}

void CatalogBuilder::QuantizeRow(size_t row, std::span<const float> v) {
  const size_t stride = fmt::StrideI8(dims_);
  const std::span<int8_t> codes(vectors_i8_.data() + row * stride, stride);
  if (options_.precision == VectorPrecision::kInt8 ||
      options_.precision == VectorPrecision::kInt8Compact) {
    ItemQuantizer how;
    if (Shaped()) how.direction = direction_;
    how.refinement_bits = options_.precision == VectorPrecision::kInt8;
    const size_t bits_stride = how.refinement_bits ? fmt::StrideBits(dims_) : 0;
    const std::span<uint8_t> bits(refinement_bits_.data() + row * bits_stride, bits_stride);
    scales_[row] = QuantizeItem(v, how, codes, bits);
    return;
  }
  // Residual and f32 catalogues rescore with their precise form; their int8 codes only feed the
  // scan and stay the nearest rounding (the f32 check of the loader relies on it).
  const float scale = QuantizeInt8(v, codes);
  scales_[row] = scale;
  if (options_.precision == VectorPrecision::kInt8Residual) {
    // Second-level quantisation of what the first level missed (at most scale / 2 per
    // component), so rescoring sees the vector with ~1/250 of the int8 error.
    std::vector<float> residual(dims_);
    for (size_t d = 0; d < dims_; ++d) residual[d] = v[d] - static_cast<float>(codes[d]) * scale;
    residual_scales_[row] =
        QuantizeInt8(residual, std::span<int8_t>(residual_i8_.data() + row * stride, stride));
  }
}

void CatalogBuilder::FixDirection() {
  // The mean direction of the waiting vectors, summed in item order in double (the same bytes
  // on every platform). A zero mean leaves plain rounding.
  const size_t count = pending_.size() / dims_;
  std::vector<double> sum(dims_, 0.0);
  for (size_t r = 0; r < count; ++r) {
    for (size_t d = 0; d < dims_; ++d) sum[d] += pending_[r * dims_ + d];
  }
  double norm = 0.0;
  for (double x : sum) norm += x * x;
  norm = std::sqrt(norm);
  direction_.clear();
  if (norm > 0.0) {
    for (double x : sum) direction_.push_back(x / norm);
  }
  direction_fixed_ = true;
  const size_t first = scales_.size() - count;  // the pending items are the last `count` rows
  for (size_t r = 0; r < count; ++r) {
    QuantizeRow(first + r, std::span<const float>(pending_.data() + r * dims_, dims_));
  }
  std::vector<float>().swap(pending_);
}

AlignedBuffer CatalogBuilder::Finish() {
  const size_t n = ids_.size();
  if (Shaped() && !direction_fixed_) FixDirection();
  SectionList sections;

  sections.View(fmt::kVectorsI8, vectors_i8_.data(), vectors_i8_.size());
  sections.View(fmt::kScales, scales_.data(), scales_.size() * 4);
  if (options_.precision == VectorPrecision::kInt8Residual) {
    sections.View(fmt::kResidualI8, residual_i8_.data(), residual_i8_.size());
    sections.View(fmt::kResidualScales, residual_scales_.data(), residual_scales_.size() * 4);
  }
  if (options_.precision == VectorPrecision::kFloat32) {
    sections.View(fmt::kVectorsF32, vectors_f32_.data(), vectors_f32_.size() * 4);
  }
  if (options_.precision == VectorPrecision::kInt8) {
    sections.View(fmt::kRefinementBits, refinement_bits_.data(), refinement_bits_.size());
  }

  sections.Strings(fmt::kIdOffsets, fmt::kIdBytes, n, [&](size_t i) { return std::string_view(ids_[i]); });
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
  sections.U32s(fmt::kIdOrder, order);

  if (std::any_of(metadata_.begin(), metadata_.end(), [](const std::string& m) { return !m.empty(); })) {
    sections.Strings(fmt::kMetaOffsets, fmt::kMetaBytes, n,
                     [&](size_t i) { return std::string_view(metadata_[i]); });
  }

  if (!tag_ids_.empty()) {
    const SortedVocabulary vocab = SortVocabulary(tag_ids_);
    sections.Strings(fmt::kTagOffsets, fmt::kTagBytes, vocab.names.size(),
                     [&](size_t t) { return vocab.names[t]; });
    std::vector<uint32_t> offsets{0}, ids;
    for (const auto& tags : item_tags_) {
      std::vector<uint32_t> mapped;
      for (uint32_t t : tags) mapped.push_back(vocab.remap[t]);
      std::sort(mapped.begin(), mapped.end());
      ids.insert(ids.end(), mapped.begin(), mapped.end());
      offsets.push_back(static_cast<uint32_t>(ids.size()));
    }
    sections.U32s(fmt::kItemTagOffsets, offsets);
    sections.U32s(fmt::kItemTagIds, ids);
  }

  if (any_text_) {
    const SortedVocabulary vocab = SortVocabulary(term_ids_);
    sections.Strings(fmt::kTermOffsets, fmt::kTermBytes, vocab.names.size(),
                     [&](size_t t) { return vocab.names[t]; });
    std::vector<uint32_t> df(vocab.names.size(), 0), offsets{0}, lengths;
    std::vector<uint8_t> stream;  // per item: LEB128 (term id delta, tf) pairs
    for (auto& terms : item_terms_) {
      for (auto& [t, tf] : terms) t = vocab.remap[t];
      std::sort(terms.begin(), terms.end());
      uint32_t prev = 0, length = 0;
      for (size_t j = 0; j < terms.size(); ++j) {
        AppendLeb128(j == 0 ? terms[j].first : terms[j].first - prev, &stream);
        AppendLeb128(terms[j].second, &stream);
        prev = terms[j].first;
        length += terms[j].second;
        ++df[terms[j].first];
      }
      if (stream.size() > UINT32_MAX) throw Error(ErrorCode::kInvalidArgument, "catalogue too large");
      offsets.push_back(static_cast<uint32_t>(stream.size()));
      lengths.push_back(length);
    }
    sections.U32s(fmt::kTermDocFreq, df);
    sections.U32s(fmt::kItemTermOffsets, offsets);
    sections.Own(fmt::kItemTerms, std::move(stream));
    sections.U32s(fmt::kDocLengths, lengths);
  }

  AlignedBuffer out = fmt::WriteFile(static_cast<uint32_t>(dims_), n, fingerprint_, sections.Sorted());
  *this = CatalogBuilder(dims_, fingerprint_, options_);  // empty, ready for reuse
  return out;
}

}  // namespace localrec
