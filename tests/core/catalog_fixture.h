// Helpers shared by the catalogue and ranking tests: deterministic random catalogues and a way to
// edit a catalogue file and re-seal its checksum (to reach validation behind the checksum).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/catalog/crc32c.h"
#include "core/catalog/format.h"

namespace localrec::testing {

inline Fingerprint TestFingerprint(uint8_t seed = 7) {
  Fingerprint fp{};
  for (size_t i = 0; i < fp.size(); ++i) fp[i] = static_cast<uint8_t>(seed * 31 + i * 17);
  return fp;
}

// n x dims standard-normal vectors, L2-normalised (like a sentence encoder's output).
inline std::vector<float> RandomUnitVectors(size_t n, size_t dims, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n * dims);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (size_t d = 0; d < dims; ++d) {
      v[i * dims + d] = normal(rng);
      norm += double(v[i * dims + d]) * v[i * dims + d];
    }
    const float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (size_t d = 0; d < dims; ++d) v[i * dims + d] *= inv;
  }
  return v;
}

struct TestItem {
  std::string id;
  std::vector<float> vector;
  std::string metadata;
  std::vector<std::string> tags;
  std::string text;
};

inline std::string MakeCatalogBytes(const std::vector<TestItem>& items, size_t dims,
                                    VectorPrecision precision = VectorPrecision::kInt8,
                                    Fingerprint fp = TestFingerprint()) {
  CatalogBuilder builder(dims, fp, CatalogBuilderOptions{precision});
  for (const TestItem& it : items) {
    builder.Add(CatalogItem{it.id, it.vector, it.metadata, it.tags, it.text});
  }
  const AlignedBuffer buffer = builder.Finish();
  return std::string(buffer.view());
}

// Byte offset and size of a section in a catalogue file, or {0, 0} when absent.
inline std::pair<size_t, size_t> FindSection(const std::string& file, uint32_t kind) {
  uint32_t count;
  std::memcpy(&count, file.data() + catalog_format::kOffSectionCount, 4);
  for (uint32_t s = 0; s < count; ++s) {
    const char* e = file.data() + catalog_format::kHeaderBytes + s * catalog_format::kSectionEntryBytes;
    uint32_t k;
    uint64_t off, bytes;
    std::memcpy(&k, e, 4);
    std::memcpy(&off, e + 8, 8);
    std::memcpy(&bytes, e + 16, 8);
    if (k == kind) return {off, bytes};
  }
  return {0, 0};
}

// Recomputes the CRC-32C trailer after an edit.
inline void Reseal(std::string* file) {
  const size_t body = file->size() - catalog_format::kTrailerBytes;
  const uint32_t crc = Crc32c(std::string_view(file->data(), body));
  std::memcpy(file->data() + body, &crc, 4);
}

}  // namespace localrec::testing
