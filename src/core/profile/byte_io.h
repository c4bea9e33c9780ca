// Little-endian binary writing and bounds-checked reading for the profile's saved form, and the
// CRC-32 (IEEE 802.3, as in zlib/PNG) that guards it. The reader never reads past its input:
// every overrun is an Error(kCorruptData) naming what was being read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace localrec {

uint32_t Crc32(std::string_view bytes);

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v);
  void U64(uint64_t v);
  void F32(float v);
  void F64(double v);
  void Str(std::string_view s);  // u32 length + bytes
  void Floats(std::span<const float> v);
  void Doubles(std::span<const double> v);
  void Raw(std::string_view s) { out_.append(s); }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  uint8_t U8(const char* what);
  uint32_t U32(const char* what);
  uint64_t U64(const char* what);
  float F32(const char* what);                            // finite only
  double F64(const char* what);                           // finite only
  std::string Str(const char* what, size_t max_bytes);    // valid UTF-8, at most max_bytes
  void Floats(const char* what, std::span<float> out);    // finite only
  void Doubles(const char* what, std::span<double> out);  // finite only
  // A count of records each at least `min_record_bytes` long: refused when the rest of the
  // input could not hold them (no huge allocation from a corrupt count).
  uint32_t Count(const char* what, size_t min_record_bytes);

 private:
  void Need(size_t n, const char* what) const;
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace localrec
