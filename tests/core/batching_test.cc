#include "core/encode/batching.h"

#include <catch2/catch.hpp>
#include <random>
#include <set>

using localrec::BatchingOptions;
using localrec::PlanBatches;

TEST_CASE("batches cover every text once, longest first, within both limits", "[batching]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> len(1, 300);
  std::vector<uint32_t> lengths(1000);
  for (auto& l : lengths) l = len(rng);
  BatchingOptions options;
  options.max_batch_size = 16;
  options.max_batch_tokens = 2048;
  const auto batches = PlanBatches(lengths, options);
  std::set<uint32_t> seen;
  uint32_t previous_max = UINT32_MAX;
  for (const auto& batch : batches) {
    REQUIRE(!batch.empty());
    REQUIRE(batch.size() <= options.max_batch_size);
    uint32_t longest = 0;
    for (uint32_t i : batch) {
      REQUIRE(seen.insert(i).second);
      longest = std::max(longest, lengths[i]);
    }
    REQUIRE(batch.size() * longest <= options.max_batch_tokens);
    REQUIRE(longest <= previous_max);  // sorted: batches never get longer
    previous_max = longest;
  }
  REQUIRE(seen.size() == lengths.size());
}

TEST_CASE("batching is deterministic and keeps equal lengths in input order", "[batching]") {
  const std::vector<uint32_t> lengths = {5, 9, 5, 9, 5};
  BatchingOptions options;
  options.max_batch_size = 2;
  const auto a = PlanBatches(lengths, options);
  REQUIRE(a == PlanBatches(lengths, options));
  REQUIRE(a == std::vector<std::vector<uint32_t>>{{1, 3}, {0, 2}, {4}});
}

TEST_CASE("a single text longer than the token budget still gets its own batch", "[batching]") {
  BatchingOptions options;
  options.max_batch_tokens = 10;
  const auto batches = PlanBatches(std::vector<uint32_t>{50, 3}, options);
  REQUIRE(batches == std::vector<std::vector<uint32_t>>{{0}, {1}});
  options.max_batch_size = 0;
  REQUIRE_THROWS(PlanBatches(std::vector<uint32_t>{1}, options));
}
