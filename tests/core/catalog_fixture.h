// Helpers shared by the catalogue and ranking tests: deterministic random catalogues and a way to
// edit a catalogue file and re-seal its checksum (to reach validation behind the checksum).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/catalog/catalog.h"
#include "core/common/checksum.h"
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

// Unit vectors like sentence embeddings: a common component (the default model's Debian
// catalogue has ||mean|| 0.75) of 0.75 +- 0.05 along one random direction, the rest random.
inline std::vector<float> EmbeddingLikeVectors(size_t n, size_t dims, uint32_t seed) {
  std::vector<float> v = RandomUnitVectors(n, dims, seed);
  const std::vector<float> common = RandomUnitVectors(1, dims, seed + 1);
  std::mt19937 rng(seed + 2);
  std::normal_distribution<double> spread(0.75, 0.05);
  for (size_t i = 0; i < n; ++i) {
    float* x = v.data() + i * dims;
    double along = 0, rest = 0;
    for (size_t d = 0; d < dims; ++d) along += double(x[d]) * common[d];
    for (size_t d = 0; d < dims; ++d) {
      x[d] = static_cast<float>(x[d] - along * common[d]);
      rest += double(x[d]) * x[d];
    }
    const double a = std::clamp(spread(rng), 0.5, 0.95);
    const double b = std::sqrt(1 - a * a) / std::sqrt(rest);
    for (size_t d = 0; d < dims; ++d) x[d] = static_cast<float>(a * common[d] + b * x[d]);
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

struct RawSection {
  uint32_t kind;
  uint32_t elem_bytes;
  std::string bytes;
};

// Every section of a catalogue file, in file order.
inline std::vector<RawSection> ReadSections(const std::string& file) {
  uint32_t count;
  std::memcpy(&count, file.data() + catalog_format::kOffSectionCount, 4);
  std::vector<RawSection> out;
  for (uint32_t s = 0; s < count; ++s) {
    const char* e =
        file.data() + catalog_format::kHeaderBytes + s * catalog_format::kSectionEntryBytes;
    RawSection r;
    uint64_t off, bytes;
    std::memcpy(&r.kind, e, 4);
    std::memcpy(&r.elem_bytes, e + 4, 4);
    std::memcpy(&off, e + 8, 8);
    std::memcpy(&bytes, e + 16, 8);
    r.bytes = file.substr(off, bytes);
    out.push_back(std::move(r));
  }
  return out;
}

// Lays `sections` out canonically behind the header of `like` (same dims, count, fingerprint,
// version) and seals the file: a way to build files the builder never writes.
inline std::string AssembleCatalog(const std::string& like,
                                   const std::vector<RawSection>& sections) {
  namespace fmt = catalog_format;
  std::string out = like.substr(0, fmt::kHeaderBytes);
  const uint32_t count = static_cast<uint32_t>(sections.size());
  std::memcpy(out.data() + fmt::kOffSectionCount, &count, 4);
  out.resize(fmt::kHeaderBytes + sections.size() * fmt::kSectionEntryBytes, '\0');
  for (size_t s = 0; s < sections.size(); ++s) {
    out.resize(fmt::AlignUp(out.size(), fmt::kSectionAlignment), '\0');
    const uint64_t off = out.size(), bytes = sections[s].bytes.size();
    char* e = out.data() + fmt::kHeaderBytes + s * fmt::kSectionEntryBytes;
    std::memcpy(e, &sections[s].kind, 4);
    std::memcpy(e + 4, &sections[s].elem_bytes, 4);
    std::memcpy(e + 8, &off, 8);
    std::memcpy(e + 16, &bytes, 8);
    out += sections[s].bytes;
  }
  out.resize(fmt::AlignUp(out.size(), fmt::kSectionAlignment) + fmt::kTrailerBytes, '\0');
  const uint64_t total = out.size();
  std::memcpy(out.data() + fmt::kOffFileBytes, &total, 8);
  std::memcpy(out.data() + total - 4, fmt::kTrailerMagic.data(), 4);
  Reseal(&out);
  return out;
}

}  // namespace localrec::testing
