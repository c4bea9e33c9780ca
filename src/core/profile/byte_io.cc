#include "core/profile/byte_io.h"

#include <array>
#include <cmath>
#include <cstring>

#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = MakeCrcTable();

[[noreturn]] void Corrupt(const std::string& message) {
  throw Error(ErrorCode::kCorruptData, "corrupt profile: " + message);
}

}  // namespace

uint32_t Crc32(std::string_view bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void ByteWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
}
void ByteWriter::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) U8(static_cast<uint8_t>(v >> (8 * i)));
}
void ByteWriter::F32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  U32(bits);
}
void ByteWriter::F64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  U64(bits);
}
void ByteWriter::Str(std::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  out_.append(s);
}
void ByteWriter::Floats(std::span<const float> v) {
  for (float x : v) F32(x);
}
void ByteWriter::Doubles(std::span<const double> v) {
  for (double x : v) F64(x);
}

void ByteReader::Need(size_t n, const char* what) const {
  if (remaining() < n) Corrupt(std::string("truncated while reading ") + what);
}

uint8_t ByteReader::U8(const char* what) {
  Need(1, what);
  return static_cast<uint8_t>(in_[pos_++]);
}

uint32_t ByteReader::U32(const char* what) {
  Need(4, what);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
  pos_ += 4;
  return v;
}

uint64_t ByteReader::U64(const char* what) {
  Need(8, what);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
  pos_ += 8;
  return v;
}

float ByteReader::F32(const char* what) {
  const uint32_t bits = U32(what);
  float v;
  std::memcpy(&v, &bits, 4);
  if (!std::isfinite(v)) Corrupt(std::string(what) + " is NaN or infinite");
  return v;
}

double ByteReader::F64(const char* what) {
  const uint64_t bits = U64(what);
  double v;
  std::memcpy(&v, &bits, 8);
  if (!std::isfinite(v)) Corrupt(std::string(what) + " is NaN or infinite");
  return v;
}

std::string ByteReader::Str(const char* what, size_t max_bytes) {
  const uint32_t n = U32(what);
  if (n > max_bytes) Corrupt(std::string(what) + " is longer than " + std::to_string(max_bytes));
  Need(n, what);
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  if (FindInvalidUtf8(s) != std::string::npos) Corrupt(std::string(what) + " is not UTF-8");
  return s;
}

void ByteReader::Floats(const char* what, std::span<float> out) {
  Need(out.size() * 4, what);
  for (float& x : out) x = F32(what);
}

void ByteReader::Doubles(const char* what, std::span<double> out) {
  Need(out.size() * 8, what);
  for (double& x : out) x = F64(what);
}

uint32_t ByteReader::Count(const char* what, size_t min_record_bytes) {
  const uint32_t n = U32(what);
  if (min_record_bytes > 0 && n > remaining() / min_record_bytes) {
    Corrupt(std::string(what) + " (" + std::to_string(n) + ") exceeds what the data can hold");
  }
  return n;
}

}  // namespace localrec
