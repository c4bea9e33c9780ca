#include "core/common/byte_io.h"

#include <cmath>

#include "core/common/error.h"
#include "core/common/utf8.h"

namespace localrec {

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

void ByteReader::Corrupt(const std::string& message) const {
  throw Error(ErrorCode::kCorruptData, "corrupt " + std::string(file_kind_) + ": " + message);
}

void ByteReader::Need(size_t n, const char* what) const {
  if (remaining() < n) Corrupt(std::string("truncated while reading ") + what);
}

uint8_t ByteReader::U8(const char* what) { return Get<uint8_t>(what); }
uint32_t ByteReader::U32(const char* what) { return Get<uint32_t>(what); }
uint64_t ByteReader::U64(const char* what) { return Get<uint64_t>(what); }

float ByteReader::F32(const char* what) {
  const float v = Get<float>(what);
  if (!std::isfinite(v)) Corrupt(std::string(what) + " is NaN or infinite");
  return v;
}

double ByteReader::F64(const char* what) {
  const double v = Get<double>(what);
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
