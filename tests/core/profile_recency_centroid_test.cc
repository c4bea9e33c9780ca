#include <catch2/catch.hpp>
#include <cmath>

#include "core/profile/recency_centroid.h"

using localrec::RecencyCentroid;

TEST_CASE("the centroid weighs posts by their decayed mass", "[profile][centroid]") {
  RecencyCentroid c(2);
  REQUIRE(c.Vector() == std::vector<float>{0, 0});  // empty: no direction
  const std::vector<float> x = {1, 0}, y = {0, 1};
  c.Add(x, 1.0);
  c.Add(y, 3.0);  // newer: three times the mass
  const auto v = c.Vector();
  REQUIRE(v[0] == Approx(1 / std::sqrt(10.0)));
  REQUIRE(v[1] == Approx(3 / std::sqrt(10.0)));

  // Folding keeps the contribution; recomputing the live part keeps the folded one.
  RecencyCentroid d(2);
  d.Fold(x, 1.0);
  d.Add(y, 3.0);
  d.BeginRecompute();
  d.Add(y, 3.0);
  REQUIRE(d.Vector() == v);
  d.ScaleMasses(0.5);
  REQUIRE(d.Vector()[0] == Approx(v[0]));
  REQUIRE(d.mass() == Approx(2.0));
  d.Clear();
  REQUIRE(d.mass() == 0);
}
