#include "core/common/checksum.h"

#include <array>

#include "core/common/byte_io.h"

namespace localrec {

namespace {

// Slicing-by-8 tables of a reflected CRC-32: table[k][b] is the CRC of byte b followed by k zero
// bytes.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables MakeTables(uint32_t polynomial) {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c & 1u) ? (c >> 1) ^ polynomial : c >> 1;
    t[0][b] = c;
  }
  for (uint32_t b = 0; b < 256; ++b) {
    for (size_t k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
  }
  return t;
}

constexpr Tables kCastagnoli = MakeTables(0x82F63B78u);
constexpr Tables kIeee = MakeTables(0xEDB88320u);

// The table is a template argument so that its address is a constant in the loop, as it was
// when each checksum had a function of its own.
template <const Tables& t>
uint32_t Crc(std::string_view data, uint32_t crc) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  uint32_t c = ~crc;
  // Eight bytes per step, read as two little-endian words.
  while (n >= 8) {
    const uint32_t lo = LoadLe<uint32_t>(p) ^ c;
    const uint32_t hi = LoadLe<uint32_t>(p + 4);
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = (c >> 8) ^ t[0][(c ^ *p++) & 0xFFu];
  return ~c;
}

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t crc) { return Crc<kCastagnoli>(data, crc); }
uint32_t Crc32(std::string_view data, uint32_t crc) { return Crc<kIeee>(data, crc); }

}  // namespace localrec
