// Embind registration of IngestBatch (wasm/ingest_batch_handle.h): a profile's batch of posts
// between prepareAdd and commitAdd (bind_profile.cc), driven by web/src/profile.js and
// web/src/model.js.
#include <emscripten/bind.h>

#include "wasm/ingest_batch_handle.h"

EMSCRIPTEN_BINDINGS(localrec_ingest) {
  using localrec::wasm::IngestBatchHandle;
  emscripten::class_<IngestBatchHandle>("IngestBatch")
      .function("tokenize", &IngestBatchHandle::Tokenize)
      .function("inputs", &IngestBatchHandle::Inputs)
      .function("consume", &IngestBatchHandle::Consume)
      .function("unknownShares", &IngestBatchHandle::UnknownShares)
      .function("candidateTexts", &IngestBatchHandle::CandidateTexts)
      .function("setEmbeddings", &IngestBatchHandle::SetEmbeddings);
}
