#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/byte_io.h"

using localrec::ByteReader;
using localrec::ByteWriter;

TEST_CASE("values round-trip little-endian and reads never overrun", "[common][bytes]") {
  ByteWriter w;
  w.U32(0x01020304u);
  w.U64(0x1122334455667788ull);
  w.F32(1.5f);
  w.F64(-2.25);
  w.Str("héllo");
  const std::string bytes = w.bytes();
  REQUIRE(static_cast<unsigned char>(bytes[0]) == 0x04);  // little-endian
  ByteReader r(bytes, "test file");
  REQUIRE(r.U32("a") == 0x01020304u);
  REQUIRE(r.U64("b") == 0x1122334455667788ull);
  REQUIRE(r.F32("c") == 1.5f);
  REQUIRE(r.F64("d") == -2.25);
  REQUIRE(r.Str("e", 100) == "héllo");
  REQUIRE(r.remaining() == 0);
  REQUIRE_THROWS_AS(r.U8("f"), localrec::Error);

  const std::string four = bytes.substr(0, 4);  // the reader views its input: keep it alive
  ByteReader short_str(four, "test file");
  REQUIRE_THROWS_AS(short_str.Str("s", 1 << 30), localrec::Error);  // 0x01020304 bytes: no
}

TEST_CASE("the reader refuses NaN, infinity, bad UTF-8 and impossible counts", "[common][bytes]") {
  ByteWriter w;
  w.F64(std::numeric_limits<double>::quiet_NaN());
  w.F32(std::numeric_limits<float>::infinity());
  w.Str("bad\xFF");
  w.U32(1000);
  const std::string bytes = w.bytes();
  ByteReader r(bytes, "test file");
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

TEST_CASE("reader errors name the file kind and what was being read", "[common][bytes]") {
  const std::string two("\x01\x02", 2);
  ByteReader r(two, "widget");
  try {
    r.U32("frobnication count");
    FAIL("a truncated read was accepted");
  } catch (const localrec::Error& e) {
    REQUIRE(e.code() == localrec::ErrorCode::kCorruptData);
    REQUIRE(std::string(e.what()) == "corrupt widget: truncated while reading frobnication count");
  }
}

TEST_CASE("fixed-width loads and stores are little-endian at any address", "[common][bytes]") {
  unsigned char buf[11] = {};
  localrec::StoreLe<uint64_t>(buf + 3, 0x0102030405060708ull);
  REQUIRE(buf[3] == 0x08);
  REQUIRE(buf[10] == 0x01);
  REQUIRE(localrec::LoadLe<uint64_t>(buf + 3) == 0x0102030405060708ull);
  REQUIRE(localrec::LoadLe<uint32_t>(buf + 3) == 0x05060708u);
  localrec::StoreLe<float>(buf + 1, -1.5f);
  REQUIRE(localrec::LoadLe<float>(buf + 1) == -1.5f);
}

TEST_CASE("LEB128 round-trips 32-bit values and refuses overlong or truncated ones",
          "[common][bytes]") {
  std::vector<uint8_t> out;
  const uint32_t values[] = {0, 1, 127, 128, 300, 16383, 16384, 0x0FFFFFFFu, 0xFFFFFFFFu};
  for (uint32_t v : values) localrec::AppendLeb128(v, &out);
  REQUIRE(out.size() == 1 + 1 + 1 + 2 + 2 + 2 + 3 + 4 + 5);
  const uint8_t* p = out.data();
  for (uint32_t v : values) {
    uint32_t got = 0;
    REQUIRE(localrec::ReadLeb128(p, out.data() + out.size(), &got));
    REQUIRE(got == v);
  }
  REQUIRE(p == out.data() + out.size());
  uint32_t v = 0;
  const uint8_t too_big[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};  // 35 bits
  const uint8_t* q = too_big;
  REQUIRE_FALSE(localrec::ReadLeb128(q, too_big + 5, &v));
  const uint8_t six[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  q = six;
  REQUIRE_FALSE(localrec::ReadLeb128(q, six + 6, &v));
  const uint8_t truncated[] = {0x80, 0x80};
  q = truncated;
  REQUIRE_FALSE(localrec::ReadLeb128(q, truncated + 2, &v));
}
