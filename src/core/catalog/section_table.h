// The catalogue file's container (docs/catalog-format.md): the envelope (magic, version, length
// and the CRC-32C trailer), the header fields and the section table, read with every check and
// written in the one canonical layout. What the sections hold is the reader's job
// (catalog_reader.cc) and the builder's (catalog_builder.cc).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>

#include "core/catalog/aligned_buffer.h"
#include "core/catalog/format.h"

namespace localrec::catalog_format {

// Throws Error(kCorruptData) with "corrupt catalogue: " + message.
[[noreturn]] void Corrupt(const std::string& message);

const char* SectionName(uint32_t kind);  // for messages: "int8 vectors", "id bytes", ...
uint32_t ElemBytes(uint32_t kind);       // the element size a section kind must declare

struct Section {
  const uint8_t* data = nullptr;
  uint64_t bytes = 0;
  bool present = false;
  uint64_t count(uint32_t kind) const { return bytes / ElemBytes(kind); }
};

// A file whose envelope, header and section table passed every check. Views into the file.
struct Layout {
  uint32_t version = 0;
  uint32_t dims = 0;
  uint64_t items = 0;
  std::array<uint8_t, 32> fingerprint{};
  std::array<Section, kMaxSectionKind + 1> sections{};

  const Section& operator[](uint32_t kind) const { return sections[kind]; }
  // The section's data; corrupt when it is missing or does not hold exactly `count` elements.
  const uint8_t* Require(uint32_t kind, uint64_t count) const;
  // Whether a group of sections that only come together is there: all (true) or none (false);
  // corrupt when only some are.
  bool GroupPresent(std::initializer_list<uint32_t> kinds) const;
};

// Checks the envelope before anything is interpreted (magic, version, declared length, end
// marker, checksum), then the header fields, then the section table: kinds known and ascending,
// whole elements, each section at the next 64-byte boundary with zero padding, the trailer right
// after the last. Throws Error(kCorruptData), or Error(kUnsupported) for another format version.
Layout ReadLayout(const uint8_t* file, uint64_t size);

// One section for WriteFile: `size` bytes at `data`.
struct SectionBytes {
  uint32_t kind;
  const void* data;
  size_t size;
};

// Writes a catalogue file of the current version: header, section table, the sections (in
// ascending kind order) at 64-byte boundaries with zero padding, the checksum trailer.
AlignedBuffer WriteFile(uint32_t dims, uint64_t items, const std::array<uint8_t, 32>& fingerprint,
                        std::span<const SectionBytes> sections);

}  // namespace localrec::catalog_format
