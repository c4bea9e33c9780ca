#include <catch2/catch.hpp>

#include "core/common/error.h"
#include "core/profile/post_store.h"

using localrec::Post;
using localrec::PostStore;

namespace {
Post Make(const std::string& id, double t) {
  Post p;
  p.id = id;
  p.time_ms = t;
  p.embedding = {1, 0};
  return p;
}
}  // namespace

TEST_CASE("posts are found by id and ordered by time", "[profile][posts]") {
  PostStore store;
  store.Insert(Make("b", 20));
  store.Insert(Make("a", 30));
  store.Insert(Make("c", 10));
  store.Insert(Make("d", 10));
  REQUIRE(store.size() == 4);
  REQUIRE(store.Oldest().id == "c");  // ties by id
  REQUIRE(store.NewestTime() == 30);
  std::vector<std::string> order;
  store.ForEachByTime([&](const Post& p) { order.push_back(p.id); });
  REQUIRE(order == std::vector<std::string>{"c", "d", "b", "a"});
  REQUIRE(store.Find("a")->time_ms == 30);
  REQUIRE(store.Find("zz") == nullptr);

  REQUIRE_THROWS_AS(store.Insert(Make("a", 5)), localrec::Error);
  REQUIRE(store.size() == 4);  // the failed insert changed nothing
  REQUIRE(store.Oldest().id == "c");

  const Post gone = store.Erase("c");
  REQUIRE(gone.id == "c");
  REQUIRE(store.Oldest().id == "d");
  REQUIRE_THROWS_AS(store.Erase("c"), localrec::Error);
  store.Clear();
  REQUIRE(store.empty());
}

TEST_CASE("post ids are validated", "[profile][posts]") {
  REQUIRE_THROWS_AS(localrec::CheckPostId(""), localrec::Error);
  REQUIRE_THROWS_AS(localrec::CheckPostId(std::string(257, 'x')), localrec::Error);
  REQUIRE_THROWS_AS(localrec::CheckPostId("bad\xC3"), localrec::Error);
  REQUIRE_THROWS_AS(localrec::CheckPostId("two\nlines"), localrec::Error);
  REQUIRE_THROWS_AS(localrec::CheckPostId(std::string("nul\0", 4)), localrec::Error);
  REQUIRE_NOTHROW(localrec::CheckPostId("post-1 ✓"));
}
