#include "core/encode/pooling.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/common/error.h"

using localrec::Pool;
using localrec::Pooling;

TEST_CASE("mean pooling ignores padded positions and normalises", "[pooling]") {
  // batch 2, seq 3, dims 2; the second row has one padded position holding garbage.
  const std::vector<float> hidden = {1, 0, 3, 0, 5, 0,     // row 0: all valid -> mean (3, 0)
                                     0, 2, 0, 4, 99, 99};  // row 1: last padded -> mean (0, 3)
  const std::vector<int64_t> mask = {1, 1, 1, 1, 1, 0};
  const auto raw = Pool(hidden, 2, 3, 2, mask, Pooling::kMean, false);
  REQUIRE(raw(0, 0) == Approx(3.0f));
  REQUIRE(raw(1, 1) == Approx(3.0f));
  REQUIRE(raw(1, 0) == Approx(0.0f));
  const auto unit = Pool(hidden, 2, 3, 2, mask, Pooling::kMean, true);
  REQUIRE(unit(0, 0) == Approx(1.0f));
  REQUIRE(unit(1, 1) == Approx(1.0f));
}

TEST_CASE("cls pooling takes the first position; none passes vectors through", "[pooling]") {
  const std::vector<float> hidden = {3, 4, 9, 9};  // batch 1, seq 2, dims 2
  const std::vector<int64_t> mask = {1, 1};
  const auto cls = Pool(hidden, 1, 2, 2, mask, Pooling::kCls, true);
  REQUIRE(cls(0, 0) == Approx(0.6f));
  REQUIRE(cls(0, 1) == Approx(0.8f));
  const auto none = Pool(std::vector<float>{0, 0, 2, 0}, 2, 0, 2, {}, Pooling::kNone, true);
  REQUIRE(none(0, 0) == 0.0f);  // a zero vector stays zero (no division by zero)
  REQUIRE(none(1, 0) == Approx(1.0f));
}

TEST_CASE("pooling refuses wrong sizes and non-finite model output", "[pooling]") {
  const std::vector<int64_t> mask = {1, 1};
  REQUIRE_THROWS_AS(Pool(std::vector<float>(3), 1, 2, 2, mask, Pooling::kMean, true),
                    localrec::Error);
  REQUIRE_THROWS_AS(Pool(std::vector<float>(4), 1, 2, 2, std::vector<int64_t>(3), Pooling::kMean,
                         true),
                    localrec::Error);
  std::vector<float> bad = {1, std::numeric_limits<float>::quiet_NaN(), 0, 0};
  try {
    Pool(bad, 1, 2, 2, mask, Pooling::kMean, true);
    FAIL("NaN accepted");
  } catch (const localrec::Error& e) {
    REQUIRE(e.code() == localrec::ErrorCode::kCorruptData);
    REQUIRE_THAT(e.what(), Catch::Contains("NaN"));
  }
  REQUIRE_THROWS_AS(localrec::ParsePooling("max"), localrec::Error);
  REQUIRE(localrec::ParsePooling("cls") == Pooling::kCls);
}
