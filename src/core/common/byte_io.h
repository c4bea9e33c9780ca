// The little-endian codec of localrec's binary files (the catalogue, docs/catalog-format.md, and
// the saved profile, docs/profile.md): loads and stores of fixed-width values at a byte address,
// LEB128 varints, and a writer and a bounds-checked reader of sequential fields built on them.
// The reader never reads past its input: every overrun is an Error(kCorruptData) naming the file
// kind and what was being read.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace localrec {

// The catalogue is read in place (its arrays are used where they lie in the file), which only a
// little-endian machine can do; wasm and x86 are.
static_assert(std::endian::native == std::endian::little,
              "localrec's files are little-endian and read in place");

template <typename T>
inline T LoadLe(const void* p) {
  static_assert(std::is_trivially_copyable_v<T>);
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
inline void StoreLe(void* p, T v) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(p, &v, sizeof(T));
}

// LEB128: seven bits per byte, lowest first, the high bit set on every byte but the last.
inline void AppendLeb128(uint32_t v, std::vector<uint8_t>* out) {
  while (v >= 0x80u) {
    out->push_back(static_cast<uint8_t>(v | 0x80u));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

// Reads one LEB128 value of at most 32 bits and advances `p`; false when it runs past `end` or
// does not fit (a sixth byte, or a fifth above 0x0F).
inline bool ReadLeb128(const uint8_t*& p, const uint8_t* end, uint32_t* value) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (p == end) return false;
    const uint8_t byte = *p++;
    if (shift == 28 && (byte & 0xF0u) != 0) return false;
    result |= static_cast<uint32_t>(byte & 0x7Fu) << shift;
    if ((byte & 0x80u) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Put(v); }
  void U64(uint64_t v) { Put(v); }
  void F32(float v) { Put(v); }
  void F64(double v) { Put(v); }
  void Str(std::string_view s);  // u32 length + bytes
  void Floats(std::span<const float> v);
  void Doubles(std::span<const double> v);
  void Raw(std::string_view s) { out_.append(s); }
  std::string& bytes() { return out_; }

 private:
  template <typename T>
  void Put(T v) {
    const size_t at = out_.size();
    out_.resize(at + sizeof(T));
    StoreLe(out_.data() + at, v);
  }
  std::string out_;
};

class ByteReader {
 public:
  // `file_kind` names the file in errors ("corrupt <file_kind>: ..."); it must outlive the reader.
  ByteReader(std::string_view in, const char* file_kind) : in_(in), file_kind_(file_kind) {}
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
  template <typename T>
  T Get(const char* what) {
    Need(sizeof(T), what);
    const T v = LoadLe<T>(in_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  void Need(size_t n, const char* what) const;
  [[noreturn]] void Corrupt(const std::string& message) const;
  std::string_view in_;
  size_t pos_ = 0;
  const char* file_kind_;
};

}  // namespace localrec
