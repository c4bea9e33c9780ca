// Batch planning for the encoder: group texts of similar token length so that little of each
// batch is padding, and do it deterministically (the same texts always give the same batches,
// because int8 models quantise activations per batch and results depend slightly on batch mates).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace localrec {

struct BatchingOptions {
  size_t max_batch_size = 32;        // texts per batch
  size_t max_batch_tokens = 16384;   // batch_size x padded length; bounds memory for long texts
};

// Returns batches of indices into `lengths` (token counts incl. special tokens). Texts are sorted
// by length (longest first, ties by index), then cut into consecutive runs that respect both
// limits; every index appears exactly once. Throws Error(kInvalidArgument) on zero limits.
std::vector<std::vector<uint32_t>> PlanBatches(std::span<const uint32_t> lengths,
                                               const BatchingOptions& options);

}  // namespace localrec
