// A reader that turns a fuzzer's bytes into structured choices (numbers, strings): shared by the
// fuzz targets that drive an API rather than parse a file. Runs out gracefully (zeros, "").
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fuzz {

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t U32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(U8()) << (8 * i);
    return v;
  }
  // Any double, NaN and infinities included.
  double F64() {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(U8()) << (8 * i);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  // Mostly ordinary values, sometimes extreme ones: what an API sees from buggy callers.
  double Number() {
    switch (U8() % 8) {
      case 0: return F64();
      case 1: return -static_cast<double>(U32());
      default: return static_cast<double>(U32() % 1000) / 100.0;
    }
  }
  // A string of up to `max` bytes (any bytes: invalid UTF-8 too), ended by a 0 byte.
  std::string Str(size_t max = 64) {
    std::string s;
    while (pos_ < size_ && data_[pos_] != 0 && s.size() < max) s += static_cast<char>(data_[pos_++]);
    if (pos_ < size_ && data_[pos_] == 0) ++pos_;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace fuzz
