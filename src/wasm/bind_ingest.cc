// Embind registration of IngestBatch (wasm/ingest_batch_handle.h): a profile's batch of posts
// between prepareAdd and commitAdd (bind_profile.cc), driven by web/src/profile.js and
// web/src/model.js.
#include <emscripten/bind.h>

#include "wasm/ingest_batch_handle.h"

EMSCRIPTEN_BINDINGS(localrec_ingest) {
  using localrec::wasm::IngestBatchHandle;
  emscripten::class_<IngestBatchHandle>("IngestBatch")
      .function("postCount", &IngestBatchHandle::PostCount)
      .function("tokenize", &IngestBatchHandle::Tokenize)
      .function("batchCount", &IngestBatchHandle::BatchCount)
      .function("inputs", &IngestBatchHandle::Inputs)
      .function("consume", &IngestBatchHandle::Consume)
      .function("unknownShares", &IngestBatchHandle::UnknownShares)
      .function("texts", &IngestBatchHandle::Texts)
      .function("setEmbeddings", &IngestBatchHandle::SetEmbeddings);
}
