// The wasm side of an IngestBatch (core/profile/ingest_batch.h): a batch of posts a profile
// prepared (bind_profile.cc, prepareAdd), embedded either through the core's tokenizer and ONNX
// Runtime (tokenize, then inputs/consume per model batch, as web/src/model.js drives an
// EncodePlan: the vectors stay in wasm) or by a model that only has embed() (candidateTexts,
// then setEmbeddings), and committed by the profile (commitAdd). Registered in bind_ingest.cc.
#pragma once

#include <emscripten/val.h>

#include <string>
#include <utility>
#include <vector>

#include "core/profile/ingest_batch.h"
#include "wasm/bind_util.h"
#include "wasm/encode_io.h"
#include "wasm/tokenizer_handle.h"

namespace localrec::wasm {

class IngestBatchHandle {
 public:
  explicit IngestBatchHandle(IngestBatch batch) : batch_(std::move(batch)) {}

  const IngestBatch& batch() const { return batch_; }

  // Tokenises the batch's texts with the model's tokenizer (the arguments of EncodePlan.create);
  // returns the number of model batches.
  double Tokenize(const TokenizerHandle& tokenizer, double max_length, double batch_size,
                  double max_batch_tokens) {
    return Guard([&] {
      BatchingOptions batching;
      batching.max_batch_size = static_cast<size_t>(batch_size);
      batching.max_batch_tokens = static_cast<size_t>(max_batch_tokens);
      return static_cast<double>(
          batch_.Tokenize(tokenizer.get(), static_cast<size_t>(max_length), batching)
              .batch_count());
    });
  }
  emscripten::val Inputs(size_t b) {
    return Guard([&] { return BatchInputsToJs(batch_.encode_plan(), b); });
  }
  void Consume(size_t b, const emscripten::val& output, size_t sequence_length, size_t dims,
               const std::string& pooling, bool normalize) {
    Guard([&] {
      ConsumeFromJs(batch_.encode_plan(), b, output, sequence_length, dims, pooling, normalize);
    });
  }
  // Per post, the share of its text the tokenizer could not read (after tokenize).
  emscripten::val UnknownShares() const {
    return Guard([&] { return ToFloat32Array(batch_.post_unknown_shares()); });
  }

  // For a model without a tokenizer in the core: the texts to embed after the posts' own (which
  // JS has), the keyword candidates without a cached embedding.
  emscripten::val CandidateTexts() const {
    return Guard([&] {
      emscripten::val out = emscripten::val::array();
      for (size_t i = batch_.post_count(); i < batch_.text_count(); ++i) {
        out.call<void>("push", emscripten::val(std::string(batch_.text(i))));
      }
      return out;
    });
  }
  // The embeddings of the posts' texts, then of the candidates', row after row (a Float32Array
  // of texts x dims).
  void SetEmbeddings(const emscripten::val& rows) {
    Guard([&] {
      std::vector<float> data(rows["length"].as<size_t>());
      emscripten::val(emscripten::typed_memory_view(data.size(), data.data()))
          .call<void>("set", rows);
      batch_.SetEmbeddings(data);
    });
  }

 private:
  IngestBatch batch_;
};

}  // namespace localrec::wasm
