#include "core/encode/pooling.h"

#include <cmath>
#include <string>

#include "core/common/error.h"

namespace localrec {

Pooling ParsePooling(std::string_view name) {
  if (name == "none") return Pooling::kNone;
  if (name == "mean") return Pooling::kMean;
  if (name == "cls") return Pooling::kCls;
  throw Error(ErrorCode::kInvalidArgument,
              "unknown pooling '" + std::string(name) + "' (expected none, mean or cls)");
}

void NormalizeRows(RowMatrixXf* rows) {
  for (Eigen::Index r = 0; r < rows->rows(); ++r) {
    // Accumulate in double: rows are short but the result must not depend on summation order
    // quirks between native and wasm builds.
    double sum = 0;
    for (Eigen::Index c = 0; c < rows->cols(); ++c) sum += double((*rows)(r, c)) * (*rows)(r, c);
    const double norm = std::max(std::sqrt(sum), 1e-12);
    rows->row(r) /= static_cast<float>(norm);
  }
}

RowMatrixXf Pool(std::span<const float> output, size_t batch, size_t seq, size_t dims,
                 std::span<const int64_t> mask, Pooling pooling, bool normalize) {
  if (batch == 0 || dims == 0) throw Error(ErrorCode::kInvalidArgument, "pooling an empty batch");
  const size_t expected = pooling == Pooling::kNone ? batch * dims : batch * seq * dims;
  if (output.size() != expected) {
    throw Error(ErrorCode::kInvalidArgument,
                "model output has " + std::to_string(output.size()) + " values, expected " +
                    std::to_string(expected) + " (batch " + std::to_string(batch) + ", seq " +
                    std::to_string(seq) + ", dims " + std::to_string(dims) + ")");
  }
  if (pooling != Pooling::kNone && mask.size() != batch * seq) {
    throw Error(ErrorCode::kInvalidArgument, "attention mask has " + std::to_string(mask.size()) +
                                                 " values, expected " + std::to_string(batch * seq));
  }
  for (float v : output) {
    if (!std::isfinite(v)) {
      throw Error(ErrorCode::kCorruptData, "the model produced NaN or Inf values");
    }
  }

  RowMatrixXf pooled(batch, dims);
  switch (pooling) {
    case Pooling::kNone:
      pooled = Eigen::Map<const RowMatrixXf>(output.data(), batch, dims);
      break;
    case Pooling::kCls:
      for (size_t b = 0; b < batch; ++b)
        pooled.row(b) = Eigen::Map<const Eigen::RowVectorXf>(output.data() + b * seq * dims, dims);
      break;
    case Pooling::kMean:
      for (size_t b = 0; b < batch; ++b) {
        Eigen::Map<const RowMatrixXf> tokens(output.data() + b * seq * dims, seq, dims);
        Eigen::RowVectorXf sum = Eigen::RowVectorXf::Zero(dims);
        size_t count = 0;
        for (size_t t = 0; t < seq; ++t) {
          if (mask[b * seq + t] != 0) {
            sum += tokens.row(t);
            ++count;
          }
        }
        // transformers.js and Sentence-Transformers divide by max(count, 1e-9).
        pooled.row(b) = sum / static_cast<float>(std::max<size_t>(count, 1));
      }
      break;
  }
  if (normalize) NormalizeRows(&pooled);
  return pooled;
}

}  // namespace localrec
