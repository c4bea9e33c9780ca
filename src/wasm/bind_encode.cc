// Embind bindings of the encoder's C++ side (EncodePlan) for model.embed(): tokenisation, batch
// inputs and pooling around ONNX Runtime, which web/src/model.js drives. Thin: every call runs
// inside Guard(). (A profile's posts take the same path inside an IngestBatch, bind_profile.cc.)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/encode/encode_plan.h"
#include "wasm/bind_util.h"
#include "wasm/encode_io.h"
#include "wasm/tokenizer_handle.h"

namespace localrec::wasm {

namespace {

using emscripten::val;

class EncodePlanHandle {
 public:
  // `texts` is a JS array of strings (checked by the JS layer).
  static EncodePlanHandle* Create(const TokenizerHandle& tokenizer, const val& texts,
                                  size_t max_length, size_t batch_size, size_t max_batch_tokens) {
    return Guard([&] {
      const size_t n = texts["length"].as<size_t>();
      std::vector<std::string> owned;
      owned.reserve(n);
      for (size_t i = 0; i < n; ++i) owned.push_back(texts[i].as<std::string>());
      const std::vector<std::string_view> views(owned.begin(), owned.end());
      BatchingOptions batching;
      batching.max_batch_size = batch_size;
      batching.max_batch_tokens = max_batch_tokens;
      return new EncodePlanHandle(tokenizer.get(), views, max_length, batching);
    });
  }

  size_t BatchCount() const { return plan_.batch_count(); }

  val Inputs(size_t b) const {
    return Guard([&] { return BatchInputsToJs(plan_, b); });
  }

  void Consume(size_t b, const val& output, size_t sequence_length, size_t dims,
               const std::string& pooling, bool normalize) {
    Guard([&] { ConsumeFromJs(plan_, b, output, sequence_length, dims, pooling, normalize); });
  }

  val Embeddings() const {
    return Guard([&] {
      const RowMatrixXf& e = plan_.embeddings();
      return ToFloat32Array({e.data(), static_cast<size_t>(e.size())});
    });
  }

  val TokenCounts() const {
    return Guard([&] { return ToUint32Array(plan_.token_counts()); });
  }
  val Truncated() const {
    return Guard([&] { return ToUint8Array(plan_.truncated()); });
  }
  val UnknownShares() const {
    return Guard([&] {
      const auto& s = plan_.unknown_shares();
      return ToFloat32Array({s.data(), s.size()});
    });
  }

 private:
  EncodePlanHandle(const Tokenizer& tokenizer, std::span<const std::string_view> texts,
                   size_t max_length, const BatchingOptions& batching)
      : plan_(tokenizer, texts, max_length, batching) {}
  EncodePlan plan_;
};

}  // namespace

}  // namespace localrec::wasm

EMSCRIPTEN_BINDINGS(localrec_encode) {
  using localrec::wasm::EncodePlanHandle;
  emscripten::class_<EncodePlanHandle>("EncodePlan")
      .class_function("create", &EncodePlanHandle::Create, emscripten::allow_raw_pointers())
      .function("batchCount", &EncodePlanHandle::BatchCount)
      .function("inputs", &EncodePlanHandle::Inputs)
      .function("consume", &EncodePlanHandle::Consume)
      .function("embeddings", &EncodePlanHandle::Embeddings)
      .function("tokenCounts", &EncodePlanHandle::TokenCounts)
      .function("truncated", &EncodePlanHandle::Truncated)
      .function("unknownShares", &EncodePlanHandle::UnknownShares);
}
