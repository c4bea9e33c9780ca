#include "core/catalog/catalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>

#include "core/catalog/format.h"
#include "core/catalog/quantize.h"
#include "core/common/byte_io.h"
#include "core/common/checksum.h"
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/text/analyzer.h"

namespace localrec {

namespace fmt = catalog_format;

namespace {

[[noreturn]] void Corrupt(const std::string& message) {
  throw Error(ErrorCode::kCorruptData, "corrupt catalogue: " + message);
}

const char* SectionName(uint32_t kind) {
  switch (kind) {
    case fmt::kVectorsI8: return "int8 vectors";
    case fmt::kScales: return "scales";
    case fmt::kResidualI8: return "int8 residuals";
    case fmt::kResidualScales: return "residual scales";
    case fmt::kVectorsF32: return "f32 vectors";
    case fmt::kIdOffsets: return "id offsets";
    case fmt::kIdBytes: return "id bytes";
    case fmt::kIdOrder: return "id order";
    case fmt::kMetaOffsets: return "metadata offsets";
    case fmt::kMetaBytes: return "metadata bytes";
    case fmt::kTagOffsets: return "tag offsets";
    case fmt::kTagBytes: return "tag bytes";
    case fmt::kItemTagOffsets: return "item tag offsets";
    case fmt::kItemTagIds: return "item tag ids";
    case fmt::kTermOffsets: return "term offsets";
    case fmt::kTermBytes: return "term bytes";
    case fmt::kTermDocFreq: return "term document frequencies";
    case fmt::kItemTermOffsets: return "item term offsets";
    case fmt::kItemTerms: return "item terms";
    case fmt::kDocLengths: return "document lengths";
    case fmt::kRefinementBits: return "refinement bits";
    default: return "unknown";
  }
}

uint32_t ElemBytes(uint32_t kind) {
  switch (kind) {
    case fmt::kVectorsI8: case fmt::kResidualI8: case fmt::kIdBytes: case fmt::kMetaBytes: case fmt::kTagBytes:
    case fmt::kTermBytes: case fmt::kItemTerms: case fmt::kRefinementBits:
      return 1;
    default:
      return 4;
  }
}

struct Section {
  const uint8_t* data = nullptr;
  uint64_t bytes = 0;
  bool present = false;
  uint64_t count(uint32_t kind) const { return bytes / ElemBytes(kind); }
};

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

std::string_view Slice(const char* bytes, const uint32_t* offsets, size_t i) {
  return {bytes + offsets[i], offsets[i + 1] - offsets[i]};
}

// A string table (vocabulary) must hold non-empty valid UTF-8 strings in strictly increasing
// byte order, so lookups can binary-search it.
void CheckSortedStrings(const char* bytes, const uint32_t* offsets, size_t n, size_t max_bytes,
                        const char* what) {
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = Slice(bytes, offsets, i);
    if (s.empty()) Corrupt(std::string(what) + " " + std::to_string(i) + " is empty");
    if (s.size() > max_bytes) Corrupt(std::string(what) + " " + std::to_string(i) + " is too long");
    if (FindInvalidUtf8(s) != std::string_view::npos) {
      Corrupt(std::string(what) + " " + std::to_string(i) + " is not valid UTF-8");
    }
    if (i > 0 && !(Slice(bytes, offsets, i - 1) < s)) {
      Corrupt(std::string(what) + "s are not sorted and unique at " + std::to_string(i));
    }
  }
}

std::optional<uint32_t> FindSorted(const char* bytes, const uint32_t* offsets, size_t n,
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

// Validates one item's metadata JSON without building a document (loading is on the critical
// path of a page): an object at the top, no "tags" key, and string title/url/text.
struct MetadataChecker {
  int depth = 0;
  bool started = false;
  bool expect_string = false;  // the value of title/url/text comes next
  std::string error;

  bool Value(bool is_string) {
    if (!started) return Fail("is not a JSON object");
    if (depth == 1 && expect_string && !is_string) return Fail("title, url and text must be strings");
    expect_string = false;
    return true;
  }
  bool Fail(const std::string& message) {
    if (error.empty()) error = message;
    return false;
  }
  bool null() { return Value(false); }
  bool boolean(bool) { return Value(false); }
  bool number_integer(int64_t) { return Value(false); }
  bool number_unsigned(uint64_t) { return Value(false); }
  bool number_float(double, const std::string&) { return Value(false); }
  bool string(std::string&) { return Value(true); }
  bool binary(std::vector<uint8_t>&) { return Value(false); }
  bool start_object(size_t) {
    if (started && !Value(false)) return false;
    started = true;
    ++depth;
    return true;
  }
  bool end_object() {
    --depth;
    return true;
  }
  bool start_array(size_t) {
    if (!Value(false)) return false;
    ++depth;
    return true;
  }
  bool end_array() {
    --depth;
    return true;
  }
  bool key(std::string& k) {
    if (depth != 1) return true;
    if (k == "tags") return Fail("has a \"tags\" key (tags have their own section)");
    expect_string = k == "title" || k == "url" || k == "text";
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) {
    return Fail("is not valid JSON");
  }
};

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

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

// ---- Loading ---------------------------------------------------------------------------------

Catalog Catalog::FromBytes(std::string_view bytes) {
  return FromBuffer(AlignedBuffer::CopyOf(bytes));
}

Catalog Catalog::FromBuffer(AlignedBuffer buffer) {
  Catalog catalog;
  catalog.buffer_ = std::move(buffer);
  catalog.Load();
  return catalog;
}

void Catalog::Load() {
  const uint8_t* file = buffer_.data();
  const uint64_t file_size = buffer_.size();

  // 1. Envelope: magic, version, length, checksum. Checked before anything is interpreted.
  if (file_size < fmt::kHeaderBytes + fmt::kTrailerBytes) {
    if (file_size >= fmt::kMagic.size() &&
        std::memcmp(file, fmt::kMagic.data(), fmt::kMagic.size()) != 0) {
      Corrupt("not a localrec catalogue (bad magic bytes)");
    }
    Corrupt("truncated: " + std::to_string(file_size) + " bytes is shorter than the " +
            std::to_string(fmt::kHeaderBytes + fmt::kTrailerBytes) + "-byte minimum");
  }
  if (std::memcmp(file, fmt::kMagic.data(), fmt::kMagic.size()) != 0) {
    Corrupt("not a localrec catalogue (bad magic bytes)");
  }
  const uint32_t version = LoadLe<uint32_t>(file + fmt::kOffVersion);
  if (version < fmt::kOldestVersion || version > fmt::kVersion) {
    throw Error(ErrorCode::kUnsupported, "catalogue format version " + std::to_string(version) +
                                             " is not supported (this build reads versions " +
                                             std::to_string(fmt::kOldestVersion) + " to " +
                                             std::to_string(fmt::kVersion) + ")");
  }
  const uint32_t max_kind = version == 1 ? fmt::kMaxSectionKindV1 : fmt::kMaxSectionKind;
  const uint64_t declared = LoadLe<uint64_t>(file + fmt::kOffFileBytes);
  if (declared != file_size) {
    if (declared > file_size) {
      Corrupt("truncated: the header says " + std::to_string(declared) + " bytes, got " +
              std::to_string(file_size));
    }
    Corrupt("the header says " + std::to_string(declared) + " bytes but the data has " +
            std::to_string(file_size) + " (trailing bytes)");
  }
  const uint8_t* trailer = file + file_size - fmt::kTrailerBytes;
  if (std::memcmp(trailer + 4, fmt::kTrailerMagic.data(), 4) != 0) {
    Corrupt("bad end marker (truncated or overwritten)");
  }
  const uint32_t stored_crc = LoadLe<uint32_t>(trailer);
  const uint32_t crc = Crc32c(std::string_view(reinterpret_cast<const char*>(file),
                                               file_size - fmt::kTrailerBytes));
  if (crc != stored_crc) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "checksum mismatch (stored %08x, computed %08x)", stored_crc,
                  crc);
    Corrupt(buf);
  }

  // 2. Header fields.
  if (LoadLe<uint32_t>(file + fmt::kOffFlags) != 0 || LoadLe<uint64_t>(file + fmt::kOffReserved) != 0) {
    Corrupt("reserved header fields are not zero");
  }
  const uint32_t dims = LoadLe<uint32_t>(file + fmt::kOffDims);
  if (dims == 0 || dims > fmt::kMaxDims) {
    Corrupt("dimension " + std::to_string(dims) + " is out of range 1.." +
            std::to_string(fmt::kMaxDims));
  }
  const uint64_t n = LoadLe<uint64_t>(file + fmt::kOffItemCount);
  if (n > fmt::kMaxItems) Corrupt("item count " + std::to_string(n) + " is too large");
  std::memcpy(fingerprint_.data(), file + fmt::kOffFingerprint, 32);
  const uint32_t section_count = LoadLe<uint32_t>(file + fmt::kOffSectionCount);
  if (section_count > max_kind) {
    Corrupt("section count " + std::to_string(section_count) + " is too large");
  }
  dims_ = dims;
  size_ = static_cast<size_t>(n);
  stride_i8_ = fmt::StrideI8(dims);
  stride_f32_ = fmt::StrideF32(dims);
  stride_bits_ = fmt::StrideBits(dims);

  // 3. Section table: kinds ascending and known, sizes whole elements, canonical placement
  // (each section at the next 64-byte boundary, zero padding in between), trailer right after.
  const uint64_t table_end = fmt::kHeaderBytes + uint64_t{section_count} * fmt::kSectionEntryBytes;
  const uint64_t body_end = file_size - fmt::kTrailerBytes;
  if (table_end > body_end) Corrupt("the section table runs past the end of the file");
  Section sections[fmt::kMaxSectionKind + 1];
  uint64_t expected_offset = fmt::AlignUp(table_end, fmt::kSectionAlignment);
  uint64_t prev_end = table_end;
  uint32_t prev_kind = 0;
  for (uint32_t s = 0; s < section_count; ++s) {
    const uint8_t* entry = file + fmt::kHeaderBytes + uint64_t{s} * fmt::kSectionEntryBytes;
    const uint32_t kind = LoadLe<uint32_t>(entry);
    const uint32_t elem = LoadLe<uint32_t>(entry + 4);
    const uint64_t offset = LoadLe<uint64_t>(entry + 8);
    const uint64_t bytes = LoadLe<uint64_t>(entry + 16);
    if (kind == 0 || kind > max_kind) {
      Corrupt("unknown section kind " + std::to_string(kind) +
              (kind <= fmt::kMaxSectionKind ? " in a version " + std::to_string(version) + " file"
                                            : std::string()));
    }
    if (kind <= prev_kind) Corrupt("sections are out of order or repeated at entry " + std::to_string(s));
    if (elem != ElemBytes(kind)) Corrupt(std::string(SectionName(kind)) + ": wrong element size");
    if (offset != expected_offset) {
      Corrupt(std::string(SectionName(kind)) + " section is at offset " + std::to_string(offset) +
              ", expected " + std::to_string(expected_offset));
    }
    if (bytes > body_end || offset > body_end - bytes) {
      Corrupt(std::string(SectionName(kind)) + " section runs past the end of the file");
    }
    if (bytes % elem != 0) Corrupt(std::string(SectionName(kind)) + ": size is not whole elements");
    if (!AllZero(file + prev_end, offset - prev_end)) Corrupt("non-zero padding before " + std::string(SectionName(kind)));
    sections[kind] = Section{file + offset, bytes, true};
    prev_kind = kind;
    prev_end = offset + bytes;
    expected_offset = fmt::AlignUp(prev_end, fmt::kSectionAlignment);
  }
  if (fmt::AlignUp(prev_end, fmt::kSectionAlignment) != body_end) {
    Corrupt("the checksum is not at the 64-byte boundary after the last section");
  }
  if (!AllZero(file + prev_end, body_end - prev_end)) Corrupt("non-zero padding before the checksum");

  auto require = [&](uint32_t kind, uint64_t count) -> const uint8_t* {
    const Section& sec = sections[kind];
    if (!sec.present) Corrupt(std::string("missing section: ") + SectionName(kind));
    if (sec.count(kind) != count) {
      Corrupt(std::string(SectionName(kind)) + " has " + std::to_string(sec.count(kind)) +
              " entries, expected " + std::to_string(count));
    }
    return sec.data;
  };
  auto group_present = [&](std::initializer_list<uint32_t> kinds) {
    size_t present = 0;
    for (uint32_t k : kinds) present += sections[k].present ? 1 : 0;
    if (present != 0 && present != kinds.size()) {
      Corrupt(std::string("incomplete group of sections around ") + SectionName(*kinds.begin()));
    }
    return present != 0;
  };

  // 4. Vectors.
  auto check_int8 = [&](const int8_t* rows, const float* scales, const char* what) {
    for (size_t i = 0; i < size_; ++i) {
      const float s = scales[i];
      if (!std::isfinite(s) || s < 0.0f) {
        Corrupt("item " + std::to_string(i) + " has an invalid " + what + " scale (" +
                std::to_string(s) + ")");
      }
      // Branch-free over the row (the compiler vectorises it); the rare failure is located after.
      const int8_t* row = rows + i * stride_i8_;
      uint8_t bad = 0;
      for (size_t d = 0; d < dims_; ++d) bad |= static_cast<uint8_t>(row[d] == -128);
      uint8_t padding = 0;
      for (size_t d = dims_; d < stride_i8_; ++d) padding |= static_cast<uint8_t>(row[d]);
      if (bad) Corrupt("item " + std::to_string(i) + " has the " + what + " value -128");
      if (padding) Corrupt("item " + std::to_string(i) + " has non-zero " + what + " row padding");
    }
  };
  vectors_i8_ = reinterpret_cast<const int8_t*>(require(fmt::kVectorsI8, n * stride_i8_));
  scales_ = reinterpret_cast<const float*>(require(fmt::kScales, n));
  check_int8(vectors_i8_, scales_, "int8");
  if (group_present({fmt::kResidualI8, fmt::kResidualScales})) {
    residual_i8_ = reinterpret_cast<const int8_t*>(require(fmt::kResidualI8, n * stride_i8_));
    residual_scales_ = reinterpret_cast<const float*>(require(fmt::kResidualScales, n));
    check_int8(residual_i8_, residual_scales_, "residual");
  }
  if (sections[fmt::kRefinementBits].present) {
    // One refinement of the int8 rows at a time: rescoring uses exactly one precise form.
    if (residual_i8_ != nullptr || sections[fmt::kVectorsF32].present) {
      Corrupt("refinement bits cannot be combined with residual or f32 vectors");
    }
    refinement_bits_ = require(fmt::kRefinementBits, n * stride_bits_);
    if (dims_ % 8 != 0 || stride_bits_ * 8 != dims_) {
      // Bits of the padding columns [dims, stride) are zero, like the int8 row padding.
      for (size_t i = 0; i < size_; ++i) {
        const uint8_t* row = refinement_bits(i);
        uint8_t padding = static_cast<uint8_t>(row[dims_ / 8] & ~((1u << (dims_ % 8)) - 1u));
        for (size_t b = dims_ / 8 + 1; b < stride_bits_; ++b) padding |= row[b];
        if (padding) Corrupt("item " + std::to_string(i) + " has non-zero refinement bit padding");
      }
    }
  }
  if (sections[fmt::kVectorsF32].present) {
    vectors_f32_ = reinterpret_cast<const float*>(require(fmt::kVectorsF32, n * stride_f32_));
    for (size_t i = 0; i < size_; ++i) {
      const float* row = vector_f32(i);
      const int8_t* q = vector_i8(i);
      const float s = scales_[i];
      for (size_t d = 0; d < stride_f32_; ++d) {
        if (d >= dims_) {
          if (row[d] != 0.0f || std::signbit(row[d])) Corrupt("item " + std::to_string(i) + " has non-zero f32 row padding");
          continue;
        }
        if (!std::isfinite(row[d])) {
          Corrupt("item " + std::to_string(i) + " has a NaN or infinite f32 vector component");
        }
        // The int8 row must be the quantisation of the f32 row (format spec: within half a step).
        if (std::fabs(row[d] - static_cast<float>(q[d]) * s) > 0.501f * s + 1e-30f) {
          Corrupt("item " + std::to_string(i) + ": int8 and f32 vectors disagree at dimension " +
                  std::to_string(d));
        }
      }
    }
  }

  // 5. Ids: offsets, UTF-8, length, and an order section that sorts them strictly (so unique).
  id_offsets_ = reinterpret_cast<const uint32_t*>(require(fmt::kIdOffsets, n + 1));
  const Section& id_bytes = sections[fmt::kIdBytes];
  if (!id_bytes.present) Corrupt("missing section: id bytes");
  id_bytes_ = reinterpret_cast<const char*>(id_bytes.data);
  CheckOffsets(id_offsets_, n, id_bytes.bytes, "id offsets");
  for (size_t i = 0; i < size_; ++i) {
    const std::string_view s = id(i);
    if (s.empty()) Corrupt("item " + std::to_string(i) + " has an empty id");
    if (s.size() > fmt::kMaxIdBytes) Corrupt("item " + std::to_string(i) + " has an id longer than 4096 bytes");
    if (FindInvalidUtf8(s) != std::string_view::npos) {
      Corrupt("item " + std::to_string(i) + " has an id that is not valid UTF-8");
    }
  }
  id_order_ = reinterpret_cast<const uint32_t*>(require(fmt::kIdOrder, n));
  {
    std::vector<bool> seen(size_, false);
    for (size_t r = 0; r < size_; ++r) {
      const uint32_t i = id_order_[r];
      if (i >= size_ || seen[i]) Corrupt("the id order is not a permutation of the items");
      seen[i] = true;
      if (r > 0) {
        const std::string_view prev = id(id_order_[r - 1]), cur = id(i);
        if (prev == cur) Corrupt("duplicate id '" + std::string(cur) + "'");
        if (!(prev < cur)) Corrupt("the id order is not sorted at position " + std::to_string(r));
      }
    }
  }

  // 6. Metadata: each entry empty or a JSON object (without "tags", which have their section)
  // whose title/url/text, when present, are strings.
  if (group_present({fmt::kMetaOffsets, fmt::kMetaBytes})) {
    meta_offsets_ = reinterpret_cast<const uint32_t*>(require(fmt::kMetaOffsets, n + 1));
    meta_bytes_ = reinterpret_cast<const char*>(sections[fmt::kMetaBytes].data);
    CheckOffsets(meta_offsets_, n, sections[fmt::kMetaBytes].bytes, "metadata offsets");
    for (size_t i = 0; i < size_; ++i) {
      const std::string_view m = metadata_json(i);
      if (m.empty()) continue;
      if (FindInvalidUtf8(m) != std::string_view::npos) {
        Corrupt("metadata of item " + std::to_string(i) + " is not valid UTF-8");
      }
      MetadataChecker checker;
      if (!nlohmann::json::sax_parse(m, &checker, nlohmann::json::input_format_t::json, true) ||
          !checker.error.empty()) {
        Corrupt("metadata of item " + std::to_string(i) + (checker.error.empty()
                                                               ? std::string(" is not a JSON object")
                                                               : ": " + checker.error));
      }
    }
  }

  // 7. Tags: a sorted vocabulary and strictly increasing tag ids per item.
  if (group_present({fmt::kTagOffsets, fmt::kTagBytes, fmt::kItemTagOffsets, fmt::kItemTagIds})) {
    const Section& offs = sections[fmt::kTagOffsets];
    if (offs.count(fmt::kTagOffsets) == 0) Corrupt("tag offsets are empty");
    tag_count_ = offs.count(fmt::kTagOffsets) - 1;
    tag_offsets_ = reinterpret_cast<const uint32_t*>(offs.data);
    tag_bytes_ = reinterpret_cast<const char*>(sections[fmt::kTagBytes].data);
    CheckOffsets(tag_offsets_, tag_count_, sections[fmt::kTagBytes].bytes, "tag offsets");
    CheckSortedStrings(tag_bytes_, tag_offsets_, tag_count_, fmt::kMaxTagBytes, "tag");
    item_tag_offsets_ = reinterpret_cast<const uint32_t*>(require(fmt::kItemTagOffsets, n + 1));
    item_tag_ids_ = reinterpret_cast<const uint32_t*>(sections[fmt::kItemTagIds].data);
    CheckOffsets(item_tag_offsets_, n, sections[fmt::kItemTagIds].count(fmt::kItemTagIds),
                 "item tag offsets");
    for (size_t i = 0; i < size_; ++i) {
      const auto tags = item_tags(i);
      for (size_t j = 0; j < tags.size(); ++j) {
        if (tags[j] >= tag_count_) Corrupt("item " + std::to_string(i) + " has an out-of-range tag id");
        if (j > 0 && tags[j] <= tags[j - 1]) {
          Corrupt("tag ids of item " + std::to_string(i) + " are not strictly increasing");
        }
      }
    }
  }

  // 8. Lexical part: sorted vocabulary, per-item varint (term delta, tf) lists, document
  // frequencies and lengths that agree with the lists. The inverted index is built here.
  if (group_present({fmt::kTermOffsets, fmt::kTermBytes, fmt::kTermDocFreq, fmt::kItemTermOffsets,
                     fmt::kItemTerms, fmt::kDocLengths})) {
    const Section& offs = sections[fmt::kTermOffsets];
    if (offs.count(fmt::kTermOffsets) == 0) Corrupt("term offsets are empty");
    term_count_ = offs.count(fmt::kTermOffsets) - 1;
    term_offsets_ = reinterpret_cast<const uint32_t*>(offs.data);
    term_bytes_ = reinterpret_cast<const char*>(sections[fmt::kTermBytes].data);
    CheckOffsets(term_offsets_, term_count_, sections[fmt::kTermBytes].bytes, "term offsets");
    CheckSortedStrings(term_bytes_, term_offsets_, term_count_, fmt::kMaxTermBytes, "term");
    term_df_ = reinterpret_cast<const uint32_t*>(require(fmt::kTermDocFreq, term_count_));
    item_term_offsets_ = reinterpret_cast<const uint32_t*>(require(fmt::kItemTermOffsets, n + 1));
    item_terms_ = sections[fmt::kItemTerms].data;
    CheckOffsets(item_term_offsets_, n, sections[fmt::kItemTerms].bytes, "item term offsets");
    doc_lengths_ = reinterpret_cast<const uint32_t*>(require(fmt::kDocLengths, n));

    std::vector<uint32_t> df(term_count_, 0);
    uint64_t total_length = 0;
    uint64_t total_postings = 0;
    // First pass: validate and count; second pass (below) fills the postings.
    for (size_t i = 0; i < size_; ++i) {
      const uint8_t* p = item_terms_ + item_term_offsets_[i];
      const uint8_t* end = item_terms_ + item_term_offsets_[i + 1];
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
        if (term >= term_count_) Corrupt("item " + std::to_string(i) + " has an out-of-range term id");
        if (tf == 0) Corrupt("item " + std::to_string(i) + " has a zero term frequency");
        ++df[term];
        length += tf;
        ++total_postings;
      }
      if (length != doc_lengths_[i]) {
        Corrupt("document length of item " + std::to_string(i) + " is " +
                std::to_string(doc_lengths_[i]) + " but its terms add up to " + std::to_string(length));
      }
      total_length += length;
    }
    for (size_t t = 0; t < term_count_; ++t) {
      if (df[t] != term_df_[t]) {
        Corrupt("document frequency of term '" + std::string(term(t)) + "' is " +
                std::to_string(term_df_[t]) + " but " + std::to_string(df[t]) + " items contain it");
      }
    }
    average_doc_length_ = size_ == 0 ? 0.0 : static_cast<double>(total_length) / static_cast<double>(size_);

    posting_offsets_.assign(term_count_ + 1, 0);
    for (size_t t = 0; t < term_count_; ++t) posting_offsets_[t + 1] = posting_offsets_[t] + df[t];
    posting_items_.resize(total_postings);
    posting_tfs_.resize(total_postings);
    std::vector<uint32_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
    for (size_t i = 0; i < size_; ++i) {
      const uint8_t* p = item_terms_ + item_term_offsets_[i];
      const uint8_t* end = item_terms_ + item_term_offsets_[i + 1];
      uint32_t t = 0, delta = 0, tf = 0;
      for (bool first = true; p < end; first = false) {
        ReadLeb128(p, end, &delta);  // validated above
        ReadLeb128(p, end, &tf);
        t = first ? delta : t + delta;
        posting_items_[fill[t]] = static_cast<uint32_t>(i);
        posting_tfs_[fill[t]] = tf;
        ++fill[t];
      }
    }
  }
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

std::string_view Catalog::id(size_t i) const { return Slice(id_bytes_, id_offsets_, i); }

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
  return Slice(meta_bytes_, meta_offsets_, i);
}

std::string_view Catalog::tag(size_t t) const { return Slice(tag_bytes_, tag_offsets_, t); }

std::optional<uint32_t> Catalog::FindTag(std::string_view key) const {
  if (tag_offsets_ == nullptr) return std::nullopt;
  return FindSorted(tag_bytes_, tag_offsets_, tag_count_, key);
}

std::span<const uint32_t> Catalog::item_tags(size_t i) const {
  if (item_tag_offsets_ == nullptr) return {};
  return {item_tag_ids_ + item_tag_offsets_[i], item_tag_offsets_[i + 1] - item_tag_offsets_[i]};
}

std::string_view Catalog::term(size_t t) const { return Slice(term_bytes_, term_offsets_, t); }

std::optional<uint32_t> Catalog::FindTerm(std::string_view key) const {
  if (term_offsets_ == nullptr) return std::nullopt;
  return FindSorted(term_bytes_, term_offsets_, term_count_, key);
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

// ---- Building --------------------------------------------------------------------------------

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

  // Sorted vocabularies: provisional (first-seen) ids -> final (sorted) ids.
  auto sorted_vocab = [](const std::unordered_map<std::string, uint32_t>& vocab,
                         std::vector<std::string_view>* names) {
    names->clear();
    names->reserve(vocab.size());
    for (const auto& [name, id] : vocab) names->push_back(name);
    std::sort(names->begin(), names->end());
    std::vector<uint32_t> remap(vocab.size());
    for (size_t r = 0; r < names->size(); ++r) remap[vocab.at(std::string((*names)[r]))] = static_cast<uint32_t>(r);
    return remap;
  };

  // A section's bytes: a view of the builder's own arrays (the large ones are not copied before
  // the final write) or an owned buffer for what is computed here.
  struct Blob {
    uint32_t kind;
    const void* data;
    size_t size;
    std::shared_ptr<std::vector<uint8_t>> owned;
  };
  std::vector<Blob> blobs;
  auto add_owned = [&](uint32_t kind, std::vector<uint8_t> bytes) {
    auto owned = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    blobs.push_back(Blob{kind, owned->data(), owned->size(), owned});
  };
  auto add_u32 = [&](uint32_t kind, const std::vector<uint32_t>& v) {
    std::vector<uint8_t> bytes(v.size() * 4);
    if (!v.empty()) std::memcpy(bytes.data(), v.data(), bytes.size());
    add_owned(kind, std::move(bytes));
  };
  auto add_raw = [&](uint32_t kind, const void* data, size_t bytes) {
    blobs.push_back(Blob{kind, data, bytes, nullptr});
  };
  // n + 1 offsets and the concatenated bytes of `strings`.
  auto add_strings = [&](uint32_t offsets_kind, uint32_t bytes_kind, auto get, size_t count) {
    std::vector<uint32_t> offsets{0};
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < count; ++i) {
      const std::string_view s = get(i);
      bytes.insert(bytes.end(), s.begin(), s.end());
      if (bytes.size() > UINT32_MAX) throw Error(ErrorCode::kInvalidArgument, "catalogue too large");
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
    }
    add_u32(offsets_kind, offsets);
    add_owned(bytes_kind, std::move(bytes));
  };

  add_raw(fmt::kVectorsI8, vectors_i8_.data(), vectors_i8_.size());
  add_raw(fmt::kScales, scales_.data(), scales_.size() * 4);
  if (options_.precision == VectorPrecision::kInt8Residual) {
    add_raw(fmt::kResidualI8, residual_i8_.data(), residual_i8_.size());
    add_raw(fmt::kResidualScales, residual_scales_.data(), residual_scales_.size() * 4);
  }
  if (options_.precision == VectorPrecision::kFloat32) add_raw(fmt::kVectorsF32, vectors_f32_.data(), vectors_f32_.size() * 4);
  if (options_.precision == VectorPrecision::kInt8) {
    add_raw(fmt::kRefinementBits, refinement_bits_.data(), refinement_bits_.size());
  }
  add_strings(fmt::kIdOffsets, fmt::kIdBytes, [&](size_t i) { return std::string_view(ids_[i]); }, n);
  {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
    add_u32(fmt::kIdOrder, order);
  }
  const bool any_metadata =
      std::any_of(metadata_.begin(), metadata_.end(), [](const std::string& m) { return !m.empty(); });
  if (any_metadata) {
    add_strings(fmt::kMetaOffsets, fmt::kMetaBytes,
                [&](size_t i) { return std::string_view(metadata_[i]); }, n);
  }
  if (!tag_ids_.empty()) {
    std::vector<std::string_view> names;
    const std::vector<uint32_t> remap = sorted_vocab(tag_ids_, &names);
    add_strings(fmt::kTagOffsets, fmt::kTagBytes, [&](size_t t) { return names[t]; }, names.size());
    std::vector<uint32_t> offsets{0}, ids;
    for (const auto& tags : item_tags_) {
      std::vector<uint32_t> mapped;
      for (uint32_t t : tags) mapped.push_back(remap[t]);
      std::sort(mapped.begin(), mapped.end());
      ids.insert(ids.end(), mapped.begin(), mapped.end());
      offsets.push_back(static_cast<uint32_t>(ids.size()));
    }
    add_u32(fmt::kItemTagOffsets, offsets);
    add_u32(fmt::kItemTagIds, ids);
  }
  if (any_text_) {
    std::vector<std::string_view> names;
    const std::vector<uint32_t> remap = sorted_vocab(term_ids_, &names);
    add_strings(fmt::kTermOffsets, fmt::kTermBytes, [&](size_t t) { return names[t]; }, names.size());
    std::vector<uint32_t> df(names.size(), 0), offsets{0}, lengths;
    std::vector<uint8_t> stream;
    for (auto& terms : item_terms_) {
      for (auto& [t, tf] : terms) t = remap[t];
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
    add_u32(fmt::kTermDocFreq, df);
    add_u32(fmt::kItemTermOffsets, offsets);
    add_owned(fmt::kItemTerms, std::move(stream));
    add_u32(fmt::kDocLengths, lengths);
  }
  std::sort(blobs.begin(), blobs.end(), [](const Blob& a, const Blob& b) { return a.kind < b.kind; });

  // Layout: header, table, sections at 64-byte boundaries, trailer at the next boundary.
  const size_t table_end = fmt::kHeaderBytes + blobs.size() * fmt::kSectionEntryBytes;
  size_t offset = fmt::AlignUp(table_end, fmt::kSectionAlignment);
  std::vector<size_t> offsets;
  size_t end = table_end;
  for (const Blob& b : blobs) {
    offsets.push_back(offset);
    end = offset + b.size;
    offset = fmt::AlignUp(end, fmt::kSectionAlignment);
  }
  const size_t body_end = fmt::AlignUp(end, fmt::kSectionAlignment);
  const size_t total = body_end + fmt::kTrailerBytes;
  AlignedBuffer out(total);
  uint8_t* file = out.data();
  // Zero only what no section covers (header, table, padding): memset-ing everything would
  // touch the largest sections twice.
  {
    size_t zero_from = 0;
    for (size_t s = 0; s < blobs.size(); ++s) {
      std::memset(file + zero_from, 0, offsets[s] - zero_from);
      zero_from = offsets[s] + blobs[s].size;
    }
    std::memset(file + zero_from, 0, total - zero_from);
  }
  std::memcpy(file + fmt::kOffMagic, fmt::kMagic.data(), fmt::kMagic.size());
  StoreLe<uint32_t>(file + fmt::kOffVersion, fmt::kVersion);
  StoreLe<uint32_t>(file + fmt::kOffDims, static_cast<uint32_t>(dims_));
  StoreLe<uint32_t>(file + fmt::kOffSectionCount, static_cast<uint32_t>(blobs.size()));
  StoreLe<uint64_t>(file + fmt::kOffItemCount, n);
  StoreLe<uint64_t>(file + fmt::kOffFileBytes, total);
  std::memcpy(file + fmt::kOffFingerprint, fingerprint_.data(), 32);
  for (size_t s = 0; s < blobs.size(); ++s) {
    uint8_t* entry = file + fmt::kHeaderBytes + s * fmt::kSectionEntryBytes;
    StoreLe<uint32_t>(entry, blobs[s].kind);
    StoreLe<uint32_t>(entry + 4, ElemBytes(blobs[s].kind));
    StoreLe<uint64_t>(entry + 8, offsets[s]);
    StoreLe<uint64_t>(entry + 16, blobs[s].size);
    if (blobs[s].size != 0) std::memcpy(file + offsets[s], blobs[s].data, blobs[s].size);
  }
  const uint32_t crc = Crc32c(std::string_view(reinterpret_cast<const char*>(file), body_end));
  StoreLe<uint32_t>(file + body_end, crc);
  std::memcpy(file + body_end + 4, fmt::kTrailerMagic.data(), 4);

  // Reset for reuse.
  *this = CatalogBuilder(dims_, fingerprint_, options_);
  return out;
}

}  // namespace localrec
