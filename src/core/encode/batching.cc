#include "core/encode/batching.h"

#include <algorithm>
#include <numeric>

#include "core/common/error.h"

namespace localrec {

std::vector<std::vector<uint32_t>> PlanBatches(std::span<const uint32_t> lengths,
                                               const BatchingOptions& options) {
  if (options.max_batch_size == 0 || options.max_batch_tokens == 0) {
    throw Error(ErrorCode::kInvalidArgument, "batch size and batch token limit must be positive");
  }
  std::vector<uint32_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0u);
  // Longest first: the first batch is the most expensive one, so an out-of-memory or a too-long
  // input shows up before work is wasted.
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return lengths[a] > lengths[b]; });

  std::vector<std::vector<uint32_t>> batches;
  std::vector<uint32_t> current;
  size_t padded_length = 0;  // the first (longest) member's length in a descending run
  for (uint32_t index : order) {
    const size_t len = std::max<uint32_t>(lengths[index], 1);
    if (current.empty()) padded_length = len;
    const bool full = current.size() == options.max_batch_size ||
                      (current.size() + 1) * padded_length > options.max_batch_tokens;
    if (!current.empty() && full) {
      batches.push_back(std::move(current));
      current.clear();
      padded_length = len;
    }
    current.push_back(index);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

}  // namespace localrec
