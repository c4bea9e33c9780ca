// On-disk layout of a localrec catalogue (.lrc). docs/catalog-format.md is the specification;
// this header holds its constants so the reader and the writer cannot disagree.
// All integers are little-endian; every section starts at a 64-byte file offset.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/common/limits.h"

namespace localrec::catalog_format {

// PNG-style magic: a non-ASCII first byte and CR LF / ^Z / LF catch text-mode transfers.
inline constexpr std::array<uint8_t, 8> kMagic = {0x89, 'L', 'R', 'C', 0x0D, 0x0A, 0x1A, 0x0A};
// Version 2 added the refinement bits (kind 21) and shaped rounding; readers also accept
// version 1 files, which are version 2 files without kind 21.
inline constexpr uint32_t kVersion = 2;
inline constexpr uint32_t kOldestVersion = 1;
inline constexpr std::array<uint8_t, 4> kTrailerMagic = {'L', 'R', 'C', 'E'};

inline constexpr size_t kHeaderBytes = 80;        // fixed header, then the section table
inline constexpr size_t kSectionEntryBytes = 24;  // kind u32, elem_bytes u32, offset u64, bytes u64
inline constexpr size_t kTrailerBytes = 8;        // crc32c u32, kTrailerMagic
inline constexpr size_t kSectionAlignment = 64;   // cache line; covers 16-byte SIMD loads

// Header field offsets.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffVersion = 8;
inline constexpr size_t kOffFlags = 12;         // reserved, must be 0
inline constexpr size_t kOffDims = 16;
inline constexpr size_t kOffSectionCount = 20;
inline constexpr size_t kOffItemCount = 24;     // u64
inline constexpr size_t kOffFileBytes = 32;     // u64, the whole file including the trailer
inline constexpr size_t kOffFingerprint = 40;   // 32 bytes: sha256 of the model's ONNX file
inline constexpr size_t kOffReserved = 72;      // u64, must be 0

// Limits the loader enforces (and the writer respects).
inline constexpr uint32_t kMaxDims = static_cast<uint32_t>(localrec::kMaxDims);
inline constexpr uint64_t kMaxItems = 0x7FFFFFFFu;  // indices fit an int32 in JS results
inline constexpr size_t kMaxIdBytes = 4096;
inline constexpr size_t kMaxTagBytes = 1024;
inline constexpr size_t kMaxTermBytes = 1024;

// Section kinds, stored in ascending order, each at most once.
enum SectionKind : uint32_t {
  kVectorsI8 = 1,        // int8 [n][stride_i8], row padding zero, values in [-127, 127]
  kScales = 2,           // f32 [n], finite, >= 0: vector = int8 * scale
  kResidualI8 = 3,       // optional int8 [n][stride_i8]: quantised (vector - int8 * scale)
  kResidualScales = 4,   // f32 [n]: vector = int8 * scale + residual * residual_scale
  kVectorsF32 = 5,       // optional f32 [n][stride_f32], row padding zero
  kIdOffsets = 6,        // u32 [n + 1] into kIdBytes
  kIdBytes = 7,          // UTF-8
  kIdOrder = 8,          // u32 [n]: item indices sorted by id bytes (binary search by id)
  kMetaOffsets = 9,      // optional u32 [n + 1] into kMetaBytes
  kMetaBytes = 10,       // per item: empty or a compact JSON object without "tags"
  kTagOffsets = 11,      // optional tag vocabulary: u32 [T + 1] into kTagBytes
  kTagBytes = 12,        // UTF-8, sorted, unique
  kItemTagOffsets = 13,  // u32 [n + 1] into kItemTagIds
  kItemTagIds = 14,      // u32, strictly increasing per item, < T
  kTermOffsets = 15,     // optional term vocabulary: u32 [V + 1] into kTermBytes
  kTermBytes = 16,       // UTF-8 analysed terms, sorted, unique
  kTermDocFreq = 17,     // u32 [V]: number of items containing the term
  kItemTermOffsets = 18, // u32 [n + 1]: byte offsets into kItemTerms
  kItemTerms = 19,       // per item: LEB128 pairs (term id delta, tf), ids strictly increasing
  kDocLengths = 20,      // u32 [n]: sum of the item's tfs
  kRefinementBits = 21,  // optional (v2) bits [n][stride_i8 / 8]: vector = (int8 ± 1/4) * scale
};
inline constexpr uint32_t kMaxSectionKind = 21;
inline constexpr uint32_t kMaxSectionKindV1 = 20;

// The writer's shaped rounding cancels the error along the mean of the first kShapingItems
// items (all of them in smaller catalogues), so a builder can quantise as items arrive.
inline constexpr size_t kShapingItems = 1024;

inline constexpr size_t StrideI8(size_t dims) { return (dims + 15) / 16 * 16; }
inline constexpr size_t StrideF32(size_t dims) { return (dims + 3) / 4 * 4; }
inline constexpr size_t StrideBits(size_t dims) { return StrideI8(dims) / 8; }  // bytes per row
inline constexpr size_t AlignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }

}  // namespace localrec::catalog_format
