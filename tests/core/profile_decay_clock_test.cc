#include <catch2/catch.hpp>
#include <cmath>

#include "core/common/error.h"
#include "core/profile/decay_clock.h"

using localrec::DecayClock;

namespace {
constexpr double kDay = DecayClock::kMsPerDay;
}

TEST_CASE("masses halve every half-life and decay cancels in ratios", "[profile][decay]") {
  DecayClock clock(10);
  REQUIRE(clock.EnsureReference(1000 * kDay));
  REQUIRE_FALSE(clock.EnsureReference(5 * kDay));  // the first event sets it, once
  REQUIRE(clock.Mass(1000 * kDay) == Approx(1.0));
  REQUIRE(clock.Mass(1010 * kDay) == Approx(2.0));
  REQUIRE(clock.Mass(990 * kDay) == Approx(0.5));
  // An event 10 days older than another weighs half as much at any later time.
  for (double now : {1010.0, 1100.0, 1500.0}) {
    const double d = clock.DecayTo(now * kDay);
    REQUIRE(clock.Mass(995 * kDay) * d / (clock.Mass(1005 * kDay) * d) == Approx(0.5));
  }
  // Weight at `now` is 2^-(age/half-life).
  REQUIRE(clock.Mass(1000 * kDay) * clock.DecayTo(1030 * kDay) == Approx(0.125));
}

TEST_CASE("rebasing returns the factor that keeps stored masses consistent", "[profile][decay]") {
  DecayClock clock(1);
  clock.EnsureReference(0);
  const double t = 50 * kDay;
  const double old_mass = clock.Mass(t);
  REQUIRE_FALSE(clock.NeedsRebase(t));
  REQUIRE(clock.NeedsRebase(65 * kDay));
  const double factor = clock.Rebase(65 * kDay);
  REQUIRE(old_mass * factor == Approx(clock.Mass(t)).epsilon(1e-12));
  REQUIRE(clock.reference_ms() == 65 * kDay);
}

TEST_CASE("half-lives and times are validated", "[profile][decay]") {
  REQUIRE_THROWS_AS(DecayClock(0), localrec::Error);
  REQUIRE_THROWS_AS(DecayClock(-3), localrec::Error);
  REQUIRE_THROWS_AS(DecayClock(std::nan("")), localrec::Error);
  REQUIRE_THROWS_AS(DecayClock(INFINITY), localrec::Error);
  REQUIRE_NOTHROW(DecayClock(0.001));
  REQUIRE_THROWS_AS(localrec::CheckTime(std::nan(""), "t"), localrec::Error);
  REQUIRE_THROWS_AS(localrec::CheckTime(1e300, "t"), localrec::Error);
  REQUIRE_NOTHROW(localrec::CheckTime(-1e12, "t"));
}
