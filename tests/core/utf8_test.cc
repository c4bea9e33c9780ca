#include "core/common/utf8.h"

#include <catch2/catch.hpp>

#include "core/common/error.h"

using localrec::Error;
using localrec::ErrorCode;

TEST_CASE("valid UTF-8 is accepted and round-trips", "[utf8]") {
  const std::string text = "plain ascii, caf\xC3\xA9, \xE4\xB8\xAD\xE6\x96\x87, \xF0\x9F\x98\x80";
  REQUIRE(localrec::FindInvalidUtf8(text) == std::string_view::npos);
  const auto cps = localrec::DecodeUtf8(text);
  REQUIRE(cps.back() == U'\U0001F600');
  REQUIRE(localrec::EncodeUtf8(std::u32string(cps.begin(), cps.end())) == text);
}

TEST_CASE("invalid UTF-8 is found at the right offset", "[utf8]") {
  struct Case { std::string bytes; size_t offset; };
  const Case cases[] = {
      {"abc\xFF", 3},                  // never valid
      {"ab\xC0\xAF", 2},               // overlong '/'
      {"x\xED\xA0\x80", 1},            // UTF-16 surrogate
      {"\xF4\x90\x80\x80", 0},         // above U+10FFFF
      {"12345678\xE2\x82", 8},         // truncated at the end, after the ASCII fast path
      {"\x80", 0},                     // lone continuation byte
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    REQUIRE(localrec::FindInvalidUtf8(c.bytes) == c.offset);
    try {
      localrec::CheckUtf8(c.bytes, "post");
      FAIL("CheckUtf8 accepted invalid input");
    } catch (const Error& e) {
      REQUIRE(e.code() == ErrorCode::kInvalidUtf8);
      REQUIRE_THAT(e.what(), Catch::Contains("post is not valid UTF-8") &&
                                 Catch::Contains("offset " + std::to_string(c.offset)));
    }
  }
}
