#include "core/catalog/section_table.h"

#include <cstdio>
#include <cstring>

#include "core/common/byte_io.h"
#include "core/common/checksum.h"
#include "core/common/error.h"

namespace localrec::catalog_format {

namespace {

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

std::string_view Bytes(const uint8_t* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// Magic, version, declared length, end marker and checksum, in that order: a file that is not a
// catalogue, or a damaged one, is refused before any field of it is believed.
void CheckEnvelope(const uint8_t* file, uint64_t file_size) {
  if (file_size < kHeaderBytes + kTrailerBytes) {
    if (file_size >= kMagic.size() && std::memcmp(file, kMagic.data(), kMagic.size()) != 0) {
      Corrupt("not a localrec catalogue (bad magic bytes)");
    }
    Corrupt("truncated: " + std::to_string(file_size) + " bytes is shorter than the " +
            std::to_string(kHeaderBytes + kTrailerBytes) + "-byte minimum");
  }
  if (std::memcmp(file, kMagic.data(), kMagic.size()) != 0) {
    Corrupt("not a localrec catalogue (bad magic bytes)");
  }
  const uint32_t version = LoadLe<uint32_t>(file + kOffVersion);
  if (version < kOldestVersion || version > kVersion) {
    throw Error(ErrorCode::kUnsupported, "catalogue format version " + std::to_string(version) +
                                             " is not supported (this build reads versions " +
                                             std::to_string(kOldestVersion) + " to " +
                                             std::to_string(kVersion) + ")");
  }
  const uint64_t declared = LoadLe<uint64_t>(file + kOffFileBytes);
  if (declared != file_size) {
    if (declared > file_size) {
      Corrupt("truncated: the header says " + std::to_string(declared) + " bytes, got " +
              std::to_string(file_size));
    }
    Corrupt("the header says " + std::to_string(declared) + " bytes but the data has " +
            std::to_string(file_size) + " (trailing bytes)");
  }
  const uint8_t* trailer = file + file_size - kTrailerBytes;
  if (std::memcmp(trailer + 4, kTrailerMagic.data(), 4) != 0) {
    Corrupt("bad end marker (truncated or overwritten)");
  }
  const uint32_t stored_crc = LoadLe<uint32_t>(trailer);
  const uint32_t crc = Crc32c(Bytes(file, file_size - kTrailerBytes));
  if (crc != stored_crc) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "checksum mismatch (stored %08x, computed %08x)", stored_crc,
                  crc);
    Corrupt(buf);
  }
}

void ReadHeader(const uint8_t* file, Layout* layout) {
  if (LoadLe<uint32_t>(file + kOffFlags) != 0 || LoadLe<uint64_t>(file + kOffReserved) != 0) {
    Corrupt("reserved header fields are not zero");
  }
  layout->version = LoadLe<uint32_t>(file + kOffVersion);
  layout->dims = LoadLe<uint32_t>(file + kOffDims);
  if (layout->dims == 0 || layout->dims > kMaxDims) {
    Corrupt("dimension " + std::to_string(layout->dims) + " is out of range 1.." +
            std::to_string(kMaxDims));
  }
  layout->items = LoadLe<uint64_t>(file + kOffItemCount);
  if (layout->items > kMaxItems) Corrupt("item count " + std::to_string(layout->items) + " is too large");
  std::memcpy(layout->fingerprint.data(), file + kOffFingerprint, layout->fingerprint.size());
}

void ReadSectionTable(const uint8_t* file, uint64_t file_size, Layout* layout) {
  const uint32_t version = layout->version;
  const uint32_t max_kind = version == 1 ? kMaxSectionKindV1 : kMaxSectionKind;
  const uint32_t section_count = LoadLe<uint32_t>(file + kOffSectionCount);
  if (section_count > max_kind) {
    Corrupt("section count " + std::to_string(section_count) + " is too large");
  }
  const uint64_t table_end = kHeaderBytes + uint64_t{section_count} * kSectionEntryBytes;
  const uint64_t body_end = file_size - kTrailerBytes;
  if (table_end > body_end) Corrupt("the section table runs past the end of the file");
  ByteReader table(Bytes(file + kHeaderBytes, table_end - kHeaderBytes), "catalogue");
  uint64_t expected_offset = AlignUp(table_end, kSectionAlignment);
  uint64_t prev_end = table_end;
  uint32_t prev_kind = 0;
  for (uint32_t s = 0; s < section_count; ++s) {
    const uint32_t kind = table.U32("section kind");
    const uint32_t elem = table.U32("element size");
    const uint64_t offset = table.U64("section offset");
    const uint64_t bytes = table.U64("section size");
    if (kind == 0 || kind > max_kind) {
      Corrupt("unknown section kind " + std::to_string(kind) +
              (kind <= kMaxSectionKind ? " in a version " + std::to_string(version) + " file"
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
    layout->sections[kind] = Section{file + offset, bytes, true};
    prev_kind = kind;
    prev_end = offset + bytes;
    expected_offset = AlignUp(prev_end, kSectionAlignment);
  }
  if (AlignUp(prev_end, kSectionAlignment) != body_end) {
    Corrupt("the checksum is not at the 64-byte boundary after the last section");
  }
  if (!AllZero(file + prev_end, body_end - prev_end)) Corrupt("non-zero padding before the checksum");
}

}  // namespace

void Corrupt(const std::string& message) {
  throw Error(ErrorCode::kCorruptData, "corrupt catalogue: " + message);
}

const char* SectionName(uint32_t kind) {
  switch (kind) {
    case kVectorsI8: return "int8 vectors";
    case kScales: return "scales";
    case kResidualI8: return "int8 residuals";
    case kResidualScales: return "residual scales";
    case kVectorsF32: return "f32 vectors";
    case kIdOffsets: return "id offsets";
    case kIdBytes: return "id bytes";
    case kIdOrder: return "id order";
    case kMetaOffsets: return "metadata offsets";
    case kMetaBytes: return "metadata bytes";
    case kTagOffsets: return "tag offsets";
    case kTagBytes: return "tag bytes";
    case kItemTagOffsets: return "item tag offsets";
    case kItemTagIds: return "item tag ids";
    case kTermOffsets: return "term offsets";
    case kTermBytes: return "term bytes";
    case kTermDocFreq: return "term document frequencies";
    case kItemTermOffsets: return "item term offsets";
    case kItemTerms: return "item terms";
    case kDocLengths: return "document lengths";
    case kRefinementBits: return "refinement bits";
    default: return "unknown";
  }
}

uint32_t ElemBytes(uint32_t kind) {
  switch (kind) {
    case kVectorsI8: case kResidualI8: case kIdBytes: case kMetaBytes: case kTagBytes:
    case kTermBytes: case kItemTerms: case kRefinementBits:
      return 1;
    default:
      return 4;
  }
}

const uint8_t* Layout::Require(uint32_t kind, uint64_t count) const {
  const Section& sec = sections[kind];
  if (!sec.present) Corrupt(std::string("missing section: ") + SectionName(kind));
  if (sec.count(kind) != count) {
    Corrupt(std::string(SectionName(kind)) + " has " + std::to_string(sec.count(kind)) +
            " entries, expected " + std::to_string(count));
  }
  return sec.data;
}

bool Layout::GroupPresent(std::initializer_list<uint32_t> kinds) const {
  size_t present = 0;
  for (uint32_t k : kinds) present += sections[k].present ? 1 : 0;
  if (present != 0 && present != kinds.size()) {
    Corrupt(std::string("incomplete group of sections around ") + SectionName(*kinds.begin()));
  }
  return present != 0;
}

Layout ReadLayout(const uint8_t* file, uint64_t size) {
  CheckEnvelope(file, size);
  Layout layout;
  ReadHeader(file, &layout);
  ReadSectionTable(file, size, &layout);
  return layout;
}

AlignedBuffer WriteFile(uint32_t dims, uint64_t items, const std::array<uint8_t, 32>& fingerprint,
                        std::span<const SectionBytes> sections) {
  // Layout: header, table, sections at 64-byte boundaries, trailer at the next boundary.
  const size_t table_end = kHeaderBytes + sections.size() * kSectionEntryBytes;
  size_t offset = AlignUp(table_end, kSectionAlignment);
  std::vector<size_t> offsets;
  size_t end = table_end;
  for (const SectionBytes& s : sections) {
    offsets.push_back(offset);
    end = offset + s.size;
    offset = AlignUp(end, kSectionAlignment);
  }
  const size_t body_end = AlignUp(end, kSectionAlignment);
  const size_t total = body_end + kTrailerBytes;
  AlignedBuffer out(total);
  uint8_t* file = out.data();
  // Zero only what no section covers (header, table, padding): memset-ing everything would
  // touch the largest sections twice.
  {
    size_t zero_from = 0;
    for (size_t s = 0; s < sections.size(); ++s) {
      std::memset(file + zero_from, 0, offsets[s] - zero_from);
      zero_from = offsets[s] + sections[s].size;
    }
    std::memset(file + zero_from, 0, total - zero_from);
  }
  std::memcpy(file + kOffMagic, kMagic.data(), kMagic.size());
  StoreLe<uint32_t>(file + kOffVersion, kVersion);
  StoreLe<uint32_t>(file + kOffDims, dims);
  StoreLe<uint32_t>(file + kOffSectionCount, static_cast<uint32_t>(sections.size()));
  StoreLe<uint64_t>(file + kOffItemCount, items);
  StoreLe<uint64_t>(file + kOffFileBytes, total);
  std::memcpy(file + kOffFingerprint, fingerprint.data(), fingerprint.size());
  for (size_t s = 0; s < sections.size(); ++s) {
    uint8_t* entry = file + kHeaderBytes + s * kSectionEntryBytes;
    StoreLe<uint32_t>(entry, sections[s].kind);
    StoreLe<uint32_t>(entry + 4, ElemBytes(sections[s].kind));
    StoreLe<uint64_t>(entry + 8, offsets[s]);
    StoreLe<uint64_t>(entry + 16, sections[s].size);
    if (sections[s].size != 0) std::memcpy(file + offsets[s], sections[s].data, sections[s].size);
  }
  const uint32_t crc = Crc32c(Bytes(file, body_end));
  StoreLe<uint32_t>(file + body_end, crc);
  std::memcpy(file + body_end + 4, kTrailerMagic.data(), kTrailerMagic.size());
  return out;
}

}  // namespace localrec::catalog_format
