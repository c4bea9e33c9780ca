// The JS side of an EncodePlan's model batches, shared by the bindings that hand them to ONNX
// Runtime (bind_encode.cc: model.embed(); bind_profile.cc: a profile's IngestBatch): a batch's
// padded inputs as BigInt64Arrays, and the model's output for it back into the plan.
#pragma once

#include <emscripten/val.h>

#include <string>
#include <vector>

#include "core/encode/encode_plan.h"
#include "wasm/bind_util.h"

namespace localrec::wasm {

// { inputIds, attentionMask, tokenTypeIds: BigInt64Array, batchSize, sequenceLength }
inline emscripten::val BatchInputsToJs(const EncodePlan& plan, size_t b) {
  using emscripten::val;
  const BatchEncoding x = plan.Inputs(b);
  val out = val::object();
  out.set("inputIds", ToBigInt64Array(x.input_ids));
  out.set("attentionMask", ToBigInt64Array(x.attention_mask));
  out.set("tokenTypeIds", ToBigInt64Array(x.token_type_ids));
  out.set("batchSize", val(static_cast<double>(x.batch_size)));
  out.set("sequenceLength", val(static_cast<double>(x.sequence_length)));
  return out;
}

// `output` is the model's output tensor data (a Float32Array) for batch `b`.
inline void ConsumeFromJs(EncodePlan& plan, size_t b, const emscripten::val& output,
                          size_t sequence_length, size_t dims, const std::string& pooling,
                          bool normalize) {
  const std::vector<float> data = FloatsFromJs(output);
  plan.Consume(b, data, sequence_length, dims, ParsePooling(pooling), normalize);
}

}  // namespace localrec::wasm
