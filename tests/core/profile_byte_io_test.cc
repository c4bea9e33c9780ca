#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/profile/byte_io.h"

using localrec::ByteReader;
using localrec::ByteWriter;

TEST_CASE("CRC-32 matches the standard check value", "[profile][bytes]") {
  REQUIRE(localrec::Crc32("123456789") == 0xCBF43926u);
  REQUIRE(localrec::Crc32("") == 0u);
}

TEST_CASE("values round-trip little-endian and reads never overrun", "[profile][bytes]") {
  ByteWriter w;
  w.U32(0x01020304u);
  w.U64(0x1122334455667788ull);
  w.F32(1.5f);
  w.F64(-2.25);
  w.Str("héllo");
  const std::string bytes = w.bytes();
  REQUIRE(static_cast<unsigned char>(bytes[0]) == 0x04);  // little-endian
  ByteReader r(bytes);
  REQUIRE(r.U32("a") == 0x01020304u);
  REQUIRE(r.U64("b") == 0x1122334455667788ull);
  REQUIRE(r.F32("c") == 1.5f);
  REQUIRE(r.F64("d") == -2.25);
  REQUIRE(r.Str("e", 100) == "héllo");
  REQUIRE(r.remaining() == 0);
  REQUIRE_THROWS_AS(r.U8("f"), localrec::Error);

  const std::string four = bytes.substr(0, 4);  // the reader views its input: keep it alive
  ByteReader short_str(four);
  REQUIRE_THROWS_AS(short_str.Str("s", 1 << 30), localrec::Error);  // 0x01020304 bytes: no
}

TEST_CASE("the reader refuses NaN, infinity, bad UTF-8 and impossible counts", "[profile][bytes]") {
  ByteWriter w;
  w.F64(std::numeric_limits<double>::quiet_NaN());
  w.F32(std::numeric_limits<float>::infinity());
  w.Str("bad\xFF");
  w.U32(1000);
  const std::string bytes = w.bytes();
  ByteReader r(bytes);
  REQUIRE_THROWS_AS(r.F64("nan"), localrec::Error);
  REQUIRE_THROWS_AS(r.F32("inf"), localrec::Error);
  REQUIRE_THROWS_AS(r.Str("utf8", 100), localrec::Error);
  try {
    r.Count("records", 16);
    FAIL("an impossible count was accepted");
  } catch (const localrec::Error& e) {
    REQUIRE(e.code() == localrec::ErrorCode::kCorruptData);
  }
}
