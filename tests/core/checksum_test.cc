#include "core/common/checksum.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

using localrec::Crc32;
using localrec::Crc32c;

namespace {

// The definition, one bit at a time: the reference the table-driven code must agree with.
uint32_t BitwiseCrc(std::string_view data, uint32_t polynomial) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int i = 0; i < 8; ++i) c = (c & 1u) ? (c >> 1) ^ polynomial : c >> 1;
  }
  return ~c;
}

}  // namespace

TEST_CASE("CRC-32C matches the published check values", "[common][checksum]") {
  REQUIRE(Crc32c("123456789") == 0xE3069283u);
  REQUIRE(Crc32c(std::string(32, '\0')) == 0x8A9136AAu);           // RFC 3720 B.4
  REQUIRE(Crc32c(std::string(32, '\xFF')) == 0x62A8AB43u);
  std::string inc(32, 0);
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<char>(i);
  REQUIRE(Crc32c(inc) == 0x46DD794Eu);
  // Incremental use gives the same value as one call.
  REQUIRE(Crc32c("6789", Crc32c("12345")) == 0xE3069283u);
}

TEST_CASE("CRC-32 (IEEE) matches the standard check values", "[common][checksum]") {
  REQUIRE(Crc32("123456789") == 0xCBF43926u);
  REQUIRE(Crc32("") == 0u);
  REQUIRE(Crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
  REQUIRE(Crc32("6789", Crc32("12345")) == 0xCBF43926u);
}

TEST_CASE("both checksums agree with the bitwise definition at every length and alignment",
          "[common][checksum]") {
  std::mt19937 rng(3);
  std::string data(300, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t start = 0; start < 8; ++start) {
    for (size_t n = 0; start + n <= data.size(); n += 1 + n / 8) {
      const std::string_view s = std::string_view(data).substr(start, n);
      REQUIRE(Crc32c(s) == BitwiseCrc(s, 0x82F63B78u));
      REQUIRE(Crc32(s) == BitwiseCrc(s, 0xEDB88320u));
    }
  }
}
