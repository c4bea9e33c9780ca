// Turns an encoder's output tensor into one L2-normalised sentence vector per row.
// Runs on the ONNX Runtime output copied into the core; no inference happens here.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace localrec {

enum class Pooling {
  kNone,  // the graph already outputs [batch, dims] sentence vectors
  kMean,  // mean over positions whose attention mask is 1 (Sentence-Transformers' default)
  kCls,   // the first position ([CLS])
};

// "none" | "mean" | "cls"; throws Error(kInvalidArgument) otherwise.
Pooling ParsePooling(std::string_view name);

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Pools `output` into a [batch, dims] matrix.
//   kNone:  output is [batch, dims];  kMean/kCls: output is [batch, seq, dims] and `mask` [batch, seq].
// With `normalize`, each row is divided by max(||row||, 1e-12) (as transformers.js and
// Sentence-Transformers do). Throws Error(kInvalidArgument) on a size mismatch and
// Error(kCorruptData) when the model produced NaN or Inf.
RowMatrixXf Pool(std::span<const float> output, size_t batch, size_t seq, size_t dims,
                 std::span<const int64_t> mask, Pooling pooling, bool normalize);

// Divides each row by max(||row||, 1e-12), in place.
void NormalizeRows(RowMatrixXf* rows);

}  // namespace localrec
